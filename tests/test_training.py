"""fit: history, determinism, callbacks, divergence, checkpoints, validation."""

from __future__ import annotations

import contextlib
import io
import itertools
import pathlib
import warnings
import zipfile
from typing import Any

import numpy as np
import pytest

import minigd
from minigd import (
    DivergenceError,
    EarlyStopping,
    EpochInfo,
    Schedule,
    StepInfo,
    StopTraining,
    fit,
)
from minigd.datasets import make_blobs, make_regression
from minigd.lr import Exponential, OneCycle, StepDecay
from minigd.models import LinearRegression, SoftmaxRegression
from minigd.optim import SGD, Adam

X, Y = make_regression(60, 3, noise=0.1, seed=1)
MODEL = LinearRegression(3)


def run(schedule: Schedule | None = None, **kw: Any) -> minigd.FitResult:
    opt = kw.pop("optimizer", SGD(lr=0.05))
    return fit(MODEL, X, Y, schedule or Schedule(60, 7, 4), opt, **kw)


def test_history_records_every_update() -> None:
    s = Schedule(60, 7, 4)
    h = run(s).history
    assert len(h) == s.total_steps == 36
    assert h["step"].tolist() == list(range(36))
    assert h["epoch"].tolist() == sorted(list(range(4)) * 9)
    assert h["samples_in_step"].tolist() == ([7] * 8 + [4]) * 4
    assert h["samples_seen"][-1] == s.samples_seen == 240
    assert (h["lr"] == 0.05).all()
    assert len(h.epochs["train_loss"]) == 4
    assert np.isnan(h.epochs["val_loss"]).all()
    assert h.epochs["steps_done"].tolist() == [9, 18, 27, 36]
    with pytest.raises(ValueError, match="read-only"):
        h["loss"][0] = 1.0
    with pytest.raises(KeyError, match="no column 'acc'"):
        h["acc"]


def test_per_epoch_is_sample_weighted() -> None:
    h = run(Schedule(60, 7, 2)).history
    loss, size, epoch = h["loss"], h["samples_in_step"], h["epoch"]
    manual = [np.sum(loss[epoch == e] * size[epoch == e]) / 60 for e in range(2)]
    np.testing.assert_allclose(h.per_epoch("loss"), manual)
    np.testing.assert_allclose(h.epochs["loss"], manual)
    assert not np.allclose(manual, [loss[epoch == e].mean() for e in range(2)])


def test_batch_loss_is_before_the_update() -> None:
    # GD: the recorded batch loss of update k is the full loss before it
    r = run(Schedule(60, 60, 3))
    start = MODEL.init_params(0)
    # equal up to the order of summation (the batch is the shuffled data set)
    assert r.history["loss"][0] == pytest.approx(MODEL.loss(start, X, Y), rel=1e-13)
    assert r.history.epochs["train_loss"][0] == pytest.approx(r.history["loss"][1], rel=1e-13)


def test_gd_sgd_minibatch_all_learn() -> None:
    for b in (60, 10, 1):
        h = run(Schedule(60, b, 30)).history
        assert h.epochs["train_loss"][-1] < 0.05 < h["loss"][0]


def test_same_seed_bit_identical_and_different_seed_differs() -> None:
    a, b, c = run(seed=3), run(seed=3), run(seed=4)
    assert all((a.params[k] == b.params[k]).all() for k in a.params)
    assert (a.history["loss"] == b.history["loss"]).all()
    assert not (a.history["loss"] == c.history["loss"]).all()


def test_inputs_untouched_and_global_state_untouched() -> None:
    x0, y0 = X.copy(), Y.copy()
    params = MODEL.init_params(seed=9)
    p0 = {k: v.copy() for k, v in params.items()}
    np.random.seed(5)  # noqa: NPY002 (the legacy state is what we check)
    legacy = np.random.get_state()[1].copy()  # noqa: NPY002
    r = run(params=params, seed=None)
    assert (x0 == X).all() and (y0 == Y).all()  # noqa: PT018
    assert all((params[k] == p0[k]).all() for k in params)
    assert (np.random.get_state()[1] == legacy).all()  # noqa: NPY002
    assert r.seed >= 0


def test_params_are_used_as_start() -> None:
    start = {"weight": np.zeros(3), "bias": np.zeros(1)}
    r = run(Schedule(60, 60, 1), params=start)
    assert r.history["loss"][0] == pytest.approx(MODEL.loss(start, X, Y), rel=1e-13)


def test_callbacks_see_steps_and_epochs() -> None:
    seen: dict[str, list[Any]] = {"steps": [], "epochs": []}

    class Recorder:
        def on_step_end(self, info: StepInfo) -> None:
            seen["steps"].append((info.step_index, info.epoch, info.lr, info.state.step))

        def on_epoch_end(self, info: EpochInfo) -> None:
            seen["epochs"].append((info.epoch, info.steps_done, info.samples_seen))

    run(Schedule(60, 20, 2), callbacks=[Recorder()])
    assert [s[0] for s in seen["steps"]] == list(range(6))
    assert [s[3] for s in seen["steps"]] == list(range(1, 7))
    assert seen["epochs"] == [(0, 3, 60), (1, 6, 120)]


