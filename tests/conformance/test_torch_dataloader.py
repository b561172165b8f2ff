"""PyTorch's DataLoader is the oracle for pass epochs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigd import Schedule
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")
DataLoader = torch.utils.data.DataLoader
RandomSampler = torch.utils.data.RandomSampler


def flat(batches: list[list[int]]) -> list[int]:
    return [i for batch in batches for i in batch]


@given(st.integers(1, 400), st.integers(1, 450), st.booleans())
def test_len_dataloader_equals_steps_per_epoch(n: int, b: int, drop_last: bool) -> None:
    loader = DataLoader(range(n), batch_size=b, drop_last=drop_last)
    if drop_last and b > n:
        # torch yields nothing per epoch; minigd refuses the schedule instead.
        assert len(loader) == 0
        with pytest.raises(ValueError, match="drop_last=True"):
            Schedule(n, b, 1, drop_last=True)
        return
    assert len(loader) == Schedule(n, b, 3, drop_last=drop_last).steps_per_epoch


@given(st.integers(1, 200), st.integers(1, 60), st.booleans(), st.integers(1, 4))
def test_sequential_batches_equal_dataloader(n: int, b: int, drop_last: bool, e: int) -> None:
    if drop_last and b > n:
        return
    loader = DataLoader(range(n), batch_size=b, drop_last=drop_last)
    theirs = [batch.tolist() for _ in range(e) for batch in loader]
    s = Schedule(n, b, e, drop_last=drop_last, sampling="sequential")
    assert [bt.indices.tolist() for bt in s.batches()] == theirs
    assert len(theirs) == s.total_steps
    assert sum(len(x) for x in theirs) == s.samples_seen


@pytest.mark.parametrize(("n", "b"), [(100, 3), (37, 5), (10, 4), (100, 1)])
def test_shuffled_epochs_have_the_same_shape(n: int, b: int) -> None:
    g = torch.Generator().manual_seed(0)
    loader = DataLoader(range(n), batch_size=b, shuffle=True, generator=g)
    s = Schedule(n, b, 2)
    for epoch in range(2):
        theirs = [batch.tolist() for batch in loader]
        ours = [bt.indices.tolist() for bt in s.batches(seed=0) if bt.epoch == epoch]
        assert [len(x) for x in theirs] == [len(x) for x in ours]
        assert sorted(flat(theirs)) == sorted(flat(ours)) == list(range(n))


@pytest.mark.parametrize(("n", "b", "drop_last"), [(37, 5, False), (37, 5, True), (100, 3, False)])
def test_replacement_sampler_length(n: int, b: int, drop_last: bool) -> None:
    sampler = RandomSampler(range(n), replacement=True, num_samples=n)
    loader = DataLoader(range(n), batch_size=b, sampler=sampler, drop_last=drop_last)
    s = Schedule(n, b, 1, sampling="replacement", drop_last=drop_last)
    assert len(loader) == s.steps_per_epoch
    assert sum(len(x) for x in loader) == s.samples_per_epoch


def test_replacement_uses_about_63_percent() -> None:
    # torch: 62-69 of 100 unique per pass; expectation 1 - 1/e. Same law here.
    s = Schedule(100, 5, 1, sampling="replacement")
    unique = [np.count_nonzero(s.exposures(seed=k)) for k in range(200)]
    assert abs(np.mean(unique) / 100 - (1 - (1 - 1 / 100) ** 100)) < 0.01
    assert 1 - s.exposure_summary().p_never == pytest.approx(1 - (1 - 1 / 100) ** 100)
