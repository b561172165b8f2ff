"""ScheduleBatchSampler: each replica's micro-batches, epoch by epoch, and its len()."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

import minigd
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")

from minigd.integrations.torch import ScheduleBatchSampler, updates  # noqa: E402

OPTIONS: list[dict[str, Any]] = [
    {},
    {"drop_last": True},
    {"epoch": "draw"},
    {"sampling": "replacement"},
    {"sampling": "sequential"},
    {"accumulate": 2},
    {"accumulate": 3, "accumulate_across_epochs": True},
    {"accumulate": 2, "accumulate_across_epochs": True, "max_steps": 3},
    {"world_size": 2},
    {"world_size": 3, "accumulate": 2},
    {"world_size": 2, "drop_last": True},
    {"max_steps": 4},
    {"steps_per_epoch": 5},
    {"epoch": "draw", "accumulate": 2, "world_size": 2},
]
SIZES = [(11, 3, 3), (10, 2, 2), (7, 7, 2), (5, 8, 2)]


def schedules() -> list[minigd.Schedule]:
    found = []
    for n, b, e in SIZES:
        for options in OPTIONS:
            with contextlib.suppress(ValueError):  # e.g. drop_last with batch_size > n_samples
                found.append(minigd.Schedule(n, b, e, **options))
    return found


@pytest.mark.parametrize("schedule", schedules(), ids=repr)
def test_each_rank_gets_its_parts_of_every_update_in_order(schedule: minigd.Schedule) -> None:
    r = schedule.world_size
    for rank in range(r):
        sampler = ScheduleBatchSampler(schedule, seed=3, rank=rank)
        yielded = []
        for epoch in range(schedule.epochs):
            sampler.set_epoch(epoch)
            rows = list(sampler)
            assert len(rows) == len(sampler)
            yielded += rows
        expected = [
            b.parts[m * r + rank].tolist()
            for b in schedule.batches(3)
            for m in range(len(b.parts) // r)
        ]
        assert yielded == expected


def test_updates_groups_a_loaders_batches_and_carries_groups_across_epochs() -> None:
    s = minigd.Schedule(5, 2, 2, accumulate=2, accumulate_across_epochs=True, sampling="sequential")
    sampler = ScheduleBatchSampler(s)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.arange(5)), batch_sampler=sampler
    )
    seen = []
    for epoch in range(2):
        sampler.set_epoch(epoch)
        for u in updates(loader):
            seen.append(
                (epoch, u.step, [b[0].tolist() for b in u.batches], u.micro_steps, u.completes)
            )
    # 3 micro-batches per epoch, groups of 2: update 1 starts in epoch 0 and ends in epoch 1
    assert seen == [
        (0, 0, [[0, 1], [2, 3]], 2, True),
        (0, 1, [[4]], 2, False),
        (1, 1, [[0, 1]], 2, True),
        (1, 2, [[2, 3], [4]], 2, True),
    ]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: ScheduleBatchSampler("s"),
            TypeError,
            "'schedule' parameter of ScheduleBatchSampler",
        ),
        (lambda: ScheduleBatchSampler(minigd.Schedule(9, 2, 2), seed=None), TypeError, "'seed'"),
        (lambda: ScheduleBatchSampler(minigd.Schedule(9, 2, 2), rank=1), ValueError, r"\[0, 0\]"),
        # below the range too, the message states the range [0, world_size - 1], not [0, inf)
        (
            lambda: ScheduleBatchSampler(minigd.Schedule(9, 2, 2), rank=-1),
            ValueError,
            r"must be an int in the range \[0, 0\] .*Got -1 instead",
        ),
        (
            lambda: ScheduleBatchSampler(minigd.Schedule(9, 2, 2, world_size=2), rank=-1),
            ValueError,
            r"must be an int in the range \[0, 1\] .*Got -1 instead",
        ),
        (
            lambda: ScheduleBatchSampler(minigd.Schedule(9, 2, 2, world_size=2), rank=2),
            ValueError,
            r"must be an int in the range \[0, 1\] .*Got 2 instead",
        ),
        (
            lambda: ScheduleBatchSampler(minigd.Schedule(9, 2, 2), rank="0"),
            TypeError,
            r"'rank' parameter of ScheduleBatchSampler must be an int\. Got '0' instead",
        ),
        (
            lambda: ScheduleBatchSampler(minigd.Schedule(9, 2, 2)).set_epoch(2),
            ValueError,
            "'epoch' parameter of ScheduleBatchSampler.set_epoch",
        ),
        (lambda: next(updates([[0, 1]])), TypeError, "batch_sampler=ScheduleBatchSampler"),
    ],
)
def test_bad_arguments(call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("n_samples", "world_size"),
    [(2**63 - 1, 1), (2**63, 1), (2**64 - 2, 2), (2**64, 2), (10**400, 1)],
    ids=["2**63-1", "2**63", "2**64-2 on 2", "2**64 on 2", "10**400"],
)
def test_len_past_what_python_allows_is_refused_at_construction(
    n_samples: int, world_size: int
) -> None:
    # Python's len() must return at most sys.maxsize (2**63 - 1): past it, OverflowError
    # "cannot fit 'int' into an index-sized integer" from its internals
    import sys

    s = minigd.Schedule(n_samples, 1, 1, sampling="sequential", world_size=world_size)
    per_replica = n_samples // world_size  # batch size 1: one micro-batch per row
    if per_replica <= sys.maxsize:
        assert len(ScheduleBatchSampler(s, rank=world_size - 1)) == per_replica
        return
    with pytest.raises(
        ValueError,
        match=r"'schedule' parameter of ScheduleBatchSampler must "
        r"have at most sys\.maxsize = 9,223,372,036,854,775,807 micro-batches",
    ):
        ScheduleBatchSampler(s)
