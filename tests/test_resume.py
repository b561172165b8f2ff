"""Exact resume: a run resumed from a checkpoint at any step is the uninterrupted run.

The oracle is the uninterrupted run itself: what ``fit`` returns and every
callback call it makes after the checkpoint's step. The property runs over
generated schedules of at most 40 updates (``MINIGD_HYPOTHESIS=stress`` for
thousands of them).
"""

from __future__ import annotations

import contextlib
import os
import pathlib
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import minigd
from minigd import EarlyStopping, EpochInfo, Schedule, StepInfo, fit
from minigd.checkpoint import load_checkpoint
from minigd.lr import StepDecay
from minigd.models import LinearRegression, SoftmaxRegression
from minigd.optim import SGD, Adagrad, Adam, RMSprop

STRESS = os.environ.get("MINIGD_HYPOTHESIS") == "stress"
#: derandomized in ``make test``; thousands of fresh examples under stress
PROPERTY = settings(
    max_examples=3000 if STRESS else 120,
    derandomize=not STRESS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

X, Y = minigd.datasets.make_regression(24, 3, noise=0.1, seed=8)
MODEL = LinearRegression(3)


class PowerCut(Exception):  # noqa: N818 (a simulated crash)
    """Raised by a callback: the process dies after the update's checkpoint."""


class Recorder:
    """Every callback call, as plain values (parameters and state as bytes)."""

    def __init__(self, cut: int | None = None, cut_in_epoch_end: bool = False) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.cut, self.cut_in_epoch_end = cut, cut_in_epoch_end

    def on_step_end(self, info: StepInfo) -> None:
        self.calls.append(("step", *info[:7], *_bits(info.params, info.state)))
        if info.step_index == self.cut and not self.cut_in_epoch_end:
            raise PowerCut

    def on_epoch_end(self, info: EpochInfo) -> None:
        values = [None if v is None else float(v) for v in info[3:6]]
        self.calls.append(("epoch", *info[:3], *values, *_bits(info.params, info.state)))
        if info.steps_done - 1 == self.cut and self.cut_in_epoch_end:
            raise PowerCut


def _bits(params: dict[str, np.ndarray], state: Any) -> tuple[Any, ...]:
    slots = tuple(
        (name, slot, value.tobytes())
        for name in sorted(state.slots)
        for slot, value in sorted(state.slots[name].items())
    )
    return tuple((k, params[k].tobytes()) for k in sorted(params)), state.step, slots


def update_of(call: tuple[Any, ...]) -> int:
    """The update whose callbacks made this call (an epoch ends with update steps_done - 1)."""
    return int(call[2]) if call[0] == "step" else int(call[2]) - 1


def assert_same_result(a: minigd.FitResult, b: minigd.FitResult) -> None:
    assert sorted(a.params) == sorted(b.params)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k], strict=True)
    assert a.state.step == b.state.step
    assert _bits(a.params, a.state) == _bits(b.params, b.state)
    for column in a.history.columns:
        np.testing.assert_array_equal(a.history[column], b.history[column], strict=True)
    assert a.history.epochs.keys() == b.history.epochs.keys()
    for column, values in a.history.epochs.items():
        np.testing.assert_array_equal(values, b.history.epochs[column], strict=True)
    assert (a.seed, a.stopped_early) == (b.seed, b.stopped_early)


def cut_and_resume(
    tmp: pathlib.Path,
    args: tuple[Any, ...],
    *,
    seed: int | None,
    every: int | None,
    cut: int,
    cut_in_epoch_end: bool = False,
    **kw: Any,
) -> tuple[minigd.FitResult | None, Recorder, int | None]:
    """Run until a crash after update ``cut``, then resume: (result, its calls, checkpoint step)."""
    path = tmp / "run.npz"
    path.unlink(missing_ok=True)
    try:
        fit(*args, seed=seed, checkpoint=path, checkpoint_every=every,
            callbacks=[Recorder(cut, cut_in_epoch_end)], **kw)  # fmt: skip
    except PowerCut:
        pass
    else:  # no epoch ends with update ``cut``: the run finished
        assert cut_in_epoch_end
    if not path.exists():  # crashed before the first save
        return None, Recorder(), None
    saved_step = int(load_checkpoint(path).meta["step"])
    assert saved_step <= cut + 1 or cut_in_epoch_end
    recorder = Recorder()
    resumed = fit(*args, seed=seed, checkpoint=path, checkpoint_every=every, resume=True,
                  callbacks=[recorder], **kw)  # fmt: skip
    return resumed, recorder, saved_step


