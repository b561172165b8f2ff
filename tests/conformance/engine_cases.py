"""The problem and the schedules both engine tests run (torch and Keras); imports no framework."""

from __future__ import annotations

from typing import Any

import numpy as np

import minigd

X, Y = minigd.datasets.make_regression(23, 3, noise=0.1, seed=0)
MODEL = minigd.models.LinearRegression(3)
SEED = 5

#: one batch per update: what both engines run
SCHEDULES = {
    "GD": minigd.Schedule(23, 23, 6),
    "mini-batch": minigd.Schedule(23, 5, 3),
    "SGD": minigd.Schedule(23, 1, 2),
    "draw": minigd.Schedule(23, 4, 8, epoch="draw"),
    "draw SGD": minigd.Schedule(23, 1, 12, epoch="draw"),
    "replacement": minigd.Schedule(23, 5, 3, sampling="replacement"),
    "sequential": minigd.Schedule(23, 6, 2, sampling="sequential"),
    "drop_last": minigd.Schedule(23, 5, 3, drop_last=True),
    "capped stream": minigd.Schedule(23, 5, 4, steps_per_epoch=3),
}


def relative(a: Any, b: Any) -> float:
    """The largest relative difference of ``a`` from ``b`` (arrays, or dicts of arrays)."""
    if isinstance(b, dict):
        return max(relative(a[k], b[k]) for k in b)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.abs(b)))
