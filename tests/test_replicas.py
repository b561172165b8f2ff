"""Sharding under replicas: the argument's checks, and what each framework makes of it.

The counts themselves are checked against the real samplers in
tests/conformance/test_sharding.py and against live 2-process runs in
tests/conformance/test_live_ddp.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from minigd import SHARDING_METHODS, Schedule
from minigd.frameworks import FrameworkError


def test_one_replica_is_the_same_run_whatever_the_sharding() -> None:
    plain = Schedule(100, 3, 2, drop_last=True, accumulate=4)
    for sharding in SHARDING_METHODS:
        s = plain.replace(sharding=sharding)
        assert s.to_dict() | {"sharding": "pad"} == plain.to_dict()
        assert [b.indices.tolist() for b in s.batches(seed=3)] == [
            b.indices.tolist() for b in plain.batches(seed=3)
        ]


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        ({"sharding": "even"}, ValueError, ["'sharding'", "'pad'", "'batches'", "'even'"]),
        ({"sharding": 1}, TypeError, ["'sharding'"]),
        ({"world_size": 5, "sharding": "drop"}, ValueError, ["'world_size'", "sharding='drop'"]),
        (
            {"world_size": 2, "drop_last": True, "sharding": "drop", "batch_size": 3},
            ValueError,
            ["'batch_size'", "samples per replica=2", "sharding='drop'", "Got 3"],
        ),
    ],
)
def test_bad_sharding_is_refused_naming_the_parameter(
    options: dict[str, Any], error: type[Exception], words: list[str]
) -> None:
    arguments = {"n_samples": 4, "batch_size": 1, "epochs": 1, **options}
    with pytest.raises(error) as info:
        Schedule(**arguments)
    for word in words:
        assert word in str(info.value)


def test_padding_lets_a_batch_larger_than_an_even_share() -> None:
    # 13 rows on 2 replicas: DistributedSampler pads each shard to 7, one batch of 7
    assert Schedule(13, 7, 2, world_size=2, drop_last=True).batches_per_pass == 1
    with pytest.raises(ValueError, match="samples per replica=6"):
        Schedule(13, 7, 2, world_size=2, drop_last=True, sharding="batches")


def test_a_framework_that_deals_otherwise_refuses_when_the_counts_differ() -> None:
    s = Schedule(11, 3, 2, world_size=2, drop_last=True, sharding="batches")
    with pytest.raises(FrameworkError) as info:
        s.counters("lightning")
    assert info.value.code == "sharding"
    assert "batches per process and epoch, 2 there and 1 in the schedule" in str(info.value)
    assert "DistributedSampler" in info.value.describe("ko")
    with pytest.raises(FrameworkError, match=r"BatchSamplerShard.*1 there and 2 in the schedule"):
        Schedule(11, 3, 2, world_size=2, drop_last=True).counters("huggingface")
    assert s.counters("pytorch")["len(loader)"] == 1  # accelerate in a torch loop


def test_a_framework_that_deals_otherwise_notes_the_rows_when_the_counts_agree() -> None:
    s = Schedule(10, 3, 2, world_size=2)  # padded shards of 5 rows: batches of 3 and 2
    c = s.counters("huggingface")
    assert c["len(train_dataloader)"] == 2
    assert "12 rows" in c["note"]
    assert "sharding='batches'" in c["note"]
    assert "where the schedule uses 10" in c["note"]
    assert Schedule(100, 3, 2, world_size=2).counters("huggingface").get("note") is not None
    assert "note" not in Schedule(100, 3, 2, world_size=2, drop_last=True).counters("huggingface")


@pytest.mark.parametrize(
    ("framework", "schedule"),
    [
        ("pytorch", Schedule(11, 3, 2, world_size=2, drop_last=True)),
        ("pytorch", Schedule(11, 3, 2, world_size=2, drop_last=True, sharding="drop")),
        ("pytorch", Schedule(11, 3, 2, world_size=2, sharding="batches")),
        ("lightning", Schedule(11, 3, 2, world_size=2, drop_last=True, sampling="sequential")),
        (
            "lightning",
            Schedule(11, 3, 2, world_size=2, sharding="drop", sampling="sequential"),
        ),
        ("huggingface", Schedule(11, 3, 2, world_size=2, drop_last=True, sharding="batches")),
    ],
)
def test_the_arguments_go_both_ways(framework: str, schedule: Schedule) -> None:
    arguments = schedule.to(framework)["arguments"]
    back = Schedule.from_framework(framework, schedule.n_samples, **arguments)
    assert back.sharding == schedule.sharding
    assert back.total_steps == schedule.total_steps


def test_pytorch_takes_one_way_of_sharding() -> None:
    with pytest.raises(ValueError, match="sampler_drop_last=True and shard_batches=True"):
        Schedule.from_framework(
            "pytorch", 11, batch_size=3, world_size=2, sampler_drop_last=True, shard_batches=True
        )