def test_the_issue_example_keeps_every_epoch_record(tmp_path: pathlib.Path) -> None:
    # Schedule(20, 5, 3), checkpoint every 4 updates, cut at step 5: the checkpoint at
    # step 4 is the first update of epoch 1, taken after epoch 0's record
    X20, y20 = minigd.datasets.make_regression(20, 2, seed=0)
    args = (LinearRegression(2), X20, y20, Schedule(20, 5, 3), SGD(lr=0.1))
    full_rec = Recorder()
    full = fit(*args, callbacks=[full_rec])
    resumed, rec, saved = cut_and_resume(tmp_path, args, seed=0, every=4, cut=5)
    assert saved == 4
    assert resumed is not None
    assert resumed.history.epochs["epoch"].tolist() == [0, 1, 2]
    assert_same_result(full, resumed)
    assert rec.calls == [c for c in full_rec.calls if update_of(c) >= 4]
    # re-running a finished run with resume=True returns it, and calls nothing
    again = Recorder()
    twice = fit(*args, checkpoint=tmp_path / "run.npz", checkpoint_every=4, resume=True,
                callbacks=[again])  # fmt: skip
    assert_same_result(full, twice)
    assert again.calls == []


OPTIMIZERS = {
    "sgd": lambda: SGD(lr=0.05),
    "sgd-momentum": lambda: SGD(lr=0.05, momentum=0.9, nesterov=True),
    "adagrad": lambda: Adagrad(lr=0.1),
    "rmsprop": lambda: RMSprop(lr=0.01, centered=True, momentum=0.5),
    "adam": lambda: Adam(lr=0.05, amsgrad=True),
    "adam-lr-per-epoch": lambda: Adam(lr=StepDecay(0.05, step_size=1, gamma=0.5)),
}