def test_callbacks_get_copies_they_may_keep_or_change() -> None:
    # what a callback is handed must be its own: changing it changes no bit of the run
    def momentum() -> SGD:
        return SGD(lr=0.05, momentum=0.9)

    kept: list[dict[str, np.ndarray]] = []

    class Keeper:
        def on_step_end(self, info: StepInfo) -> None:
            kept.append(info.params)  # no copy

    class Vandal:
        def on_step_end(self, info: StepInfo) -> None:
            for v in info.params.values():
                v[...] = 1e6
            for slots in info.state.slots.values():
                for v in slots.values():
                    v[...] = -1e6

        def on_epoch_end(self, info: EpochInfo) -> None:
            for v in info.params.values():
                v[...] = 1e6

    s = Schedule(60, 7, 2)
    quiet = run(s, optimizer=momentum(), callbacks=[Keeper()])
    loud = run(s, optimizer=momentum(), callbacks=[Vandal()])
    assert (quiet.history["loss"] == loud.history["loss"]).all()
    for k in quiet.params:
        assert (quiet.params[k] == loud.params[k]).all()
    # each step's params stayed the values after that step, not the final ones
    weights = [p["weight"] for p in kept]
    assert len(weights) == s.total_steps
    assert not any((a == b).all() for a, b in itertools.pairwise(weights))
    assert (weights[-1] == quiet.params["weight"]).all()


def test_stop_training_returns_what_was_done() -> None:
    class StopAt:
        def on_step_end(self, info: StepInfo) -> None:
            if info.step_index == 4:
                raise StopTraining

    r = run(Schedule(60, 7, 4), callbacks=[StopAt()])
    assert r.stopped_early
    assert len(r.history) == 5 and r.state.step == 5  # noqa: PT018


def test_other_exceptions_propagate() -> None:
    class Broken:
        def on_epoch_end(self, info: EpochInfo) -> None:
            raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        run(callbacks=[Broken()])


def test_early_stopping() -> None:
    Xv, Yv = make_regression(30, 3, noise=0.1, seed=2)
    stop = EarlyStopping("val_loss", patience=2, min_delta=10.0)  # nothing improves by 10
    r = run(Schedule(60, 7, 20), callbacks=[stop], validation_data=(Xv, Yv))
    assert r.stopped_early and len(r.history.epochs["epoch"]) == 3  # noqa: PT018
    assert stop.stopped_epoch == 2
    assert np.isfinite(r.history.epochs["val_loss"]).all()
    with pytest.raises(ValueError, match="needs validation_data"):
        run(callbacks=[EarlyStopping()])


def test_divergence_names_epoch_step_and_lr() -> None:
    with pytest.raises(
        DivergenceError,
        match=r"epoch \d+ \(0-based\), step \d+, with learning "
        r"rate 50.*smaller learning rate \(for example 5\)",
    ):
        run(Schedule(60, 1, 10), optimizer=SGD(lr=50.0))


def test_lr_schedule_gets_its_counter() -> None:
    per_epoch = run(Schedule(60, 20, 4), optimizer=SGD(lr=StepDecay(0.1, 2, gamma=0.5)))
    assert per_epoch.history["lr"].tolist() == [0.1] * 6 + [0.05] * 6
    per_step = run(Schedule(60, 20, 2), optimizer=SGD(lr=Exponential(1.0, 0.5, unit="step")))
    assert per_step.history["lr"].tolist() == [1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125]
    with pytest.raises(ValueError, match="OneCycle schedule has total_steps=10"):
        run(Schedule(60, 20, 4), optimizer=SGD(lr=OneCycle(0.1, total_steps=10)))


