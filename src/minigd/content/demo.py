"""The demo: GD, SGD and mini-batch on one problem, under both epoch definitions.

One linear-regression problem (100 samples, like the Q&A), one optimizer
(plain SGD, the same learning rate), six schedules: batch 100, 10 and 1, with
"pass" epochs and with "draw" epochs, 500 epochs each. The table shows what
each run cost (updates, per-sample gradients, uses of each sample, time) and
what it achieved (the final loss on the whole training set).
"""

from __future__ import annotations

import time

from .._text import check_lang, name, text
from .._validation import check_bool, check_int
from ..datasets import make_regression
from ..display import Table
from ..models import LinearRegression
from ..optim import SGD
from ..schedule import Schedule
from ..training import FitResult, fit

__all__ = ["DEMO_LR", "DEMO_N_FEATURES", "DEMO_N_SAMPLES", "demo_runs", "demo_table"]

DEMO_N_SAMPLES = 100
DEMO_N_FEATURES = 5
DEMO_LR = 0.02
_METHODS = (("GD", DEMO_N_SAMPLES), ("mini-batch", 10), ("SGD", 1))


def demo_runs(epochs: int = 500, seed: int = 0) -> dict[tuple[str, str], tuple[FitResult, float]]:
    """Train the six runs; return ``{(method, epoch definition): (result, seconds)}``.

    Examples
    --------
    >>> runs = demo_runs(epochs=5)
    >>> [len(r.history) for r, _ in runs.values()]
    [5, 50, 500, 5, 5, 5]
    """
    epochs = check_int(epochs, "epochs", "demo_runs", min_value=1)
    X, y = make_regression(DEMO_N_SAMPLES, DEMO_N_FEATURES, noise=0.1, seed=seed)
    model = LinearRegression(DEMO_N_FEATURES)
    runs = {}
    for conv in ("pass", "draw"):
        for method, batch_size in _METHODS:
            schedule = Schedule(DEMO_N_SAMPLES, batch_size, epochs, epoch=conv)
            start = time.perf_counter()
            result = fit(model, X, y, schedule, SGD(lr=DEMO_LR), seed=seed)
            runs[(method, conv)] = (result, time.perf_counter() - start)
    return runs


def demo_table(
    epochs: int = 500,
    seed: int = 0,
    lang: str = "en",
    runs: dict[tuple[str, str], tuple[FitResult, float]] | None = None,
    *,
    timings: bool = True,
) -> Table:
    """The demo's table: cost and result of each run, and what to notice.

    Parameters
    ----------
    epochs : int, default 500
        Epochs per run (used when ``runs`` is not given, and in the title).
    seed : int, default 0
        Seed of the data and the batches.
    lang : {"en", "ko"}
        Language of the labels and notes.
    runs : dict, optional
        The result of :func:`demo_runs`, to avoid training twice.
    timings : bool, default True
        Show the wall time of each run. Documentation pages leave it out:
        a time measured while a page is built is not a result.

    Returns
    -------
    Table
        One row per run; the notes say what to notice.

    Examples
    --------
    >>> t = demo_table(epochs=5)
    >>> [r[3] for r in t.rows]
    [5, 50, 500, 5, 5, 5]
    >>> t.notes[0]
    'What to notice:'
    >>> len(demo_table(epochs=5, timings=False).columns)
    7
    """
    lang = check_lang(lang, "demo_table")
    timings = check_bool(timings, "timings", "demo_table")
    if runs is None:
        runs = demo_runs(epochs, seed)
    rows = []
    for (method, conv), (result, seconds) in runs.items():
        h = result.history
        n_updates = len(h)
        samples = int(h["samples_seen"][-1])
        rows.append(
            [
                text(method, lang),
                name(conv, lang),
                int(h["samples_in_step"][0]),
                n_updates,
                samples,
                samples / DEMO_N_SAMPLES,
                float(h.epochs["train_loss"][-1]),
                round(seconds, 3),
            ][: None if timings else -1]
        )
    keys = (
        "method",
        "epoch_convention",
        "batch_size",
        "total_steps",
        "samples_seen",
        "exposures",
        "final_loss",
        "wall_time",
    )[: None if timings else -1]
    cols = {k: text(k, lang) for k in keys}
    title = text("demo_title", lang, n=DEMO_N_SAMPLES, d=DEMO_N_FEATURES, lr=DEMO_LR, epochs=epochs)
    notes = [
        text("demo_notice", lang),
        text("demo_notice_epochs", lang, n=DEMO_N_SAMPLES),
        text("demo_notice_samples", lang, epochs=epochs),
    ]
    if timings:
        notes.append(text("demo_notice_time", lang, n=DEMO_N_SAMPLES))
    # one format per column: a loss to 3 significant digits, trailing zeros kept
    # (0.00820 beside 0.0116, not 0.0082); seconds to the millisecond (0.010, not
    # 0.01); uses of a sample exactly (samples / 100: 49.99, not .3g's 50)
    formats = {"final_loss": "#.3g", "wall_time": ".3f", "exposures": ",g"}
    formats = {k: spec for k, spec in formats.items() if k in keys}
    return Table(cols, rows, title=title, notes=notes, formats=formats)
