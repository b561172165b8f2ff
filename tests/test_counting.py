"""The four counting regimes against plain loops that walk the run micro-batch by micro-batch."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigd import Schedule
from minigd.counting import CappedStream, CarriedGroups, DrawEpochs, PassEpochs
from minigd.frameworks import from_framework


def walk(n: int, b: int, epochs: int, k: int, carried: bool) -> list[int]:
    """Updates in each epoch, counted one micro-batch at a time (no formula)."""
    nb = -(-n // b)
    per_epoch, pending = [], 0
    for _ in range(epochs):
        done = 0
        for _ in range(nb):
            pending += 1
            if pending == k:
                done, pending = done + 1, 0
        if not carried and pending:  # flushed: the partial group steps
            done, pending = done + 1, 0
        per_epoch.append(done)
    return per_epoch


@given(
    st.integers(1, 40),
    st.integers(1, 12),
    st.integers(1, 5),
    st.integers(1, 6),
    st.booleans(),
)
def test_updates_per_epoch_equal_a_plain_walk(
    n: int, b: int, epochs: int, k: int, carried: bool
) -> None:
    expected = walk(n, b, epochs, k, carried)
    if sum(expected) == 0:
        return  # refused: no update would happen
    s = Schedule(n, b, epochs, accumulate=k, accumulate_across_epochs=carried)
    assert [s.steps_in_epoch(e) for e in range(epochs)] == expected
    table = s.step_table()
    assert [int((table["epoch"] == e).sum()) for e in range(epochs)] == expected


@pytest.mark.parametrize(
    ("options", "regime", "kind"),
    [
        ({}, "pass", PassEpochs),
        ({"accumulate": 4}, "pass", PassEpochs),
        ({"epoch": "draw"}, "draw", DrawEpochs),
        ({"epoch": "draw", "steps_per_epoch": 3}, "draw", DrawEpochs),
        ({"steps_per_epoch": 7}, "capped", CappedStream),
        ({"accumulate": 4, "accumulate_across_epochs": True}, "carried", CarriedGroups),
    ],
)
def test_each_schedule_names_its_regime(options: dict[str, Any], regime: str, kind: type) -> None:
    c = Schedule(100, 3, 2, **options).counting
    assert (c.regime, type(c)) == (regime, kind)


def test_renamed_names_warn_and_still_answer() -> None:
    s = Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True)
    with pytest.warns(DeprecationWarning, match="steps_in_epoch"):
        assert s.updates_in_epoch(1) == 9  # 34 + 34 micro-batches: updates 8 and 9
    capped = Schedule(100, 3, 4, steps_per_epoch=20)
    with pytest.warns(DeprecationWarning, match="steps_per_epoch"):
        assert capped.steps_cap == 20
    assert capped.steps_per_epoch == 20 == capped.arguments()["steps_per_epoch"]
    assert s.to_dict()["steps_in_epoch"] == [8, 9]
    assert "updates_per_epoch" not in s.to_dict()


def test_from_framework_gives_arguments_and_schedule_builds_them() -> None:
    # Keras 3's fit defaults: shuffle=True, no steps_per_epoch, no accumulation
    args = from_framework("keras", 100, batch_size=5, epochs=30)
    assert args == {
        "n_samples": 100,
        "batch_size": 5,
        "epochs": 30,
        "sampling": "shuffle",
        "steps_per_epoch": None,
        "accumulate": 1,
        "accumulate_across_epochs": False,
    }
    assert Schedule.from_framework("keras", 100, batch_size=5, epochs=30) == Schedule(**args)
