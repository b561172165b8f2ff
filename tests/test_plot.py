"""Plots: lazy matplotlib, Korean labels without missing glyphs, the right data."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import minigd
from minigd.datasets import make_regression

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import minigd.plot  # noqa: E402  (after the backend is chosen)


def test_import_minigd_does_not_import_matplotlib() -> None:
    code = "import sys, minigd; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "False"


def history() -> minigd.History:
    X, y = make_regression(30, 2, seed=0)
    return minigd.fit(
        minigd.models.LinearRegression(2),
        X,
        y,
        minigd.Schedule(30, 10, 4),
        minigd.optim.SGD(lr=0.1),
    ).history


@pytest.mark.parametrize("x", ["epoch", "step", "samples"])
def test_history_plot_uses_epoch_end_losses(x: str) -> None:
    h = history()
    ax = h.plot(x=x)
    xs, ys = ax.lines[0].get_data()
    np.testing.assert_array_equal(ys, h.epochs["train_loss"])
    expected = {"epoch": [1, 2, 3, 4], "step": [3, 6, 9, 12], "samples": [30, 60, 90, 120]}
    assert list(xs) == expected[x]


def test_batch_loss_curve() -> None:
    h = history()
    ax = h.plot(x="step", curve="batch_loss")
    xs, ys = ax.lines[0].get_data()
    assert list(xs) == list(range(1, 13))
    np.testing.assert_array_equal(ys, h["loss"])


def test_korean_figure_has_every_glyph(recwarn: pytest.WarningsRecorder) -> None:
    fig = minigd.plot.compare_histories({"GD": history(), "SGD": history()}, lang="ko")
    fig.savefig(__import__("io").BytesIO(), format="svg")
    assert not [w for w in recwarn if "missing from font" in str(w.message)]
    assert fig.axes[0].get_xlabel() == "에포크"


def test_bad_axis() -> None:
    with pytest.raises(ValueError, match=r"'x' parameter of plot_history .* \{'epoch'"):
        history().plot(x="time")


def test_a_history_without_training_loss_is_refused_for_that_curve() -> None:
    X, y = minigd.datasets.make_regression(30, 2, seed=0)
    h = minigd.fit(
        minigd.models.LinearRegression(2),
        X,
        y,
        minigd.Schedule(30, 10, 4),
        minigd.optim.SGD(lr=0.1),
        epoch_loss=False,
    ).history
    with pytest.raises(ValueError, match=r"epoch_loss=True.*curve='batch_loss'"):
        h.plot()
    assert len(h.plot(curve="batch_loss").lines[0].get_ydata()) == 12


def test_korean_labels_on_the_students_own_axes_have_every_glyph() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()  # made before minigd is asked for Korean
    minigd.plot.plot_history(history(), ax=ax, lang="ko")
    # a missing glyph would be an error here (pyproject's filterwarnings)
    fig.savefig(__import__("io").BytesIO(), format="png")
    assert ax.get_xlabel() == "에포크"
    assert minigd.plot.korean_font_family() in ax.xaxis.label.get_fontfamily()
    plt.close(fig)


def _drawn_outside_canvas(fig: object) -> list[float]:
    # what a plain savefig draws (labels, ticks, legend: matplotlib's own tight box,
    # in inches) must lie on the canvas; returns how far each side spills over
    import io

    fig.savefig(io.BytesIO(), format="png")  # type: ignore[attr-defined]
    drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    canvas = fig.bbox_inches  # type: ignore[attr-defined]
    spill = [-drawn.x0, -drawn.y0, drawn.x1 - canvas.x1, drawn.y1 - canvas.y1]
    return [round(s, 3) for s in spill if s > 1e-6]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_single_panel_figure_saved_as_is_keeps_its_labels(lang: str) -> None:
    import matplotlib.pyplot as plt

    ax = minigd.plot.plot_history(history(), x="samples", lang=lang)
    assert _drawn_outside_canvas(ax.figure) == []
    plt.close(ax.figure)
    fig = minigd.plot.schedule_picture(minigd.Schedule(20, 5, 6), lang=lang)
    assert _drawn_outside_canvas(fig) == []
    plt.close(fig)
