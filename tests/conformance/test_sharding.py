"""The two drop_lasts under data parallelism, against the real samplers (one process).

``DistributedSampler(num_replicas=r, rank=i)`` and accelerate's
``BatchSamplerShard(num_processes=r, process_index=i)`` take the replica as an
argument, so every rank's batches can be listed here without starting
processes (tests/conformance/test_live_ddp.py starts them). With a fixed order
(``shuffle=False``, ``sampling="sequential"``) the real rows are minigd's
rows, batch by batch and rank by rank.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigd import Schedule
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")
DataLoader = torch.utils.data.DataLoader
DistributedSampler = torch.utils.data.distributed.DistributedSampler


def torch_ranks(n: int, b: int, r: int, sampler_drop: bool, drop: bool) -> list[list[list[int]]]:
    """Each rank's batches: DistributedSampler(drop_last=sampler_drop), then DataLoader."""
    ranks = []
    for i in range(r):
        sampler = DistributedSampler(
            range(n), num_replicas=r, rank=i, shuffle=False, drop_last=sampler_drop
        )
        loader = DataLoader(range(n), batch_size=b, sampler=sampler, drop_last=drop)
        ranks.append([batch.tolist() for batch in loader])
    return ranks


def accelerate_ranks(n: int, b: int, r: int, drop: bool) -> list[list[list[int]]]:
    """Each rank's batches as the Hugging Face Trainer's accelerate deals them."""
    shard = require("accelerate.data_loader").BatchSamplerShard
    batch_sampler = torch.utils.data.BatchSampler(
        torch.utils.data.SequentialSampler(range(n)), batch_size=b, drop_last=drop
    )
    return [
        [list(x) for x in shard(batch_sampler, num_processes=r, process_index=i)] for i in range(r)
    ]


def minigd_ranks(s: Schedule) -> list[list[list[int]]]:
    """Each replica's micro-batches of one epoch, from the parts of the schedule's updates."""
    r = s.world_size
    parts = [p.tolist() for batch in s.batches() if batch.epoch == 0 for p in batch.parts]
    return [parts[i::r] for i in range(r)]


def refused(n: int, b: int, r: int, **options: object) -> bool:
    try:
        Schedule(n, b, 1, world_size=r, sampling="sequential", **options)
    except ValueError:
        return True
    return False


@given(st.integers(1, 60), st.integers(1, 25), st.integers(2, 4), st.booleans(), st.booleans())
def test_distributed_sampler_and_loader(
    n: int, b: int, r: int, sampler_drop: bool, drop: bool
) -> None:
    theirs = torch_ranks(n, b, r, sampler_drop, drop)
    options = {"drop_last": drop, "sharding": "drop" if sampler_drop else "pad"}
    if not theirs[0]:  # no batch on a rank: no update would happen
        assert refused(n, b, r, **options)
        return
    s = Schedule(n, b, 2, world_size=r, sampling="sequential", **options)
    assert minigd_ranks(s) == theirs
    assert s.batches_per_pass == len(theirs[0])
    assert s.samples_per_pass == sum(len(x) for rank in theirs for x in rank)


@given(st.integers(1, 60), st.integers(1, 25), st.integers(2, 4), st.booleans())
def test_accelerate_batch_sampler_shard(n: int, b: int, r: int, drop: bool) -> None:
    theirs = accelerate_ranks(n, b, r, drop)
    if not theirs[0]:
        assert refused(n, b, r, drop_last=drop, sharding="batches")
        return
    s = Schedule(n, b, 2, world_size=r, sampling="sequential", drop_last=drop, sharding="batches")
    assert minigd_ranks(s) == theirs
    assert s.batches_per_pass == len(theirs[0])


def test_the_issues_lightning_examples() -> None:
    # Lightning injects DistributedSampler(dataset, num_replicas, rank): no sampler drop_last
    s = Schedule.from_framework(
        "lightning", n_samples=11, batch_size=3, max_epochs=2, devices=2, drop_last=True
    )
    theirs = torch_ranks(11, 3, 2, sampler_drop=False, drop=True)
    assert [len(rank) for rank in theirs] == [2, 2]
    assert s.counters("lightning")["trainer.num_training_batches"] == 2
    assert s.counters("lightning")["trainer.global_step"] == 4
    accepted = Schedule.from_framework(
        "lightning", n_samples=13, batch_size=7, max_epochs=2, devices=2, drop_last=True
    )
    assert [len(rank) for rank in torch_ranks(13, 7, 2, sampler_drop=False, drop=True)] == [1, 1]
    assert accepted.counters("lightning")["trainer.global_step"] == 2
