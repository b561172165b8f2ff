"""matplotlib figures, imported only when a plot is asked for.

Needs the ``plot`` extra: ``pip install minigd[plot]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ._text import check_lang, text
from ._validation import check_option

if TYPE_CHECKING:
    from .history import History

__all__ = [
    "CURVES",
    "X_AXES",
    "axis_label",
    "compare_histories",
    "font_context",
    "gradient_noise",
    "korean_font_family",
    "parameter_paths",
    "plot_history",
    "schedule_picture",
    "to_svg",
    "x_values",
]

#: What a loss curve can be drawn against.
X_AXES = ("epoch", "step", "samples")


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised without matplotlib
        raise ImportError("Plotting needs matplotlib: pip install 'minigd[plot]'.") from exc
    return plt


# Fonts with Hangul, tried in order; the last resort is the NanumGothic files
# of the koreanize-matplotlib package (part of the `plot` extra).
_KOREAN_FAMILIES = ("Noto Sans CJK KR", "NanumGothic", "Malgun Gothic", "AppleGothic")


def korean_font_family() -> str | None:
    """A font family with Hangul that matplotlib can use, or ``None``.

    Registers koreanize-matplotlib's bundled NanumGothic without importing
    that package (its import changes matplotlib's global settings).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> korean_font_family() is not None  # with the plot extra installed
    True
    """
    import importlib.util
    from pathlib import Path

    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in _KOREAN_FAMILIES:
        if family in names:
            return family
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        return None
    fonts = sorted((Path(spec.origin).parent / "fonts").glob("NanumGothic*.ttf"))
    for path in fonts:
        font_manager.fontManager.addfont(str(path))
    return "NanumGothic" if fonts else None


def font_context(lang: str) -> Any:
    """A matplotlib ``rc_context`` whose fonts can draw ``lang``'s labels.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> with font_context("ko"):
    ...     import matplotlib.pyplot as plt
    ...     "DejaVu Sans" in plt.rcParams["font.family"]
    True
    """
    plt = _pyplot()
    if lang != "ko":
        return plt.rc_context({})
    family = korean_font_family()
    if family is None:
        import warnings

        warnings.warn(
            "No font with Hangul was found: Korean labels would show as boxes. Install "
            "'minigd[plot]' (bundles NanumGothic) or Debian's fonts-noto-cjk.",
            stacklevel=3,
        )
        return plt.rc_context({})
    # Latin from DejaVu Sans, Hangul from the Korean font (fallback list, mpl >= 3.6)
    return plt.rc_context({"font.family": ["DejaVu Sans", family]})


def x_values(history: History, x: str) -> NDArray[np.float64]:
    """The x coordinate of every update: fractional epochs, step count or samples seen.

    A fractional epoch puts update ``k`` of an epoch of ``S`` updates at
    ``epoch + (k + 1) / S``, so the last update of epoch 0 sits at 1.0.

    Examples
    --------
    >>> import minigd
    >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
    >>> h = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 2),
    ...                minigd.optim.SGD(lr=0.1)).history
    >>> x_values(h, "epoch").tolist(), x_values(h, "samples").tolist()
    ([0.5, 1.0, 1.5, 2.0], [5.0, 10.0, 15.0, 20.0])
    """
    if x == "step":
        return np.asarray(history["step"] + 1, dtype=np.float64)
    if x == "samples":
        return np.asarray(history["samples_seen"], dtype=np.float64)
    per_epoch = int(history["step_in_epoch"].max()) + 1 if len(history) else 1
    return history["epoch"] + (history["step_in_epoch"] + 1) / per_epoch


CURVES = ("train_loss", "batch_loss")


def plot_history(
    history: History,
    x: str = "epoch",
    ax: Any = None,
    label: str | None = None,
    lang: str = "en",
    curve: str = "train_loss",
) -> Any:
    """Draw a history's loss against ``x``; return the Axes.

    ``curve="train_loss"``: the loss on the whole training set at the end of
    each epoch (smooth, comparable between batch sizes). ``"batch_loss"``:
    every update's batch loss (noisy for small batches: that noise is the
    point of the comparison). On your own ``ax``, the axis labels get a font
    that draws ``lang``; a legend you add afterwards with Korean run labels
    needs one too: ``with font_context("ko"): ax.legend()``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import minigd
    >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
    >>> h = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 2),
    ...                minigd.optim.SGD(lr=0.1)).history
    >>> plot_history(h, x="step", curve="batch_loss").get_xlabel()
    'updates (steps)'
    """
    x = check_option(x, "x", "plot_history", X_AXES)
    lang = check_lang(lang, "plot_history")
    curve = check_option(curve, "curve", "plot_history", CURVES)
    train_loss = history.epochs["train_loss"]
    if curve == "train_loss" and len(train_loss) and np.isnan(train_loss).all():
        raise ValueError(
            "plot_history(curve='train_loss') needs the training-set loss per epoch, "
            "which this history does not have: fit ran with epoch_loss=False (or "
            "'auto' on a large X). Pass epoch_loss=True to fit, or use curve='batch_loss'."
        )
    plt = _pyplot()
    with font_context(lang):
        if ax is None:  # constrained: a figure saved as is keeps its labels whole
            _, ax = plt.subplots(figsize=(5, 3.2), layout="constrained")
        # the labels of an Axes made before (the student's own) keep the fonts it was
        # made with: give them the family that draws lang
        fonts = {"fontfamily": plt.rcParams["font.family"]} if lang == "ko" else {}
        if curve == "batch_loss":
            ax.plot(x_values(history, x), history["loss"], lw=0.6, alpha=0.8, label=label)
        else:
            e = history.epochs
            xs = {"epoch": e["epoch"] + 1, "step": e["steps_done"], "samples": e["samples_seen"]}
            ax.plot(xs[x], e["train_loss"], lw=1.4, label=label)
        ax.set_xlabel(axis_label(x, lang), **fonts)
        ax.set_ylabel(text(curve, lang), **fonts)
        ax.set_yscale("log")
    return ax


def axis_label(x: str, lang: str = "en") -> str:
    """The axis label for ``x`` in ``lang``.

    Examples
    --------
    >>> axis_label("samples", "ko")
    '계산한 샘플별 기울기 수'
    """
    return text({"epoch": "axis_epoch", "step": "axis_step", "samples": "axis_samples"}[x], lang)


def compare_histories(
    histories: Mapping[str, History], lang: str = "en", curve: str = "train_loss"
) -> Any:
    """Loss curves of several runs against epochs, updates and samples seen, side by side.

    Returns the matplotlib Figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import minigd
    >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
    >>> h = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 2),
    ...                minigd.optim.SGD(lr=0.1)).history
    >>> len(compare_histories({"run": h}).axes)
    3
    """
    lang = check_lang(lang, "compare_histories")
    curve = check_option(curve, "curve", "compare_histories", CURVES)
    plt = _pyplot()
    # 9 inches and 10-point text: on a page 690 px wide (a 1280 px screen) every
    # label is 10 px or more; the legend gets its own rows under the panels
    with font_context(lang):
        fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), sharey=True)
        for name, hist in histories.items():
            for ax, x in zip(axes, X_AXES, strict=True):
                plot_history(hist, x=x, ax=ax, label=name, lang=lang, curve=curve)
        for ax in axes[1:]:
            ax.set_xscale("log")
            ax.set_ylabel("")
        rows = _legend_below(fig, *axes[0].get_legend_handles_labels())
        legend = 0.25 * rows + 0.05 * bool(rows)  # inches
        fig.set_size_inches(9, 3.2 + legend)
        fig.tight_layout(rect=(0, legend / (3.2 + legend), 1, 1))
    return fig


def _legend_below(fig: Any, handles: list[Any], labels: list[str]) -> int:
    # a legend under the panels, in as many columns (3, 2, 1) as fit the width; its rows
    if not labels:
        return 0
    for ncol in (3, 2, 1):
        legend = fig.legend(handles, labels, loc="lower center", ncol=ncol)
        if legend.get_window_extent(fig.canvas.get_renderer()).width <= fig.bbox.width:
            break
        legend.remove()
    return -(-len(labels) // ncol)


def to_svg(fig: Any) -> str:
    """The figure as inline SVG text (closes the figure): for web pages and notebooks.

    Fixed metadata and matplotlib's ``svg.hashsalt`` make the output the same
    on every build.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> to_svg(fig).lstrip().startswith("<?xml")
    True
    """
    import io

    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def parameter_paths(
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    paths: Mapping[str, NDArray[np.float64]],
    lang: str = "en",
) -> Any:
    """Paths of two weights over the contour lines of the mean squared error.

    Parameters
    ----------
    X : array of shape (n, 2)
        Two features (the model has no bias, so the loss is a function of two
        numbers and can be drawn).
    y : array of shape (n,)
    paths : dict of label to array of shape (steps + 1, 2)
        The weights before each update and after the last.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> X, y = np.eye(2), np.array([1.0, 2.0])
    >>> fig = parameter_paths(X, y, {"GD": np.array([[0.0, 0.0], [0.5, 1.0]])})
    >>> fig.axes[0].get_xlabel()
    'w[0]'
    """
    lang = check_lang(lang, "parameter_paths")
    plt = _pyplot()
    every = np.concatenate(list(paths.values()))
    lo, hi = every.min(axis=0), every.max(axis=0)
    pad = 0.15 * (hi - lo) + 0.1
    w0 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], 120)
    w1 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], 120)
    grid = np.stack(np.meshgrid(w0, w1), axis=-1)
    residual = grid @ X.T - y
    loss = np.mean(residual**2, axis=-1)
    with font_context(lang):
        fig, ax = plt.subplots(figsize=(6, 4.6))
        levels = np.quantile(loss, np.linspace(0.002, 0.9, 14))
        ax.contour(w0, w1, loss, levels=np.unique(levels), colors="0.7", linewidths=0.7)
        for label, path in paths.items():
            ax.plot(path[:, 0], path[:, 1], lw=1.0, marker=".", ms=2.5, label=label)
        ax.plot(*paths[next(iter(paths))][0], "ko", ms=5)
        ax.set_xlabel("w[0]")
        ax.set_ylabel("w[1]")
        ax.legend(fontsize="small")
        fig.tight_layout()
    return fig


def schedule_picture(schedule: Any, seed: int = 0, lang: str = "en", max_steps: int = 60) -> Any:
    """Which sample goes into which update: samples down, updates across, colour = epoch.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from minigd import Schedule
    >>> schedule_picture(Schedule(10, 5, 2)).axes[0].get_ylabel()
    'sample'
    """
    lang = check_lang(lang, "schedule_picture")
    plt = _pyplot()
    steps = min(schedule.total_steps, max_steps)
    grid = np.full((schedule.n_samples, steps), np.nan)
    for batch in schedule.batches(seed):
        if batch.step >= steps:
            break
        grid[batch.indices, batch.step] = batch.epoch % 10  # tab10 cycles its ten colours
    with font_context(lang):
        fig, ax = plt.subplots(figsize=(6.4, 2.9))
        ax.imshow(grid, aspect="auto", interpolation="nearest", cmap="tab10", vmin=0, vmax=9)
        ax.set_xlabel(text("axis_step", lang))
        ax.set_ylabel(text("axis_sample", lang))
        fig.tight_layout()
    return fig


def gradient_noise(
    batch_sizes: NDArray[Any],
    measured: NDArray[np.float64],
    predicted: NDArray[np.float64],
    lang: str = "en",
) -> Any:
    """Spread of the mini-batch gradient against the batch size, measured and predicted.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> sizes = np.array([1, 10])
    >>> gradient_noise(sizes, np.array([1.0, 0.1]), np.array([1.0, 0.1])).axes[0].get_xscale()
    'log'
    """
    lang = check_lang(lang, "gradient_noise")
    plt = _pyplot()
    with font_context(lang):
        fig, ax = plt.subplots(figsize=(5.4, 3.4))
        ax.loglog(batch_sizes, measured, "o", label=text("measured", lang))
        ax.loglog(batch_sizes, predicted, "-", label=text("predicted", lang))
        ax.set_xlabel(text("batch_size", lang))
        ax.set_ylabel(text("gradient_spread", lang))
        ax.legend(fontsize="small")
        fig.tight_layout()
    return fig
