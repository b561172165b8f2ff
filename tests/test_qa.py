"""The Q&A walk-through: the mixed cells, the first question, the follow-up, the budgets.

Oracles are plain hand-written computations (``ceil(N / B)`` and friends) or
a direct simulation with numpy; no expected value is copied from minigd.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from minigd import Schedule
from minigd.content.qa import (
    EPOCHS,
    N_SAMPLES,
    STUDENT_CLAIMS,
    academic_vs_framework,
    budgets,
    first_question,
    follow_up,
    instructor_example,
    p_every_sample_used,
    qa_report,
    qa_tables,
    sample_uses,
    student_table,
)

N, E = N_SAMPLES, EPOCHS
ORIGINAL, FRAMEWORK = "original definition", "framework definition"


def steps_pass(b: int, n: int = N, e: int = E) -> int:
    return e * math.ceil(n / b)


def test_student_table_marks_mixed_rows() -> None:
    t = student_table()
    verdicts = {(r["method"], r["quantity"]): r["matches"] for r in t.to_records()}
    assert verdicts[("GD", "iterations (steps)")] == "both"
    assert verdicts[("SGD", "uses of each sample")] == ORIGINAL
    assert verdicts[("SGD", "iterations (steps)")] == FRAMEWORK
    assert verdicts[("mini-batch", "total training (samples)")] == ORIGINAL
    assert verdicts[("mini-batch", "iterations (steps)")] == FRAMEWORK
    assert t.notes[:3] == (
        "GD: consistent with both definitions",
        "SGD: MIXED: this row takes cells from both definitions",
        "mini-batch: MIXED: this row takes cells from both definitions",
    )


def test_student_table_says_iterations_were_defined_per_epoch() -> None:
    per_epoch = " / ".join(str(math.ceil(N / c.batch_size)) for c in STUDENT_CLAIMS)
    assert per_epoch == "1 / 100 / 10"  # the question's own definition, per epoch
    assert f"updates in one epoch ({per_epoch})" in student_table().notes[-1]
    assert f"에포크 {E}번 동안의 합계" in student_table("ko").notes[-1]


def test_student_table_cells_by_hand() -> None:
    for r in student_table().to_records():
        b = r["batch_size"]
        hand = {
            "uses of each sample": (E * b / N, E),
            "total training (samples)": (E * b, steps_pass(b) * b if b < N else E * N),
            "iterations (steps)": (E, steps_pass(b)),
        }[r["quantity"]]
        assert (r["under_draw"], r["under_pass"]) == hand


def test_first_question_equal_product_means_equal_shares() -> None:
    t = first_question()
    for _method, conv, b, iterations, product, uses in t.rows:
        steps = E if conv == ORIGINAL else steps_pass(b)
        assert (iterations, product) == (steps, steps * b)
        assert uses == product / N  # the identity the answer rests on
    shares = {conv: {r[5] for r in t.rows if r[1] == conv} for conv in (ORIGINAL, FRAMEWORK)}
    assert shares[FRAMEWORK] == {float(E)}
    assert len(shares[ORIGINAL]) == 3
    assert t.notes[0] == "original definition: differs by method"
    assert t.notes[1] == f"framework definition: equal: {E} uses each"


def test_instructor_example_puts_keras_counter_beside_the_log() -> None:
    rows = {r[0]: r[1] for r in instructor_example().rows}
    assert rows["iterations counted as epochs"] == 30
    assert rows["Keras model.optimizer.iterations"] == 30 * math.ceil(100 / 5)
    ko = {r[0]: r[1] for r in instructor_example("ko").rows}
    assert ko["Keras의 model.optimizer.iterations"] == 600


def test_academic_vs_framework_numbers() -> None:
    rows = academic_vs_framework().to_records()
    assert [r["total_steps"] for r in rows] == [E, E, E, steps_pass(5)]
    assert [r["steps_per_epoch"] for r in rows] == [1, 1, 1, math.ceil(N / 5)]
    assert [r["samples_seen"] for r in rows] == [E * N, E * 1, E * 5, E * N]


def test_follow_up_shows_both_readings() -> None:
    t = follow_up()
    steps = [r for r in t.rows if r[0].startswith("steps")]
    grads = [r for r in t.rows if r[0].startswith("per-sample")]
    assert [(r[1], r[3]) for r in steps] == [(b, steps_pass(b)) for b in (5, 10, 1)]
    assert {r[3] for r in grads} == {N * E}
    assert N * E == 50_000
    assert [b for b in range(1, N + 1) if steps_pass(b) == 50_000] == [1]
    assert "need batch size 1" in t.notes[0]
    assert "100 x 500 = 50,000 at any batch size" in t.notes[1]


def test_budgets_fixed_passes_and_fixed_updates() -> None:
    rows = budgets().rows
    passes = [r for r in rows if "passes" in r[1]]
    updates = [r for r in rows if "updates" in r[1]]
    assert [(r[2], r[3], r[4]) for r in passes] == [(b, steps_pass(b), E) for b in (100, 10, 1)]
    assert [(r[2], r[3], r[4]) for r in updates] == [(b, E, E * b / N) for b in (100, 10, 1)]
    gd, sgd = updates[0], updates[-1]
    assert sgd[4] / gd[4] == 1 / N  # SGD sees B/N of the data


def test_sample_uses_distribution_facts() -> None:
    rows = {(r[0], r[1]): r for r in sample_uses().rows}
    for method in ("GD", "SGD", "mini-batch"):
        assert rows[(method, FRAMEWORK)][3] == E
        assert rows[(method, FRAMEWORK)][6] == 1.0
    sgd = rows[("SGD", ORIGINAL)]
    assert sgd[3] == E / N
    assert sgd[5] == pytest.approx(100 * 0.99**500, rel=1e-12)  # about 0.66 never used
    assert sgd[4] == "Binomial(n=500, p=0.01)"
    assert rows[("mini-batch", ORIGINAL)][3] == E * 10 / N


def test_every_sample_used_about_half_the_runs() -> None:
    # oracle: simulate the original-definition SGD directly (one uniform draw per epoch)
    rng = np.random.default_rng(12345)
    runs = 4000
    draws = np.sort(rng.integers(0, N, size=(runs, E)), axis=1)
    distinct = 1 + np.count_nonzero(np.diff(draws, axis=1), axis=1)
    simulated = float(np.mean(distinct == N))
    exact = p_every_sample_used(Schedule(N, 1, E, epoch="draw"))
    assert exact == pytest.approx(simulated, abs=0.04)
    assert 0.45 < exact < 0.55
    # two samples, one draw each epoch: every sample used unless all draws agree
    assert p_every_sample_used(Schedule(2, 1, 5, epoch="draw")) == pytest.approx(1 - 2 * 0.5**5)


def test_p_every_sample_used_rejects_bad_input() -> None:
    with pytest.raises(TypeError, match=r"The 'schedule' parameter of p_every_sample_used"):
        p_every_sample_used("schedule")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"The 'schedule' parameter of p_every_sample_used"):
        p_every_sample_used(Schedule(10, 2, 5, epoch="draw", sampling="replacement"))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_table_in_both_languages(lang: str) -> None:
    tables = qa_tables(lang)
    assert len(tables) == 7
    report = qa_report(lang)
    assert all(str(t.title) in report for t in tables.values())


def test_korean_report_is_korean() -> None:
    report = qa_report("ko")
    assert "학생의 표" in report
    assert "섞임" in report
    assert "배치 크기" in report
    assert "원론적 정의" in report
    assert "프레임워크 정의" in report


def test_korean_report_shows_no_english_codes() -> None:
    for table in qa_tables("ko").values():
        cells = [str(c) for row in table.rows for c in row if isinstance(c, str)]
        for cell in [*cells, *table.columns, *table.notes, str(table.title)]:
            found = re.findall(r"\b(draw|pass|shuffle|Binomial|Bernoulli|MIXED|textbook)\b", cell)
            assert not found, cell


def test_english_report_never_calls_the_one_batch_epoch_textbook() -> None:
    assert "textbook" not in qa_report("en")
    assert "original definition" in qa_report("en")


def test_old_module_names_warn_and_still_work() -> None:
    import importlib
    import sys

    for old, new in (("minigd.qa", "minigd.content.qa"), ("minigd.demo", "minigd.content.demo")):
        sys.modules.pop(old, None)
        with pytest.warns(DeprecationWarning, match=new):
            module = importlib.import_module(old)
        assert module.__all__ == importlib.import_module(new).__all__
