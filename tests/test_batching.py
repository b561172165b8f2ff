"""The random stream of pass orders, checked against numpy's generators directly."""

from __future__ import annotations

import numpy as np
import pytest

from minigd import Schedule
from minigd.batching import (
    PASS_BLOCK_VALUES,
    PassOrders,
    pass_block,
    pass_order,
    passes_per_block,
)


def generator_of_block(seed: int, block: int) -> np.random.Generator:
    """PCG64(seed) advanced by block * 2**64 draws, built from numpy alone."""
    bitgen = np.random.PCG64(seed)
    bitgen.advance(block * 2**64)
    return np.random.Generator(bitgen)


@pytest.mark.parametrize("n", [1, 7, 100, 4095, 4096, 5000])
def test_shuffled_passes_are_consecutive_permutations_of_their_block(n: int) -> None:
    per_block = PASS_BLOCK_VALUES // n if n <= PASS_BLOCK_VALUES else 1
    assert passes_per_block(n) == per_block
    for block in (0, 3):
        rng = generator_of_block(11, block)
        for i in range(min(per_block, 5)):
            expected = rng.permutation(n)
            got = pass_order(n, block * per_block + i, 11, "shuffle")
            np.testing.assert_array_equal(got, expected)


def test_large_data_keeps_one_pass_per_block() -> None:
    # From N = 4096 rows up, pass p is PCG64(seed) advanced by p * 2**64.
    n = 10_000
    for p in (0, 1, 9):
        np.testing.assert_array_equal(
            pass_order(n, p, 5, "shuffle"), generator_of_block(5, p).permutation(n)
        )


def test_replacement_block_is_one_call_of_integers() -> None:
    n = 30
    expected = generator_of_block(2, 1).integers(0, n, size=(PASS_BLOCK_VALUES // n, n))
    np.testing.assert_array_equal(pass_block(n, 1, 2, "replacement"), expected)


def test_blocks_differ_and_block_edges_are_seamless() -> None:
    n = 100
    k = passes_per_block(n)
    last_of_first = pass_order(n, k - 1, 0, "shuffle")
    first_of_second = pass_order(n, k, 0, "shuffle")
    assert sorted(first_of_second.tolist()) == list(range(n))
    assert not np.array_equal(last_of_first, first_of_second)
    np.testing.assert_array_equal(first_of_second, generator_of_block(0, 1).permutation(n))


@pytest.mark.parametrize("sampling", ["shuffle", "sequential", "replacement"])
def test_pass_orders_match_pass_order_in_any_visiting_order(sampling: str) -> None:
    orders = PassOrders(50, 3, sampling)
    for p in (0, 1, 81, 82, 200, 5, 81):
        np.testing.assert_array_equal(orders(p), pass_order(50, p, 3, sampling))


def test_orders_are_read_only() -> None:
    for sampling in ("shuffle", "sequential", "replacement"):
        block = pass_block(20, 0, 0, sampling)
        assert block.shape == (passes_per_block(20), 20)
        with pytest.raises(ValueError, match="read-only"):
            block[0, 0] = 1


def test_schedule_batches_follow_the_pass_orders() -> None:
    # Resuming mid-block, the direct lookup and the replay agree with pass_order.
    s = Schedule(30, 4, 300)
    nb = s.batches_per_pass
    assert nb == 8
    for step in (0, 7, 8, 1095, 1096, 2399):
        p, j = divmod(step, nb)
        expected = pass_order(30, p, 4, "shuffle")[j * 4 : (j + 1) * 4]
        np.testing.assert_array_equal(s.batch(step, seed=4).indices, expected)
        np.testing.assert_array_equal(next(iter(s.batches(4, start=step))).indices, expected)