def test_one_cycle_longer_than_the_run_warns_with_both_numbers() -> None:
    # the classic slip: OneCycleLR(epochs=2, steps_per_epoch=len(loader)) with accumulation
    s = Schedule(60, 7, 2, accumulate=4)
    updates = sum(-(-9 // 4) for _ in range(2))  # a plain loop: 9 batches, a step every 4
    with pytest.warns(UserWarning, match=rf"total_steps=18, .* only {updates} updates") as w:
        run(s, optimizer=SGD(lr=OneCycle(0.1, total_steps=2 * 9)))
    assert "never reaches its peak max_lr=0.1 (due after 5.4 updates)" not in str(w[0].message)
    with pytest.warns(UserWarning, match=r"never reaches its peak max_lr=0.1 \(due after 12"):
        run(s, optimizer=SGD(lr=OneCycle(0.1, total_steps=40)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run(s, optimizer=SGD(lr=OneCycle(0.1, total_steps=s.total_steps)))


def test_epoch_schedule_in_optimizer_update_needs_epoch() -> None:
    opt = SGD(lr=StepDecay(0.1, 1))
    params = {"w": np.ones(2)}
    with pytest.raises(TypeError, match="counts epochs: pass epoch="):
        opt.update(params, {"w": np.ones(2)}, opt.init(params))
    new, _ = opt.update(params, {"w": np.ones(2)}, opt.init(params), epoch=1)
    assert new["w"].tolist() == pytest.approx([0.99, 0.99])


def test_softmax_on_blobs() -> None:
    Xb, yb = make_blobs(90, centers=3, seed=0)
    model = SoftmaxRegression(2, 3)
    r = fit(model, Xb, yb, Schedule(90, 10, 30), Adam(lr=0.05))
    acc = (model.predict(r.params, Xb).argmax(axis=1) == yb).mean()
    assert acc > 0.9


# --- progress ------------------------------------------------------------------


def test_verbose_1_prints_keras_style(capsys: pytest.CaptureFixture[str]) -> None:
    run(Schedule(60, 5, 3), verbose=1)
    out = capsys.readouterr().out
    assert out.count("Epoch ") == 3 and "Epoch 3/3" in out  # noqa: PT018
    assert "12/12 [==============================]" in out
    assert "loss: " in out


def test_verbose_2_one_line_per_epoch(capsys: pytest.CaptureFixture[str]) -> None:
    run(Schedule(60, 5, 3), verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("Epoch 1/3 - 12/12 - ")  # noqa: PT018


def test_verbose_0_silent(capsys: pytest.CaptureFixture[str]) -> None:
    run(verbose=0)
    assert capsys.readouterr().out == ""


def test_progress_redraws_in_place_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    p = minigd.display.Progress(1, 4, verbose=1, stream=out, interval=0.0)
    p.epoch_start(0)
    for k in range(4):
        p.step_end(k + 1, 0.5, now=float(k))
    p.epoch_end(0, 0.5, 0.1)
    text = out.getvalue()
    assert text.count("\r") == 5 and "2/4 [" in text  # noqa: PT018


def test_fit_redraws_the_bar_by_time_not_by_update(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    class Slow:  # 2 ms per update: 300 updates take 0.6 s, the bar redraws every 0.1 s
        def on_step_end(self, info: StepInfo) -> None:
            time.sleep(0.002)

    out = Tty()
    monkeypatch.setattr("sys.stdout", out)
    run(Schedule(60, 1, 5), verbose=1, callbacks=[Slow()])
    redraws = out.getvalue().count("\r")
    # at least 3 redraws inside the epochs besides the 5 closing ones, far fewer than 300
    assert 5 + 3 <= redraws <= 5 + 60


def crash_then_resume(
    s: Schedule, seed: int, every: int, crash_at: int, path: pathlib.Path
) -> tuple[minigd.FitResult, minigd.FitResult]:
    """An uninterrupted Adam run, and the same run cut at step ``crash_at`` then resumed."""
    opt = Adam(lr=0.05)
    full = fit(MODEL, X, Y, s, opt, seed=seed)

    class Crash:
        def on_step_end(self, info: StepInfo) -> None:
            if info.step_index == crash_at:
                raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        fit(
            MODEL,
            X,
            Y,
            s,
            opt,
            seed=seed,
            checkpoint=path,
            checkpoint_every=every,
            callbacks=[Crash()],
        )
    resumed = fit(
        MODEL, X, Y, s, opt, seed=seed, checkpoint=path, checkpoint_every=every, resume=True
    )
    return full, resumed


def test_resume_is_bit_identical(tmp_path: pathlib.Path) -> None:
    s = Schedule(60, 7, 6)
    full, resumed = crash_then_resume(s, seed=11, every=5, crash_at=24, path=tmp_path / "run.npz")
    for k in full.params:
        assert (full.params[k] == resumed.params[k]).all()
    for slot in full.state.slots["weight"]:
        assert (full.state.slots["weight"][slot] == resumed.state.slots["weight"][slot]).all()
    for col in full.history.columns:
        assert (full.history[col] == resumed.history[col]).all()
    for col, values in full.history.epochs.items():
        np.testing.assert_array_equal(values, resumed.history.epochs[col])
    assert resumed.state.step == s.total_steps


def test_resume_without_file_starts_fresh(tmp_path: pathlib.Path) -> None:
    r = run(checkpoint=tmp_path / "new.npz", resume=True)
    assert (tmp_path / "new.npz").exists()
    assert r.state.step == 36


def test_checkpoint_from_other_run_is_refused(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.npz"
    run(checkpoint=path)
    with pytest.raises(ValueError, match="another schedule"):
        run(Schedule(60, 6, 4), checkpoint=path, resume=True)
    with pytest.raises(ValueError, match="another optimizer"):
        run(optimizer=SGD(lr=0.01), checkpoint=path, resume=True)
    with pytest.raises(ValueError, match="another model"):
        fit(
            minigd.models.MLP(3),
            X,
            Y,
            Schedule(60, 7, 4),
            SGD(lr=0.05),
            checkpoint=path,
            resume=True,
        )
    with pytest.raises(ValueError, match="another seed"):
        run(seed=1, checkpoint=path, resume=True)


def test_tampered_truncated_and_foreign_files_are_refused(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.npz"
    run(checkpoint=path)
    data = path.read_bytes()
    (tmp_path / "t.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable minigd checkpoint"):
        run(checkpoint=tmp_path / "t.npz", resume=True)
    (tmp_path / "f.npz").write_text("hello")
    with pytest.raises(ValueError, match="not a readable minigd checkpoint"):
        run(checkpoint=tmp_path / "f.npz", resume=True)
    np.savez(tmp_path / "other.npz", a=np.ones(3))
    with pytest.raises(ValueError, match="no metadata"):
        run(checkpoint=tmp_path / "other.npz", resume=True)
    # a pickled object inside the archive is refused, never unpickled
    np.savez(tmp_path / "pickle.npz", __meta__=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(ValueError, match="not a readable minigd checkpoint"):
        run(checkpoint=tmp_path / "pickle.npz", resume=True)
    # a checkpoint whose arrays were removed
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp_path / "cut.npz", "w") as dst:
        for item in src.infolist():
            if not item.filename.startswith("params/"):
                dst.writestr(item, src.read(item.filename))
    with pytest.raises(ValueError, match="incomplete or inconsistent"):
        run(checkpoint=tmp_path / "cut.npz", resume=True)


def test_save_is_atomic(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.npz"
    run(checkpoint=path)
    before = path.read_bytes()

    def broken_savez(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        run(checkpoint=path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz"]


# --- validation --------------------------------------------------------------------

BAD: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"model": "linear"}, TypeError, "'model' parameter of fit must be a minigd model"),
    ({"schedule": 5}, TypeError, "'schedule' parameter of fit must be a Schedule"),
    ({"optimizer": "sgd"}, TypeError, "'optimizer' parameter of fit"),
    (
        {"schedule": Schedule(61, 7, 4)},
        ValueError,
        r"n_samples equal to len\(X\) = 60. Got n_samples=61",
    ),
    ({"X": X[:, :2]}, ValueError, r"'X' parameter of fit must be a 2-D array of shape"),
    ({"X": np.where(X > 1, np.nan, X)}, ValueError, "'X' parameter of fit must be finite"),
    ({"y": Y[:5]}, ValueError, r"'y' parameter of fit .* one entry per row of X \(60\)"),
    ({"seed": -1}, ValueError, "'seed' parameter of fit"),
    ({"seed": 1.0}, TypeError, "'seed' parameter of fit"),
    (
        {"verbose": 3},
        ValueError,
        r"'verbose' parameter of fit must be an int in the range "
        r"\[0, 2\]",
    ),
    ({"verbose": True}, TypeError, "'verbose'"),
    ({"callbacks": [object()]}, TypeError, "on_step_end or on_epoch_end"),
    ({"callbacks": "early"}, TypeError, "'callbacks'"),
    ({"validation_data": X}, TypeError, "'validation_data' parameter of fit must be a pair"),
    ({"validation_data": (X[:, :2], Y)}, ValueError, r"'validation_data\[0\]'"),
    ({"checkpoint_every": 5}, ValueError, "'checkpoint' parameter of fit must be a path"),
    ({"resume": True}, ValueError, "'checkpoint' parameter of fit must be a path"),
    ({"checkpoint": 5}, TypeError, "'checkpoint' parameter of fit must be a path"),
    (
        {"params": {"weight": np.ones(2), "bias": np.zeros(1)}},
        ValueError,
        r"'weight' of shape \(3,\)",
    ),
]


@pytest.mark.parametrize(("changes", "error", "message"), BAD)
def test_bad_arguments_fail_before_work(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    args: dict[str, Any] = {
        "model": MODEL,
        "X": X,
        "y": Y,
        "schedule": Schedule(60, 7, 4),
        "optimizer": SGD(lr=0.05),
    }
    args.update(changes)
    with pytest.raises(error, match=message):
        fit(**args)


def test_optimizer_update_refuses_mismatched_grads() -> None:
    opt = SGD(lr=0.1)
    params = {"w": np.ones(2), "b": np.zeros(1)}
    state = opt.init(params)
    with pytest.raises(ValueError, match=r"'grads' parameter of SGD.update must have the names"):
        opt.update(params, {"w": np.ones(2)}, state)
    with pytest.raises(ValueError, match=r"'w' of shape \(2,\). Got shape \(3,\)"):
        opt.update(params, {"w": np.ones(3), "b": np.zeros(1)}, state)
    with pytest.raises(TypeError, match="OptimizerState"):
        opt.update(params, params, {"step": 0})  # type: ignore[arg-type]
    new, _ = opt.update(params, {"w": np.ones(2), "b": np.ones(1)}, state)
    assert params["w"].tolist() == [1.0, 1.0] and new["w"].tolist() == [0.9, 0.9]  # noqa: PT018


# --- accumulation and data parallelism ------------------------------------------


def _final(schedule: Schedule, Xd: Any = X, yd: Any = Y) -> dict[str, np.ndarray]:
    start = {"weight": np.zeros(3), "bias": np.zeros(1)}
    return fit(MODEL, Xd, yd, schedule, SGD(lr=0.05), params=start).params


@pytest.mark.parametrize(("k", "b"), [(4, 5), (3, 4), (2, 10)])
def test_accumulating_k_micro_batches_equals_one_batch_of_kb(k: int, b: int) -> None:
    ours = _final(Schedule(60, b, 3, accumulate=k, sampling="sequential"))
    one = _final(Schedule(60, k * b, 3, sampling="sequential"))
    for name in ours:
        np.testing.assert_allclose(ours[name], one[name], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("r", "b"), [(3, 5), (2, 3), (4, 5)])
def test_r_replicas_equal_one_batch_of_rb(r: int, b: int) -> None:
    ours = _final(Schedule(60, b, 3, world_size=r, sampling="sequential"))
    one = _final(Schedule(60, r * b, 3, sampling="sequential"))
    for name in ours:
        np.testing.assert_allclose(ours[name], one[name], rtol=1e-12, atol=1e-14)


def test_equivalence_breaks_for_ragged_groups_and_padded_shards() -> None:
    X57, Y57 = make_regression(57, 3, noise=0.1, seed=1)
    # ragged: 57 rows in micro-batches of 5 grouped by 4: the last group holds
    # micro-batches of 5, 5, 5 and 2 rows; averaging them weights 2 rows like 5.
    ragged = _final(Schedule(57, 5, 1, accumulate=4, sampling="sequential"), X57, Y57)
    one = _final(Schedule(57, 20, 1, sampling="sequential"), X57, Y57)
    assert not np.allclose(ragged["weight"], one["weight"], rtol=1e-6)
    # padded: 61 rows on 3 replicas -> 63 slots, rows 0 and 1 counted twice
    X61, Y61 = make_regression(61, 3, noise=0.1, seed=1)
    padded = _final(Schedule(61, 21, 1, world_size=3, sampling="sequential"), X61, Y61)
    single = _final(Schedule(61, 63, 1, sampling="sequential"), X61, Y61)
    assert not np.allclose(padded["weight"], single["weight"], rtol=1e-6)


def test_history_with_accumulation_across_epochs() -> None:
    s = Schedule(60, 7, 3, accumulate=4, accumulate_across_epochs=True)
    h = run(s).history
    assert len(h) == s.total_steps == (3 * 9) // 4
    assert h.epochs["steps_done"].tolist() == s.epoch_starts()[1:].tolist()
    assert h["samples_seen"][-1] == s.samples_seen


def test_every_epoch_is_recorded_also_one_in_which_no_update_completes() -> None:
    # 3 batches per epoch, 8 per update: epochs 0, 1, 3 and 4 complete no update
    s = Schedule(60, 20, 6, accumulate=8, accumulate_across_epochs=True)
    # the oracle, a plain loop: an epoch ends after each pass, an update every 8 batches
    steps_done, micro = [], 0
    for _ in range(6):
        micro += 3
        steps_done.append(micro // 8)
    called: list[tuple[int, int]] = []

    class Epochs:
        def on_epoch_end(self, info: minigd.EpochInfo) -> None:
            called.append((info.epoch, info.steps_done))

    h = run(s, callbacks=[Epochs()]).history
    assert len(h) == s.total_steps == 2
    assert h.epochs["epoch"].tolist() == list(range(6))  # as Keras records them
    assert h.epochs["steps_done"].tolist() == steps_done == [0, 0, 1, 1, 1, 2]
    assert called == list(enumerate(steps_done))
    assert h.epochs["samples_seen"].tolist() == [160 * k for k in steps_done]
    # an epoch's mean batch loss is its updates' loss: none (nan) where it has none
    losses = h.epochs["loss"]
    assert np.isnan(losses[[0, 1, 3, 4]]).all()
    assert losses[[2, 5]].tolist() == h["loss"].tolist()
    # its training loss is the loss with the parameters it ends with
    assert h.epochs["train_loss"][3] == h.epochs["train_loss"][2]
    # EarlyStopping on "loss" passes over an epoch without one (Keras: every epoch has one)
    stop = minigd.EarlyStopping("loss", patience=2)
    assert len(run(s, callbacks=[stop]).history.epochs["epoch"]) == 6


def test_max_steps_stops_mid_epoch() -> None:
    s = Schedule(60, 7, 5, max_steps=20)
    r = run(s)
    assert len(r.history) == 20 and r.state.step == 20  # noqa: PT018
    assert r.history.epochs["epoch"].tolist() == [0, 1, 2]


def test_epoch_loss_can_be_skipped() -> None:
    h = run(epoch_loss=False).history
    assert np.isnan(h.epochs["train_loss"]).all()
    assert np.isfinite(h.epochs["loss"]).all()
    with pytest.raises(TypeError, match="'epoch_loss'"):
        run(epoch_loss=1)
    with pytest.raises(TypeError, match=r"True, False or 'auto'\. Got 'yes'"):
        run(epoch_loss="yes")


def test_epoch_loss_auto_records_it_up_to_a_million_values() -> None:
    assert minigd.training.EPOCH_LOSS_AUTO_MAX_VALUES == 1_000_000  # as documented
    small = run().history.epochs  # 60 x 3
    manual = fit(MODEL, X, Y, Schedule(60, 7, 4), SGD(lr=0.05), epoch_loss=True).history.epochs
    assert (small["train_loss"] == manual["train_loss"]).all()
    # 1,000,000 values: still recorded; one more row: the mean batch loss only
    for rows, recorded in ((10_000, True), (10_001, False)):
        Xb, yb = make_regression(rows, 100, seed=0)
        h = fit(LinearRegression(100), Xb, yb, Schedule(rows, rows, 1), SGD(lr=0.1)).history
        assert np.isfinite(h.epochs["train_loss"]).all() == recorded
        assert np.isnan(h.epochs["train_loss"]).all() != recorded
        assert np.isfinite(h.epochs["loss"]).all()


def test_no_training_loss_is_said_rather_than_used() -> None:
    out = io.StringIO()
    with pytest.raises(ValueError, match=r"monitor='train_loss'.*epoch_loss=True"):
        run(epoch_loss=False, callbacks=[EarlyStopping("train_loss", patience=1)])
    with contextlib.redirect_stdout(out):
        run(epoch_loss=False, verbose=2)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 and all("train_loss" not in line for line in lines)  # noqa: PT018
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run(verbose=2)
    assert all("train_loss: " in line for line in out.getvalue().splitlines())


def test_large_X_is_checked_once_before_the_first_update() -> None:
    # 20,000 x 10 is 1.6 MB: one scan before training, none per update
    Xl, yl = make_regression(20_000, 10, seed=0)
    s = Schedule(20_000, 10, 1)
    bad_row = int(list(s.batches(0))[1500].indices[0])  # used by update 1500 of the run
    Xl[bad_row, 4] = np.nan
    before = Xl.copy()
    seen: list[float] = []

    class Watch:
        def on_step_end(self, info: StepInfo) -> None:
            seen.append(info.loss)

    with pytest.raises(ValueError, match=r"'X' parameter of fit must be finite\. Got 1 NaN"):
        fit(LinearRegression(10), Xl, yl, s, SGD(lr=0.01), callbacks=[Watch()])
    assert seen == []  # no update ran
    np.testing.assert_array_equal(Xl, before)  # and the user's array is untouched
    # the same run without a bad value trains as a scanned one would
    Xl[bad_row, 4] = 0.5
    a = fit(LinearRegression(10), Xl, yl, s, SGD(lr=0.01))
    b = fit(LinearRegression(10), Xl, yl, s, SGD(lr=0.01), check_finite=False)
    assert (a.history["loss"] == b.history["loss"]).all()


def test_check_finite_false_skips_the_scan_not_the_error() -> None:
    clean = run(Schedule(60, 7, 4), seed=3)
    trusted = run(Schedule(60, 7, 4), seed=3, check_finite=False)
    assert (clean.history["loss"] == trusted.history["loss"]).all()
    assert all((clean.params[k] == trusted.params[k]).all() for k in clean.params)
    bad = X.copy()
    bad[17, 1] = np.nan  # met in the first epoch, after some updates
    with pytest.raises(ValueError, match=r"'X' parameter of fit must be finite\. Got 1 NaN"):
        fit(MODEL, bad, Y, Schedule(60, 7, 4), SGD(lr=0.05), check_finite=False)
    with pytest.raises(ValueError, match=r"'validation_data\[0\]' parameter of fit must be finite"):
        run(check_finite=False, validation_data=(np.full((5, 3), np.inf), Y[:5]))
    with pytest.raises(
        TypeError, match=r"'check_finite' parameter of fit must be an instance of bool\. Got 'no'"
    ):
        run(check_finite="no")
    # a real divergence is still reported as one
    with pytest.raises(DivergenceError):
        run(Schedule(60, 1, 10), optimizer=SGD(lr=50.0), check_finite=False)


def test_nonfinite_values_are_counted_in_blocks() -> None:
    from minigd._validation import count_nonfinite

    big = np.zeros((1000, 7))
    big[[3, 500, 999], [0, 6, 2]] = [np.nan, np.inf, -np.inf]
    assert count_nonfinite(big, block_bytes=128) == 3
    assert count_nonfinite(big) == 3
    huge = np.full((4, 2), 1e308)  # finite, but its column sums overflow
    assert count_nonfinite(huge) == 0


def test_resume_with_accumulation_and_replicas(tmp_path: pathlib.Path) -> None:
    s = Schedule(60, 7, 4, accumulate=3, accumulate_across_epochs=True, world_size=2)
    full, resumed = crash_then_resume(s, seed=5, every=2, crash_at=4, path=tmp_path / "acc.npz")
    for k in full.params:
        assert (full.params[k] == resumed.params[k]).all()
    np.testing.assert_array_equal(full.history["loss"], resumed.history["loss"])
    np.testing.assert_array_equal(full.history.epochs["loss"], resumed.history.epochs["loss"])


def test_a_version_1_checkpoint_is_refused_with_what_to_do(tmp_path: pathlib.Path) -> None:
    # made by minigd 0.1.0 (tests/data): another row order, so resuming would train on other rows
    import shutil

    path = tmp_path / "old.npz"
    shutil.copy(pathlib.Path(__file__).parent / "data" / "checkpoint-v1.npz", path)
    X20, y20 = make_regression(20, 2, seed=0)
    with pytest.raises(ValueError, match=r"version-1 .* minigd 0\.1.*another row order"):
        fit(LinearRegression(2), X20, y20, Schedule(20, 5, 3), SGD(lr=0.1), seed=0,
            checkpoint=path, checkpoint_every=4, resume=True)  # fmt: skip
    assert (
        path.read_bytes()
        == (pathlib.Path(__file__).parent / "data" / "checkpoint-v1.npz").read_bytes()
    )


def test_update_trusts_its_own_states_and_checks_any_other_in_full() -> None:
    opt = Adam(lr=0.1)
    params = {"w": np.ones(3)}
    grads = {"w": np.full(3, 0.5)}
    issued = opt.init(params)
    _, after = opt.update(params, grads, issued)
    # a hand-built state with the same numbers is checked in full, then accepted
    copy = minigd.optim.OptimizerState(after.step, after.slots)
    new_a, _ = opt.update(params, grads, after)
    new_b, _ = opt.update(params, grads, copy)
    np.testing.assert_array_equal(new_a["w"], new_b["w"])
    bad = {"w": {"exp_avg": np.zeros(3), "exp_avg_sq": np.full(3, -1.0)}}
    with pytest.raises(ValueError, match=r"finite slots >= 0"):
        opt.update(params, grads, minigd.optim.OptimizerState(1, bad))
    with pytest.raises(ValueError, match=r"step that is an int >= 0"):
        opt.update(params, grads, minigd.optim.OptimizerState(-1, after.slots))
    with pytest.raises(ValueError, match=r"must hold the slots \['exp_avg', 'exp_avg_sq'\]"):
        opt.update(params, grads, minigd.optim.OptimizerState(1, {"w": {}}))
    # another optimizer's state is not trusted either
    with pytest.raises(ValueError, match="must hold the slots"):
        opt.update(params, grads, SGD(momentum=0.9).init(params))
    # per call: names, shapes and dtypes, whatever the state
    with pytest.raises(ValueError, match=r"'grads' .* 'w' of shape \(3,\)"):
        opt.update(params, {"w": np.ones(2)}, after)
    with pytest.raises(ValueError, match=r"'grads' .* names \['w'\]"):
        opt.update(params, {"v": np.ones(3)}, after)
    with pytest.raises(TypeError, match=r"'epoch' parameter"):
        opt.update(params, grads, after, epoch=1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("X_bad", "y_bad", "message"),
    [
        (np.ones((4, 2)), np.ones(4), r"'X' .* shape \(n_rows, 3\)"),
        (np.ones((4, 3)), np.ones((4, 1)), r"'y' .* 1-D"),
        (np.ones((4, 3)), np.ones(5), r"'y' .* one entry per row"),
        ([[1, 2, 3]], [1.0], None),  # lists and ints are converted
    ],
)
def test_loss_and_grad_checks_shapes_on_every_call(X_bad: Any, y_bad: Any, message: Any) -> None:
    model = LinearRegression(3)
    params = model.init_params(0)
    if message is None:
        loss, grads = model.loss_and_grad(params, X_bad, y_bad)
        assert np.isfinite(loss) and grads["weight"].shape == (3,)  # noqa: PT018
        return
    with pytest.raises(ValueError, match=message):
        model.loss_and_grad(params, X_bad, y_bad)
    with pytest.raises(ValueError, match=r"'weight' of shape \(3,\)"):
        model.loss_and_grad(
            {"weight": np.ones((3, 1)), "bias": np.zeros(1)}, np.ones((4, 3)), np.ones(4)
        )


def test_labels_out_of_range_are_refused_per_call() -> None:
    model = SoftmaxRegression(3, 4)
    with pytest.raises(ValueError, match=r"labels in \[0, 3\]"):
        model.loss_and_grad(model.init_params(0), np.ones((2, 3)), np.array([0, -1]))


def test_update_refuses_what_would_give_a_wrong_state() -> None:
    opt = Adam(lr=0.1)
    params = {"weight": np.ones(3), "bias": np.zeros(1)}
    grads = {"weight": np.ones(3), "bias": np.ones(1)}
    state = opt.init(params)
    with pytest.raises(TypeError, match=r"'grads' .* float arrays"):
        opt.update(params, {k: v + 1j for k, v in grads.items()}, state)
    with pytest.raises(ValueError, match=r"made for the names \['bias', 'weight'\]"):
        opt.update({"weight": params["weight"]}, {"weight": grads["weight"]}, state)
    with pytest.raises(ValueError, match="made for the names"):
        opt.update({**params, "x": np.ones(1)}, {**grads, "x": np.ones(1)}, state)
    with pytest.raises(TypeError, match=r"'grads' .* float arrays"):
        opt.update(params, {"weight": np.array(list("abc")), "bias": np.array(["x"])}, state)


def test_loss_and_grad_converts_or_refuses_array_subclasses_and_ragged_rows() -> None:
    model = LinearRegression(3)
    params = model.init_params(0)
    plain = model.loss_and_grad(params, X[:5], Y[:5])[0]
    masked = np.ma.masked_array(X[:5], mask=np.zeros((5, 3), dtype=bool))
    assert model.loss_and_grad(params, masked, Y[:5])[0] == pytest.approx(plain)
    with pytest.raises(TypeError, match=r"'params' .* float arrays"):
        model.loss_and_grad({k: v.astype(complex) for k, v in params.items()}, X[:5], Y[:5])
    with pytest.raises(ValueError, match=r"'X' parameter of fit must be an array"):
        fit(model, [[1.0, 2.0, 3.0], [1.0, 2.0]], [1.0, 2.0], Schedule(2, 1, 1), SGD(lr=0.1))


@pytest.mark.parametrize(
    ("where", "message"),
    [("folder", "it is a folder"), ("missing/run.npz", "does not exist"), ("", "names no file")],
)
def test_checkpoint_path_is_checked_before_any_update(
    tmp_path: pathlib.Path, where: str, message: str
) -> None:
    seen: list[int] = []

    class Count:
        def on_step_end(self, info: StepInfo) -> None:
            seen.append(info.step_index)

    (tmp_path / "folder").mkdir()
    path = str(tmp_path / where) if where else str(tmp_path) + "/"
    for resume in (False, True):
        with pytest.raises(ValueError, match=rf"'checkpoint' parameter of fit .* {message}"):
            run(checkpoint=path, resume=resume, callbacks=[Count()])
    assert seen == []


def test_tampered_checkpoint_metadata_is_refused(tmp_path: pathlib.Path) -> None:
    from minigd.checkpoint import Checkpoint, load_checkpoint, save_checkpoint

    path = tmp_path / "run.npz"
    run(checkpoint=path)
    ck = load_checkpoint(path)
    for slots in (["x"], None):
        meta = {k: v for k, v in ck.meta.items() if k not in ("format", "version", "row_order")}
        save_checkpoint(path, Checkpoint({**meta, "slots": slots}, ck.arrays))
        with pytest.raises(ValueError, match="incomplete or inconsistent"):
            run(checkpoint=path, resume=True)


def test_nan_starting_params_and_misplaced_early_stopping_are_refused_up_front() -> None:
    with pytest.raises(ValueError, match=r"'params' parameter of fit must hold finite values"):
        run(params={"weight": np.full(3, np.nan), "bias": np.zeros(1)})
    with pytest.raises(ValueError, match=r"EarlyStopping\(monitor='val_loss'\), which needs"):
        run(callbacks=[EarlyStopping()])
    with pytest.raises(ValueError, match=r"EarlyStopping\(monitor='train_loss'\), but fit"):
        run(callbacks=[EarlyStopping("train_loss")], epoch_loss=False)
    Xb, yb = make_blobs(30, 3, seed=0)
    y_nan = yb.astype(float)
    y_nan[3] = np.nan
    with pytest.raises(ValueError, match=r"'y' .* integer class labels. Got 1 NaN"):
        fit(SoftmaxRegression(3, 3), Xb, y_nan, Schedule(30, 5, 1), SGD(lr=0.1))
