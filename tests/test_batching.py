"""The row order: Schedule's batches against the one-line numpy definition the docs print."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minigd import Schedule
from minigd.batching import Streams, draw_rows, pass_order, stream

DOCS = Path(__file__).resolve().parents[1] / "docs"

#: The definition as the Reproducibility page prints it (checked below).
PASS_EXPRESSION = "numpy.random.Generator(numpy.random.PCG64(seed).advance((p + 1) << 64))"


def numpy_pass(seed: int, p: int, n: int, sampling: str, b: int) -> np.ndarray:
    """Pass p's order, written from the docs' expression with numpy alone."""
    rng = np.random.Generator(np.random.PCG64(seed).advance((p + 1) << 64))
    if sampling == "replacement":
        return rng.integers(n, size=n)
    if sampling == "sequential" or b >= n:
        return np.arange(n)
    return rng.permutation(n)


def numpy_draw(seed: int, k: int, n: int, sampling: str, b: int) -> np.ndarray:
    rng = np.random.Generator(np.random.PCG64(seed).advance((k + 1) << 64))
    if sampling == "replacement":
        return rng.integers(n, size=b)
    if sampling == "sequential":
        return (k * min(b, n) + np.arange(min(b, n))) % n
    if b >= n:
        return np.arange(n)
    return rng.choice(n, size=b, replace=False)


@pytest.mark.parametrize("page", ["reproducibility.md", "reproducibility.ko.md"])
def test_the_page_prints_the_definition(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert PASS_EXPRESSION in text
    assert ".permutation(N)" in text


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    b=st.integers(1, 50),
    epochs=st.integers(1, 4),
    seed=st.integers(0, 2**70),
    sampling=st.sampled_from(["shuffle", "sequential", "replacement"]),
    drop_last=st.booleans(),
)
def test_pass_batches_are_the_printed_expression(
    n: int, b: int, epochs: int, seed: int, sampling: str, drop_last: bool
) -> None:
    if drop_last and b > n:
        return
    s = Schedule(n, b, epochs, sampling=sampling, drop_last=drop_last)
    nb = s.batches_per_pass
    assert nb is not None
    for batch in s.batches(seed):
        p, j = divmod(batch.step, nb)
        expected = numpy_pass(seed, p, n, sampling, b)[j * b : (j + 1) * b]
        np.testing.assert_array_equal(batch.indices, expected)
        np.testing.assert_array_equal(s.batch(batch.step, seed).indices, expected)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    b=st.integers(1, 50),
    epochs=st.integers(1, 6),
    seed=st.integers(0, 2**70),
    sampling=st.sampled_from(["shuffle", "sequential", "replacement"]),
)
def test_draw_batches_are_the_printed_expression(
    n: int, b: int, epochs: int, seed: int, sampling: str
) -> None:
    s = Schedule(n, b, epochs, epoch="draw", sampling=sampling)
    for batch in s.batches(seed):
        expected = numpy_draw(seed, batch.step, n, sampling, b)
        np.testing.assert_array_equal(batch.indices, expected)
        np.testing.assert_array_equal(s.batch(batch.step, seed).indices, expected)


def test_capped_epochs_continue_the_stream_of_passes() -> None:
    s = Schedule(10, 3, 5, steps_per_epoch=2)  # 4 batches per pass, 2 per epoch
    for batch in s.batches(seed=9):
        p, j = divmod(batch.step, 4)
        np.testing.assert_array_equal(
            batch.indices, numpy_pass(9, p, 10, "shuffle", 3)[j * 3 : (j + 1) * 3]
        )


def test_replicas_deal_the_pass_as_distributed_sampler_does() -> None:
    s = Schedule(7, 2, 1, world_size=2)  # 4 rows per replica, padded from the start
    order = numpy_pass(5, 0, 7, "shuffle", 2)
    dealt = np.resize(order, 8)
    batches = list(s.batches(seed=5))
    np.testing.assert_array_equal(batches[0].parts[0], dealt[0::2][:2])
    np.testing.assert_array_equal(batches[0].parts[1], dealt[1::2][:2])
    np.testing.assert_array_equal(batches[1].parts[0], dealt[0::2][2:4])


def test_a_single_batch_pass_draws_nothing() -> None:
    for sampling in ("shuffle", "sequential"):
        for batch in Schedule(6, 6, 3, sampling=sampling).batches(seed=1):
            np.testing.assert_array_equal(batch.indices, np.arange(6))
    for batch in Schedule(6, 9, 3, epoch="draw").batches(seed=1):
        np.testing.assert_array_equal(batch.indices, np.arange(6))
    # with replacement a full-size batch is still a draw
    rows = [b.indices for b in Schedule(6, 6, 2, sampling="replacement").batches(seed=1)]
    np.testing.assert_array_equal(rows[0], numpy_pass(1, 0, 6, "replacement", 6))


def test_streams_reuse_gives_the_same_numbers_in_any_order() -> None:
    streams = Streams(12)
    for index in (3, 0, 2**40, 3, 1):
        np.testing.assert_array_equal(
            streams(index).permutation(50), stream(12, index).permutation(50)
        )


def test_batch_k_needs_no_earlier_pass() -> None:
    # random access to a far step: one pass drawn, the same rows as the walk
    s = Schedule(100, 10, 10**9)
    k = 10**10 - 3
    p, j = divmod(k, 10)
    expected = numpy_pass(4, p, 100, "shuffle", 10)[j * 10 : (j + 1) * 10]
    np.testing.assert_array_equal(s.batch(k, seed=4).indices, expected)
    np.testing.assert_array_equal(next(s.batches(seed=4, start=k)).indices, expected)


def test_orders_are_read_only_and_pure() -> None:
    a = pass_order(30, 7, 2, "shuffle", 4)
    b = pass_order(30, 7, Streams(2), "shuffle", 4)
    np.testing.assert_array_equal(a, b)
    assert not a.flags.writeable
    assert not draw_rows(30, 4, 7, 2, "shuffle").flags.writeable
    legacy = np.random.get_state()[1].copy()  # noqa: NPY002 (the legacy state is what we check)
    list(Schedule(30, 4, 3).batches(seed=1))
    assert (np.random.get_state()[1] == legacy).all()  # noqa: NPY002


def test_the_initial_parameters_have_a_stream_of_their_own() -> None:
    # init_params(seed) draws from PCG64(seed), stream 0; pass p uses stream p + 1
    from minigd.models import LinearRegression

    first = np.random.default_rng(3).uniform(size=4)
    np.testing.assert_array_equal(first, stream(3, 0).uniform(size=4))
    assert not np.array_equal(pass_order(50, 0, 3, "shuffle", 1), stream(3, 0).permutation(50))
    np.testing.assert_array_equal(pass_order(50, 0, 3, "shuffle", 1), stream(3, 1).permutation(50))
    assert LinearRegression(2).init_params(3).keys() == {"weight", "bias"}
