"""matplotlib figures, imported only when a plot is asked for.

Needs the ``plot`` extra: ``pip install minigd[plot]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ._text import check_lang, text
from ._validation import check_option

if TYPE_CHECKING:
    from .training import History

__all__ = [
    "CURVES",
    "X_AXES",
    "axis_label",
    "compare_histories",
    "font_context",
    "korean_font_family",
    "plot_history",
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
    """A matplotlib ``rc_context`` whose fonts can draw ``lang``'s labels."""
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


def x_values(history: History, x: str) -> np.ndarray:
    """The x coordinate of every update: fractional epochs, step count or samples seen.

    A fractional epoch puts update ``k`` of an epoch of ``S`` updates at
    ``epoch + (k + 1) / S``, so the last update of epoch 0 sits at 1.0.
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
    point of the comparison).
    """
    x = check_option(x, "x", "plot_history", X_AXES)
    lang = check_lang(lang, "plot_history")
    curve = check_option(curve, "curve", "plot_history", CURVES)
    plt = _pyplot()
    with font_context(lang):
        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3.2))
        if curve == "batch_loss":
            ax.plot(x_values(history, x), history["loss"], lw=0.6, alpha=0.8, label=label)
        else:
            e = history.epochs
            xs = {"epoch": e["epoch"] + 1, "step": e["steps_done"], "samples": e["samples_seen"]}
            ax.plot(xs[x], e["train_loss"], lw=1.4, label=label)
        ax.set_xlabel(axis_label(x, lang))
        ax.set_ylabel(text(curve, lang))
        ax.set_yscale("log")
    return ax


def axis_label(x: str, lang: str = "en") -> str:
    """The axis label for ``x`` in ``lang``."""
    return text({"epoch": "axis_epoch", "step": "axis_step", "samples": "axis_samples"}[x], lang)


def compare_histories(
    histories: Mapping[str, History], lang: str = "en", curve: str = "train_loss"
) -> Any:
    """Loss curves of several runs against epochs, updates and samples seen, side by side.

    Returns the matplotlib Figure.
    """
    lang = check_lang(lang, "compare_histories")
    curve = check_option(curve, "curve", "compare_histories", CURVES)
    plt = _pyplot()
    with font_context(lang):
        fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), sharey=True)
        for name, hist in histories.items():
            for ax, x in zip(axes, X_AXES, strict=True):
                plot_history(hist, x=x, ax=ax, label=name, lang=lang, curve=curve)
        for ax in axes[1:]:
            ax.set_xscale("log")
            ax.set_ylabel("")
        axes[-1].legend(fontsize="small", loc="upper right")
        fig.tight_layout()
    return fig