@st.composite
def small_schedules(draw: st.DrawFn) -> Schedule:
    """Schedules over at most 24 rows with 1 to 40 updates, every option in play."""
    n = draw(st.integers(1, 24))
    epoch = draw(st.sampled_from(["pass", "draw"]))
    options: dict[str, Any] = {
        "epoch": epoch,
        "sampling": draw(st.sampled_from(["shuffle", "sequential", "replacement"])),
        "drop_last": epoch == "pass" and draw(st.booleans()),
    }
    batch_size = draw(st.integers(1, n if options["drop_last"] else n + 3))
    if draw(st.booleans()):
        options["world_size"] = draw(st.integers(1, 3))
        options["accumulate"] = draw(st.integers(1, 3))
        options["accumulate_across_epochs"] = draw(st.booleans())
        if options["drop_last"]:
            batch_size = min(batch_size, max(1, n // options["world_size"]))
    elif draw(st.booleans()):
        options["steps_per_epoch"] = draw(st.integers(1, 8))
    epochs = draw(st.integers(1, 5))
    try:
        total = Schedule(n, batch_size, epochs, **options).total_steps
    except ValueError:
        assume(False)
    assume(1 <= total <= 40)
    if draw(st.booleans()):
        options["max_steps"] = draw(st.integers(1, total))
    return Schedule(n, batch_size, epochs, **options)


@PROPERTY
@given(
    schedule=small_schedules(),
    optimizer=st.sampled_from(sorted(OPTIMIZERS)),
    every=st.one_of(st.none(), st.integers(1, 6)),
    cut=st.integers(0, 39),
    cut_in_epoch_end=st.booleans(),
    seed=st.integers(0, 2**32),
)
def test_a_resume_from_any_step_is_the_uninterrupted_run(
    tmp_path: pathlib.Path,
    schedule: Schedule,
    optimizer: str,
    every: int | None,
    cut: int,
    cut_in_epoch_end: bool,
    seed: int,
) -> None:
    cut = cut % schedule.total_steps
    n = schedule.n_samples
    args = (MODEL, X[:n], Y[:n], schedule, OPTIMIZERS[optimizer]())
    full_rec = Recorder()
    full = fit(*args, seed=seed, callbacks=[full_rec])
    resumed, rec, saved = cut_and_resume(
        tmp_path, args, seed=seed, every=every, cut=cut, cut_in_epoch_end=cut_in_epoch_end
    )
    if resumed is None:
        return
    assert saved is not None
    assert_same_result(full, resumed)
    assert rec.calls == [c for c in full_rec.calls if update_of(c) >= saved]


def test_a_run_with_seed_none_can_be_resumed(tmp_path: pathlib.Path) -> None:
    args = (MODEL, X, Y, Schedule(24, 5, 4), Adam(lr=0.05))
    resumed, _, saved = cut_and_resume(tmp_path, args, seed=None, every=3, cut=10)
    assert resumed is not None
    assert saved == 9
    drawn = load_checkpoint(tmp_path / "run.npz").meta["seed"]
    assert resumed.seed == drawn
    assert_same_result(fit(*args, seed=drawn), resumed)


def test_resume_refuses_other_data_of_the_same_shape(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "run.npz"
    args = (MODEL, X, Y, Schedule(24, 5, 2), SGD(lr=0.05))
    fit(*args, checkpoint=path)
    before = path.read_bytes()
    other_X, other_y = X.copy(), Y.copy()
    other_X[23, 2] += 1e-12  # the last row is always read
    cases = [(other_X, Y), (X, other_y + 1.0), (X[::-1].copy(), Y[::-1].copy())]
    for X_other, y_other in cases:
        with pytest.raises(ValueError, match=r"made with other data \(X and y\)"):
            fit(MODEL, X_other, y_other, *args[3:], checkpoint=path, resume=True)
    assert path.read_bytes() == before
    # the same values in another container are the same data
    fit(MODEL, X.tolist(), Y.tolist(), *args[3:], checkpoint=path, resume=True)


def test_the_fingerprint_reads_a_bounded_number_of_rows() -> None:
    from minigd.training import FINGERPRINT_ROWS, data_fingerprint

    read: list[int] = []

    class Spy(np.ndarray):  # type: ignore[type-arg]
        def take(self, rows: Any, *args: Any, **kw: Any) -> Any:
            read.append(len(rows))
            return np.asarray(self).take(rows, *args, **kw)

    big = np.zeros((100_000, 2)).view(Spy)
    data_fingerprint(big, np.zeros(100_000))
    assert read == [FINGERPRINT_ROWS]
    wide = np.zeros((10_000, 4096)).view(Spy)  # 32 KiB rows: 8 MiB is 256 of them
    read.clear()
    data_fingerprint(wide, np.zeros(10_000))
    assert read == [256]


# --- divergence: no checkpoint and no callback sees non-finite parameters ---------


class Watch:
    """Records whether every parameter a callback received was finite."""

    def __init__(self) -> None:
        self.finite: list[bool] = []

    def on_step_end(self, info: StepInfo) -> None:
        slots = [v for s in info.state.slots.values() for v in s.values()]
        self.finite.append(all(np.isfinite(v).all() for v in [*info.params.values(), *slots]))

    def on_epoch_end(self, info: EpochInfo) -> None:
        self.on_step_end(info)  # type: ignore[arg-type]


DIVERGING = [
    # (model, X, y, optimizer): the parameters overflow before the loss does, or with it
    ("sgd-huge-lr", MODEL, X, Y * 1e150, SGD(lr=10.0)),
    ("adam-huge-lr", MODEL, X, Y, Adam(lr=1e307)),
    ("softmax", SoftmaxRegression(3, 2), X, (Y > 0).astype(np.int64), SGD(lr=1e308)),
    # gradients past 1e154: Adam's exp_avg_sq overflows while the parameters stay finite
    ("adam-slot-overflow", MODEL, X * 1e5, Y * 1e150, Adam(lr=0.1)),
]


@pytest.mark.parametrize("every", [1, 2, None])
@pytest.mark.parametrize(
    ("name", "model", "Xd", "yd", "opt"), DIVERGING, ids=[d[0] for d in DIVERGING]
)
def test_a_divergence_leaves_the_last_good_checkpoint(
    tmp_path: pathlib.Path, name: str, model: Any, Xd: Any, yd: Any, opt: Any, every: int | None
) -> None:
    path = tmp_path / "run.npz"
    watch = Watch()
    schedule = Schedule(24, 5, 30)
    saved: list[bytes] = []

    class Snapshot:  # what the file holds after each update's save
        def on_step_end(self, info: StepInfo) -> None:
            if path.exists():
                saved.append(path.read_bytes())

    with pytest.raises(minigd.DivergenceError):
        fit(model, Xd, yd, schedule, opt, checkpoint=path, checkpoint_every=every,
            callbacks=[watch, Snapshot()])  # fmt: skip
    assert watch.finite
    assert all(watch.finite)
    if not path.exists():
        return  # diverged before the first save
    ck = load_checkpoint(path)
    assert all(
        np.isfinite(v).all() for k, v in ck.arrays.items() if k.startswith(("params/", "state/"))
    )
    assert saved
    assert path.read_bytes() == saved[-1]  # the divergence wrote nothing
    # and it resumes, to diverge again at the same update
    with pytest.raises(minigd.DivergenceError):
        fit(model, Xd, yd, schedule, opt, checkpoint=path, checkpoint_every=every, resume=True)


@pytest.mark.parametrize("every", [1, None])
@pytest.mark.parametrize(("monitor", "patience"), [("loss", 0), ("train_loss", 1), ("val_loss", 2)])
def test_early_stopping_takes_up_its_count_on_resume(
    tmp_path: pathlib.Path, monitor: str, patience: int, every: int | None
) -> None:
    # a learning rate large enough that the loss stops improving after a few epochs
    args = (MODEL, X, Y, Schedule(24, 6, 12), SGD(lr=0.6, momentum=0.9))
    kw: dict[str, Any] = {"validation_data": (X[:8], Y[:8])}
    full_rec = Recorder()
    full = fit(*args, seed=4, callbacks=[EarlyStopping(monitor, patience), full_rec], **kw)
    assert full.stopped_early
    assert 4 < full.state.step < 48
    for cut in range(full.state.step):
        path = tmp_path / "run.npz"
        path.unlink(missing_ok=True)
        stop = EarlyStopping(monitor, patience)
        with contextlib.suppress(PowerCut):
            fit(*args, seed=4, checkpoint=path, checkpoint_every=every,
                callbacks=[stop, Recorder(cut)], **kw)  # fmt: skip
        if not path.exists():
            continue
        saved = int(load_checkpoint(path).meta["step"])
        rec = Recorder()
        resumed = fit(*args, seed=4, checkpoint=path, checkpoint_every=every, resume=True,
                      callbacks=[EarlyStopping(monitor, patience), rec], **kw)  # fmt: skip
        assert_same_result(full, resumed)
        assert rec.calls == [c for c in full_rec.calls if update_of(c) >= saved]


@pytest.mark.parametrize("every", [1, None])
def test_resume_keeps_epochs_in_which_no_update_completes(
    tmp_path: pathlib.Path, every: int | None
) -> None:
    # 4 batches an epoch, groups of 6 carried over: epochs 0, 3 and 6 complete no update
    args = (MODEL, X, Y, Schedule(24, 6, 8, accumulate=6, accumulate_across_epochs=True), SGD(0.1))
    full_rec = Recorder()
    full = fit(*args, seed=4, callbacks=[EarlyStopping("loss", patience=9), full_rec])
    assert len(full.history.epochs["epoch"]) == 8 and full.state.step == 5  # noqa: PT018
    assert [c[1] for c in full_rec.calls if c[0] == "epoch"] == list(range(8))
    for cut in range(full.state.step):
        path = tmp_path / "run.npz"
        path.unlink(missing_ok=True)
        with contextlib.suppress(PowerCut):
            fit(*args, seed=4, checkpoint=path, checkpoint_every=every,
                callbacks=[EarlyStopping("loss", patience=9), Recorder(cut)])  # fmt: skip
        if not path.exists():
            continue
        saved = int(load_checkpoint(path).meta["step"])
        rec = Recorder()
        resumed = fit(*args, seed=4, checkpoint=path, checkpoint_every=every, resume=True,
                      callbacks=[EarlyStopping("loss", patience=9), rec])  # fmt: skip
        assert_same_result(full, resumed)
        expected = [c for c in full_rec.calls if update_of(c) >= saved]
        assert _nan_equal(rec.calls) == _nan_equal(expected)


def _nan_equal(calls: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The calls with each nan (an epoch's missing batch loss) as a string: nan != nan."""
    return [tuple("nan" if isinstance(v, float) and v != v else v for v in c) for c in calls]


def test_a_refused_resume_names_what_differs(tmp_path: pathlib.Path) -> None:
    # a student extends a finished run to more epochs: the message points at epochs
    path = tmp_path / "run.npz"
    fit(MODEL, X, Y, Schedule(24, 5, 2), SGD(lr=0.05), checkpoint=path)
    with pytest.raises(
        ValueError, match=r"another schedule \(epochs: 2 in the checkpoint, 4 now\)"
    ):
        fit(MODEL, X, Y, Schedule(24, 5, 4), SGD(lr=0.05), checkpoint=path, resume=True)
    with pytest.raises(
        ValueError, match=r"another optimizer \(lr: 0\.05 in the checkpoint, 0\.1 now\)"
    ):
        fit(MODEL, X, Y, Schedule(24, 5, 2), SGD(lr=0.1), checkpoint=path, resume=True)
