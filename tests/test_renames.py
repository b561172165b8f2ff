"""Renamed names (issue 14): new names work; old ones warn and still work for one release."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import minigd
from minigd import Schedule, StepInfo, fit
from minigd.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from minigd.lr import Cosine
from minigd.models import LinearRegression
from minigd.optim import SGD

X, Y = minigd.datasets.make_regression(60, 3, noise=0.1, seed=1)
MODEL = LinearRegression(3)


def test_step_info_says_index_and_rows() -> None:
    seen: list[StepInfo] = []

    class Keep:
        def on_step_end(self, info: StepInfo) -> None:
            seen.append(info)

    # accumulation: each update holds 4 micro-batches of 3 rows
    s = Schedule(60, 3, 2, accumulate=4)
    fit(MODEL, X, Y, s, SGD(lr=0.01), callbacks=[Keep()])
    assert [i.step_index for i in seen] == list(range(s.total_steps))
    assert [i.state.step for i in seen] == list(range(1, s.total_steps + 1))  # a count
    assert {i.samples_in_step for i in seen} == {12}  # what Schedule calls batch_size is 3
    with pytest.warns(DeprecationWarning, match=r"StepInfo.step is renamed StepInfo.step_index"):
        assert seen[5].step == 5
    with pytest.warns(DeprecationWarning, match=r"StepInfo.batch_size is renamed"):
        assert seen[5].batch_size == 12


def test_history_column_samples_in_step() -> None:
    h = fit(MODEL, X, Y, Schedule(60, 3, 2, accumulate=4), SGD(lr=0.01)).history
    assert "samples_in_step" in h.columns
    assert "batch_size" not in h.columns
    assert h["samples_in_step"].tolist() == [12] * 10
    with pytest.warns(DeprecationWarning, match=r"History\['batch_size'\] is renamed"):
        old = h["batch_size"]
    np.testing.assert_array_equal(old, h["samples_in_step"])
    assert "samples_in_step" in h.to_dict()["steps"]


def test_a_checkpoint_written_with_the_old_names_resumes(tmp_path: pathlib.Path) -> None:
    """Old learning-rate config keys ("schedule", "total") and history column ("batch_size")."""
    s = Schedule(60, 7, 4)
    opt = SGD(lr=Cosine(0.1, total_steps=s.total_steps, warmup=3), momentum=0.9)
    full = fit(MODEL, X, Y, s, opt, seed=3)
    path = tmp_path / "run.npz"

    class Crash:
        def on_step_end(self, info: StepInfo) -> None:
            if info.step_index == 13:
                raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        fit(MODEL, X, Y, s, opt, seed=3, checkpoint=path, checkpoint_every=5, callbacks=[Crash()])
    # rewrite the file as minigd 0.2.0.dev0 wrote it before the renames
    ck = load_checkpoint(path)
    lr_config = ck.meta["optimizer"]["lr"]
    assert lr_config["lr_schedule"] == "Cosine"
    old_lr = {"schedule": "Cosine", **{k: v for k, v in lr_config.items() if k != "lr_schedule"}}
    old_lr["total"] = old_lr.pop("total_steps")
    meta = {k: v for k, v in ck.meta.items() if k not in ("format", "version", "row_order")}
    meta["optimizer"] = {**ck.meta["optimizer"], "lr": old_lr}
    arrays = dict(ck.arrays)
    arrays["history/batch_size"] = arrays.pop("history/samples_in_step")
    save_checkpoint(path, Checkpoint(meta, arrays))

    resumed = fit(MODEL, X, Y, s, opt, seed=3, checkpoint=path, checkpoint_every=5, resume=True)
    for k in full.params:
        np.testing.assert_array_equal(full.params[k], resumed.params[k])
    for column in full.history.columns:
        np.testing.assert_array_equal(full.history[column], resumed.history[column])
    assert resumed.state.step == s.total_steps
