"""Counting rules as properties over random N, B, E and options."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import minigd
from minigd import Schedule


@st.composite
def schedules(draw: st.DrawFn, epoch: str | None = None, cap: bool = True) -> Schedule:
    n = draw(st.integers(1, 60))
    conv = epoch or draw(st.sampled_from(["pass", "draw"]))
    drop = conv == "pass" and draw(st.booleans())
    b = draw(st.integers(1, n if drop else n + 10))
    options: dict[str, Any] = {
        "epoch": conv,
        "drop_last": drop,
        "sampling": draw(st.sampled_from(["shuffle", "sequential", "replacement"])),
        "iteration": draw(st.sampled_from(["step", "epoch"])),
    }
    parallel = draw(st.booleans())
    if parallel:
        r = draw(st.integers(1, min(4, n)))
        options["world_size"] = r
        options["accumulate"] = draw(st.integers(1, 5))
        options["accumulate_across_epochs"] = draw(st.booleans())
        options["sharding"] = draw(st.sampled_from(["pad", "drop", "batches"]))
        if drop:  # rows each replica's loader gets: at least one batch of them
            b = min(b, -(-n // r) if options["sharding"] == "pad" else n // r)
    elif cap and draw(st.booleans()):
        options["steps_per_epoch"] = draw(st.integers(1, 25))
    epochs = draw(st.integers(1, 6))
    try:
        full = Schedule(n, b, epochs, **options).total_steps
    except ValueError:
        assume(False)  # accumulation larger than the whole run: refused, tested elsewhere
    if draw(st.booleans()):
        options["max_steps"] = draw(st.integers(1, full + 3))
    return Schedule(n, b, epochs, **options)


seeds = st.integers(0, 2**32)


@given(schedules(epoch="pass", cap=False), seeds)
def test_pass_epoch_covers_every_index_once(s: Schedule, seed: int) -> None:
    if s.world_size > 1 or s.max_steps is not None or s.accumulate_across_epochs:
        return  # padding repeats rows; max_steps and carried groups cut epochs
    for e in range(s.epochs):
        rows = np.concatenate([b.indices for b in s.batches(seed) if b.epoch == e])
        if s.sampling == "replacement":
            assert rows.size == s.samples_per_epoch
        elif s.drop_last:
            assert len(set(rows.tolist())) == rows.size == s.samples_per_epoch
        else:
            assert sorted(rows.tolist()) == list(range(s.n_samples))


@given(schedules(), seeds)
def test_batch_sizes_sum_to_samples(s: Schedule, seed: int) -> None:
    batches = list(s.batches(seed))
    assert len(batches) == s.total_steps
    for e in range(s.epochs):
        assert sum(b.size for b in batches if b.epoch == e) == s.samples_in_epoch(e)
        assert sum(1 for b in batches if b.epoch == e) == s.steps_in_epoch(e)
    for b in batches:
        assert b.indices.tolist() == np.concatenate(b.parts).tolist()
        assert len(b.parts) <= s.accumulate * s.world_size
    assert sum(b.size for b in batches) == s.samples_seen
    assert [b.samples_seen for b in batches] == np.cumsum([b.size for b in batches]).tolist()
    assert [b.step for b in batches] == list(range(s.total_steps))
    first_of_epoch = np.cumsum([0] + [s.steps_in_epoch(e) for e in range(s.epochs)])
    assert all(first_of_epoch[b.epoch] + b.step_in_epoch == b.step for b in batches)
    assert all(b.indices.min() >= 0 and b.indices.max() < s.n_samples for b in batches)


@given(schedules(), seeds)
def test_exposures_sum_to_samples_seen(s: Schedule, seed: int) -> None:
    counts = s.exposures(seed)
    assert counts.shape == (s.n_samples,)
    assert counts.sum() == s.samples_seen
    replayed = np.zeros(s.n_samples, dtype=np.int64)
    for b in s.batches(seed):
        np.add.at(replayed, b.indices, 1)
    assert (counts == replayed).all()
    x = s.exposure_summary()
    assert x.mean == pytest.approx(s.samples_seen / s.n_samples, rel=1e-12)
    assert x.min <= counts.min()
    assert counts.max() <= x.max


@given(schedules(), seeds)
def test_same_seed_same_batches(s: Schedule, seed: int) -> None:
    first = [b.indices.tolist() for b in s.batches(seed)]
    second = [b.indices.tolist() for b in s.batches(seed)]
    assert first == second


@given(schedules(), seeds, st.data())
def test_step_k_directly(s: Schedule, seed: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, s.total_steps - 1))
    direct = s.batch(k, seed)
    replayed = list(s.batches(seed))[k]
    assert direct.indices.tolist() == replayed.indices.tolist()
    assert (direct.epoch, direct.step, direct.step_in_epoch, direct.samples_seen) == (
        replayed.epoch,
        replayed.step,
        replayed.step_in_epoch,
        replayed.samples_seen,
    )


@given(schedules())
def test_counts_are_consistent(s: Schedule) -> None:
    assert s.total_steps == sum(s.steps_in_epoch(e) for e in range(s.epochs))
    if s.max_steps is None and not (s.accumulate_across_epochs and s.accumulate > 1):
        assert s.total_steps == s.epochs * s.steps_per_epoch
    assert s.iterations == (s.total_steps if s.iteration == "step" else s.epochs)
    assert s.samples_seen == sum(s.samples_in_epoch(e) for e in range(s.epochs))
    if (
        s.epoch == "pass"
        and s.arguments()["steps_per_epoch"] is None
        and s.world_size == 1
        and s.accumulate == 1
    ):
        nb = -(-s.n_samples // s.batch_size)
        if s.drop_last:
            nb = s.n_samples // s.batch_size
        assert s.steps_per_epoch == nb
    sizes = {s.samples_in_epoch(e) for e in range(s.epochs)}
    if len(sizes) == 1 and s.max_steps is None:
        assert s.samples_per_epoch == sizes.pop()


@given(schedules(), seeds, st.data())
def test_batches_from_start_equal_the_tail(s: Schedule, seed: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, s.total_steps))
    full = [(b.step, b.samples_seen, b.indices.tolist()) for b in s.batches(seed)]
    tail = [(b.step, b.samples_seen, b.indices.tolist()) for b in s.batches(seed, start=k)]
    assert tail == full[k:]


@given(schedules(), seeds)
def test_step_table_matches_batches(s: Schedule, seed: int) -> None:
    table = s.step_table()
    batches = list(s.batches(seed))
    assert table["epoch"].tolist() == [b.epoch for b in batches]
    assert table["step_in_epoch"].tolist() == [b.step_in_epoch for b in batches]
    assert table["batch_size"].tolist() == [b.size for b in batches]
    assert table["samples_seen"].tolist() == [b.samples_seen for b in batches]


@given(schedules(), seeds)
def test_fit_gathers_exactly_the_scheduled_rows(s: Schedule, seed: int) -> None:
    # fit never re-derives the rows: each loss_and_grad call gets a part of a batch
    from minigd.models import LinearRegression

    class Spy(LinearRegression):
        def loss_and_grad(self, params: Any, X: Any, y: Any) -> Any:
            seen.append(y.tolist())
            return super().loss_and_grad(params, X, y)

    seen: list[list[float]] = []
    X = np.arange(s.n_samples * 2, dtype=np.float64).reshape(-1, 2)
    y = np.arange(s.n_samples, dtype=np.float64)
    minigd.fit(Spy(2), X, y, s, minigd.optim.SGD(lr=0.0), seed=seed, epoch_loss=False)
    expected = [y[part].tolist() for b in s.batches(seed) for part in b.parts]
    assert seen == expected
