"""The Q&A walk-through: the mixed cells and the follow-up's slip."""

from __future__ import annotations

import pytest

from minigd.qa import (
    academic_vs_framework,
    follow_up,
    qa_report,
    qa_tables,
    sample_uses,
    student_table,
)


def test_student_table_marks_mixed_rows() -> None:
    t = student_table()
    verdicts = {(r["method"], r["quantity"]): r["matches"] for r in t.to_records()}
    assert verdicts[("GD", "iterations (steps)")] == "both"
    assert verdicts[("SGD", "each sample used")] == "draw"
    assert verdicts[("SGD", "iterations (steps)")] == "pass"
    assert verdicts[("mini-batch", "total training (samples)")] == "draw"
    assert verdicts[("mini-batch", "iterations (steps)")] == "pass"
    assert t.notes == (
        "GD: consistent with both definitions",
        "SGD: MIXED: this row takes cells from both definitions",
        "mini-batch: MIXED: this row takes cells from both definitions",
    )


def test_academic_vs_framework_numbers() -> None:
    rows = academic_vs_framework().to_records()
    assert [r["total steps (updates)"] for r in rows] == [500, 500, 500, 10_000]
    assert [r["steps per epoch"] for r in rows] == [1, 1, 1, 20]


def test_follow_up_finds_batch_one() -> None:
    t = follow_up()
    assert [row[-1] for row in t.rows] == [10_000, 5_000, 50_000]
    assert "need batch size 1" in t.notes[0]


def test_second_question_evidence() -> None:
    rows = {(r[0], r[1]): r[3] for r in sample_uses().rows}
    assert rows[("SGD", "pass")] == rows[("GD", "pass")] == rows[("mini-batch", "pass")] == 500
    assert rows[("SGD", "draw")] == 5
    assert rows[("mini-batch", "draw")] == 50


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_table_in_both_languages(lang: str) -> None:
    tables = qa_tables(lang)
    assert len(tables) == 5
    report = qa_report(lang)
    assert all(str(t.title) in report for t in tables.values())


def test_korean_report_is_korean() -> None:
    report = qa_report("ko")
    assert "학생의 표" in report
    assert "혼합" in report
    assert "배치 크기" in report
