"""What resume's data check costs on the benchmark's X (the Reproducibility page's table).

Run it alone on a quiet machine (it needs about 0.9 GB)::

    python benchmarks/fingerprint.py

It times, on a 1,000,000 x 100 float64 ``X`` (763 MiB): the fingerprint a
checkpoint records (``minigd.training.data_fingerprint``), ``fit``'s finiteness
check of ``X``, and a hash of all of ``X`` for comparison. Medians of 20 runs
(3 for the whole-``X`` hash).
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Callable

import numpy as np

from minigd.models._base import count_nonfinite
from minigd.training import data_fingerprint


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    X = np.random.default_rng(0).standard_normal((1_000_000, 100))
    y = np.random.default_rng(1).standard_normal(1_000_000)
    rows = [
        (
            "the fingerprint (1,024 rows of X and y)",
            median_seconds(lambda: data_fingerprint(X, y), 20),
        ),
        ("fit's finiteness check of X", median_seconds(lambda: count_nonfinite(X), 20)),
        (
            "a hash of all of X (BLAKE2b)",
            median_seconds(lambda: hashlib.blake2b(X.data).digest(), 3),
        ),
    ]
    print(f"X: {X.shape[0]:,} x {X.shape[1]} float64, {X.nbytes / 2**20:.0f} MiB")
    for what, seconds in rows:
        shown = f"{seconds * 1e3:.1f} ms" if seconds < 0.01 else f"{seconds:.2f} s"
        print(f"| {what} | {shown} |")


if __name__ == "__main__":
    main()
