"""The rows of each update, as arrays, for fit's loop.

Speed comes from here, not from the maths: rows of several upcoming batches
are gathered at once into reused buffers (bounded memory, no allocation per
update), fixed-order data is sliced without copying, and a batch that is the
whole data set is the data set itself (no shuffle, no copy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .batching import PassOrders
from .schedule import Schedule

__all__ = ["GATHER_BYTES", "checks_rows_on_the_way", "feed", "feed_parts"]

#: Upper bound on the rows gathered at once (bytes of X and y together): small
#: enough that they are still in the core's L2 cache when the update reads them.
GATHER_BYTES = 1 << 19


def _group(schedule: Schedule, X: NDArray[Any], y: NDArray[Any], gather_bytes: int) -> int:
    """How many batches' rows are gathered at once."""
    row_bytes = X.itemsize * (X.size // max(len(X), 1)) + y.itemsize * (y.size // max(len(y), 1))
    return max(1, gather_bytes // (schedule.batch_size * row_bytes))


def checks_rows_on_the_way(
    schedule: Schedule,
    start: int,
    X: NDArray[Any],
    y: NDArray[Any],
    gather_bytes: int = GATHER_BYTES,
) -> bool:
    """Whether :func:`feed` with a ``check_rows`` sees every row of ``X`` before using it.

    True when a run from step 0 reads the data in several blocks per pass and
    its first pass holds every row once: each block can then be checked while
    it is in cache, which saves the separate pass over a large ``X`` that an
    up-front scan costs. Small data (one block), full batches, sampling with
    replacement, dropped rows and resumed runs are checked up front instead.

    Examples
    --------
    >>> import numpy as np
    >>> from minigd import Schedule
    >>> X, y = np.zeros((1000, 4)), np.zeros(1000)
    >>> checks_rows_on_the_way(Schedule(1000, 10, 2), 0, X, y, gather_bytes=4000)
    True
    >>> checks_rows_on_the_way(Schedule(1000, 10, 2), 0, X, y)  # one block: scan up front
    False
    """
    nb = schedule.batches_per_pass
    return (
        start == 0
        and nb is not None
        and schedule.accumulate == 1
        and schedule.world_size == 1
        and schedule.sampling != "replacement"
        and schedule.samples_per_pass == schedule.n_samples
        and schedule.total_steps >= nb
        and _group(schedule, X, y, gather_bytes) < nb
    )


def feed(
    schedule: Schedule,
    seed: int,
    start: int,
    X: NDArray[Any],
    y: NDArray[Any],
    gather_bytes: int = GATHER_BYTES,
    check_rows: Callable[[NDArray[Any]], None] | None = None,
) -> Iterator[tuple[NDArray[Any], NDArray[Any]]]:
    """Yield ``(X_batch, y_batch)`` for every update from step ``start`` on.

    The arrays may be views into reused buffers: valid until the next item.
    ``check_rows``, when :func:`checks_rows_on_the_way` is true, is called on
    each block of ``X`` rows of the first pass before any of its batches is
    yielded (so it can raise before an update uses a bad row).
    """
    if check_rows is not None and not checks_rows_on_the_way(schedule, start, X, y, gather_bytes):
        raise ValueError("check_rows needs a run that checks_rows_on_the_way serves")
    total = schedule.total_steps
    nb = schedule.batches_per_pass
    if schedule.accumulate > 1 or schedule.world_size > 1:
        raise ValueError("feed serves single-part updates; use feed_parts")
    if nb is None:  # draw epochs: every batch on its own
        for batch in schedule.batches(seed, start=start):
            yield X[batch.indices], y[batch.indices]
        return
    n, b, sampling = schedule.n_samples, schedule.batch_size, schedule.sampling
    end = schedule.samples_per_pass
    assert end is not None
    step = start
    if nb == 1 and end == n and sampling != "replacement":
        # Full batch: the gradient of the mean loss does not depend on row order.
        while step < total:
            yield X, y
            step += 1
        return
    group = _group(schedule, X, y, gather_bytes)
    rows_max = min(group * b, n)
    buf_X = np.empty((rows_max, *X.shape[1:]), dtype=X.dtype)
    buf_y = np.empty((rows_max, *y.shape[1:]), dtype=y.dtype)
    # The batches of a gathered group always sit at the same places in the
    # buffers: make their views once, not two slices per update.
    views = [(buf_X[o : o + b], buf_y[o : o + b]) for o in range(0, rows_max - b + 1, b)]
    # When one group holds a whole pass (small data), a whole pass is one gather
    # and the same list of batches: built once here, replayed every pass.
    one_group = group >= nb
    if one_group:
        source_X, source_y = (X, y) if sampling == "sequential" else (buf_X, buf_y)
        whole_pass = [(source_X[o : o + b], source_y[o : o + b]) for o in range(0, end, b)]
        pass_rows_X, pass_rows_y = buf_X[:end], buf_y[:end]
    p, j = divmod(start, nb)
    checked_pass = 0 if check_rows is not None else -1  # the pass whose blocks are checked
    orders = None if sampling == "sequential" else PassOrders(n, seed, sampling)
    while step < total:
        order = None if orders is None else orders(p)
        if one_group and j == 0 and step + nb <= total:
            if order is not None:
                # the methods, not np.take: its Python wrapper costs more than the copy
                X.take(order[:end], axis=0, out=pass_rows_X, mode="clip")
                y.take(order[:end], axis=0, out=pass_rows_y, mode="clip")
            yield from whole_pass
            step += nb
            p += 1
            continue
        while j < nb and step < total:
            j1 = min(nb, j + group, j + total - step)
            lo, hi = j * b, min(j1 * b, end)
            if order is None:
                Xc, yc = X[lo:hi], y[lo:hi]
                if p == checked_pass and check_rows is not None:
                    check_rows(Xc)
                for o in range(0, hi - lo, b):
                    yield Xc[o : o + b], yc[o : o + b]
            else:
                rows = order[lo:hi]
                X.take(rows, axis=0, out=buf_X[: hi - lo], mode="clip")
                y.take(rows, axis=0, out=buf_y[: hi - lo], mode="clip")
                if p == checked_pass and check_rows is not None:
                    check_rows(buf_X[: hi - lo])  # in cache now: cheaper than another pass
                whole = (hi - lo) // b
                yield from views[:whole]
                if whole < j1 - j:  # the ragged last batch of a pass
                    yield buf_X[whole * b : hi - lo], buf_y[whole * b : hi - lo]
            step += j1 - j
            j = j1
        p, j = p + 1, 0


def feed_parts(
    schedule: Schedule, seed: int, start: int, X: NDArray[Any], y: NDArray[Any]
) -> Iterator[list[tuple[NDArray[Any], NDArray[Any]]]]:
    """Yield, for every update, the rows of each micro-batch on each replica."""
    for batch in schedule.batches(seed, start=start):
        yield [(X[part], y[part]) for part in batch.parts]
