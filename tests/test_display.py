"""Tables: NaN as an empty cell, a helpful repr, wrapping to a width."""

from __future__ import annotations

import io
import math
import unicodedata

import pytest

import minigd
from minigd.display import Progress, Table, wrap


def history_without_validation() -> minigd.History:
    X, y = minigd.datasets.make_regression(10, 2, seed=0)
    schedule = minigd.Schedule(10, 5, 2)
    return minigd.fit(minigd.models.LinearRegression(2), X, y, schedule, minigd.optim.SGD()).history


def test_history_table_without_validation_data_shows_empty_cells() -> None:
    h = history_without_validation()
    assert all(math.isnan(v) for v in h.epochs["val_loss"])  # what the table must show
    t = h.table()
    last = str(t).splitlines()[-1]
    assert last.split()[:3] == ["1", "4", "20"] and "nan" not in last.lower()  # noqa: PT018
    assert t.to_markdown().splitlines()[-1].endswith("|  |")
    assert '<td style="text-align:right"></td></tr>' in h._repr_html_()


def test_table_repr_says_what_it_holds() -> None:
    t = Table(["method", "steps"], [["GD", 500], ["SGD", 50000]], title="runs")
    assert repr(t) == "Table(columns=['method', 'steps'], rows=2, title='runs')"


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("columns", [1, 20, 40, 60, 80])
def test_to_text_fits_the_width_and_keeps_every_word(columns: int) -> None:
    t = minigd.Schedule(100, 7, 3, epoch="draw").describe("ko")
    shown = t.to_text(columns)
    assert max(width(line) for line in shown.splitlines()) <= max(columns, 6)
    words = [w for row in t.rows for v in row for w in minigd.display.format_value(v).split()]
    for w in words:
        if width(w) <= columns - 4:  # a word narrower than the line is never cut
            assert w in shown


def test_wrap_breaks_between_words_counting_hangul_twice() -> None:
    assert wrap("가나 다라 마바", 5) == ["가나", "다라", "마바"]
    assert wrap("ab cd ef", 5) == ["ab cd", "ef"]
    assert wrap("abcdefgh", 3, indent=" ") == ["abc", " de", " fg", " h"]
    assert wrap("abcdef", 0, indent="  ") == ["abcd", "  ef"]  # room for a character


@pytest.mark.parametrize(
    ("key", "fields", "shown"),
    [
        ("note_unapplied", {"k": 1}, "1 micro-batch at the end is never applied"),
        ("note_unapplied", {"k": 3}, "3 micro-batches at the end are never applied"),
        ("per_epoch_steps", {"n": "1"}, "1 step per epoch"),
        ("per_epoch_steps", {"n": "2,000"}, "2,000 steps per epoch"),
        ("note_ranks", {"r": 2, "n": 1}, "each of the 2 ranks 1 batch per epoch"),
        ("note_ranks_batches", {"r": 2, "n": 3}, "each of the 2 ranks 3 whole batches per"),
        ("fw_keras_cut_short", {"nb": 3, "short": 1, "cut": 1, "cap": 2},
         "over the 3 batches ends, so 1 epoch stops after 1 update, not"),
        ("note_keras_cap", {"cap": 1, "total": 5}, "minigd runs 1 step every epoch (5 in all)"),
    ],
)  # fmt: skip
def test_english_counts_agree_with_one(key: str, fields: dict[str, object], shown: str) -> None:
    from minigd._text import text

    assert shown in text(key, "en", **fields)
    assert "1개" in text("note_ranks", "ko", r=2, n=1)  # Korean has no plural to agree


def test_a_column_format_shows_every_cell_with_the_same_digits() -> None:
    t = Table({"m": "method", "loss": "loss"}, [["GD", 0.0082], ["SGD", 0.0116], ["-", None]],
              formats={"loss": "#.3g"})  # fmt: skip
    assert [line.split()[-1] for line in str(t).splitlines()[2:]] == ["0.00820", "0.0116", "-"]
    assert "| GD | 0.00820 |" in t.to_markdown()
    assert ">0.00820</td>" in t._repr_html_()
    assert t.to_records()[0]["loss"] == 0.0082  # the raw value stays
    with pytest.raises(ValueError, match=r"'formats' parameter of Table .* Got 'los'"):
        Table(["loss"], [[0.1]], formats={"los": ".3f"})


def test_history_repr_says_one_update_not_one_updates() -> None:
    X, y = minigd.datasets.make_regression(5, 2, seed=0)
    model, sgd = minigd.models.LinearRegression(2), minigd.optim.SGD()
    one = minigd.fit(model, X, y, minigd.Schedule(5, 5, 1), sgd).history
    assert repr(one) == "History(1 update, 1 epoch)"
    assert one._repr_html_().startswith("<p>History: 1 update, 1 epoch</p>")
    assert repr(history_without_validation()) == "History(4 updates, 2 epochs)"


def test_progress_header_comes_once_before_the_epochs_first_output() -> None:
    # the header is written with the first draw or the finished line, never twice
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    p = Progress(2, 4, verbose=1, stream=out, interval=10.0)
    p.epoch_start(0)
    assert out.getvalue() == ""
    p.step_end(1, 0.5, now=1.0)  # the first draw
    p.step_end(2, 0.5, now=2.0)  # within the interval: nothing
    p.epoch_end(0, loss=0.25, seconds=0.004)
    p.epoch_start(1)
    p.epoch_end(1, loss=0.125, seconds=1.5)
    assert out.getvalue() == (
        "Epoch 1/2\n\r1/4 [======>.......................] - loss: 0.5000"
        "\r4/4 [==============================] - 0s - 1ms/step - loss: 0.2500\n"
        "Epoch 2/2\n\r4/4 [==============================] - 2s - 375ms/step - loss: 0.1250\n"
    )
