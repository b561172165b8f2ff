"""PyTorch runs minigd's schedule: the page's loop against ``minigd.fit``, in float64.

``torch.nn.Linear`` and ``torch.optim`` train on the batches of
``ScheduleBatchSampler`` from minigd's initial parameters; every update's
loss and the final parameters must equal ``minigd.fit``'s to rtol=1e-10, for
every optimizer, GD / mini-batch / SGD, pass and draw epochs, every
sampling, drop_last, accumulation (flushed and carried across epochs), the
capped stream, max_steps, and learning rates changed per update and per
epoch by torch's own schedulers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import minigd
from minigd import lr
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")

from tests.conformance.engine_cases import MODEL, SEED, X, Y, relative  # noqa: E402
from tests.conformance.engine_cases import SCHEDULES as ONE_BATCH_PER_UPDATE  # noqa: E402
from tests.conformance.engines import torch_loop  # noqa: E402  (imports torch)

RTOL = 1e-10
LARGEST = {"loss": 0.0, "params": 0.0}  # the largest relative differences seen

SCHEDULES = {
    **ONE_BATCH_PER_UPDATE,
    "accumulate": minigd.Schedule(23, 3, 3, accumulate=3),
    "accumulate across epochs": minigd.Schedule(
        23, 3, 3, accumulate=3, accumulate_across_epochs=True
    ),
    "max_steps": minigd.Schedule(23, 5, 3, max_steps=7),
}

# torch.optim's names, arguments and defaults are minigd.optim's
OPTIMIZERS: dict[str, tuple[str, dict[str, Any]]] = {
    "SGD": ("SGD", {"lr": 0.05}),
    "SGD nesterov": ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    "Adagrad": ("Adagrad", {"lr": 0.1, "lr_decay": 0.01}),
    "RMSprop": ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),
    "Adam": ("Adam", {"lr": 0.05, "amsgrad": True}),
    "AdamW": ("AdamW", {"lr": 0.05, "weight_decay": 0.1}),
}


def warm(k: int) -> float:
    return 0.1 * min(1.0, (k + 1) / 4)


def halve(epoch: int) -> float:
    return 0.1 * 0.5**epoch


sched = torch.optim.lr_scheduler
# minigd's learning rate, torch's lr, and torch's scheduler with the cadence it is stepped at
RATES: dict[str, tuple[Any, float, Callable[[Any], tuple[Any, str]]]] = {
    "function per update": (warm, 1.0, lambda o: (sched.LambdaLR(o, warm), "step")),
    "Lambda per epoch": (
        lr.Lambda(halve, unit="epoch"),
        1.0,
        lambda o: (sched.LambdaLR(o, halve), "epoch"),
    ),
    "LinearWarmup per update": (
        lr.LinearWarmup(0.1, warmup=5),
        0.1,
        lambda o: (sched.LinearLR(o, start_factor=1 / 6, total_iters=5), "step"),
    ),
    "StepDecay per epoch": (
        lr.StepDecay(0.1, step_size=1, gamma=0.5),
        0.1,
        lambda o: (sched.StepLR(o, step_size=1, gamma=0.5), "epoch"),
    ),
}


def compare(
    schedule: minigd.Schedule,
    name: str,
    options: dict[str, Any],
    minigd_lr: Any = None,
    make_scheduler: Callable[[Any], tuple[Any, str]] | None = None,
) -> None:
    mine = {**options} if minigd_lr is None else {**options, "lr": minigd_lr}
    result = minigd.fit(MODEL, X, Y, schedule, getattr(minigd.optim, name)(**mine), seed=SEED)
    ran = torch_loop(
        schedule,
        X,
        Y,
        MODEL.init_params(SEED),
        lambda params: getattr(torch.optim, name)(params, **options),
        SEED,
        make_scheduler=make_scheduler,
    )
    assert ran["updates"] == schedule.total_steps == len(result.history["loss"])
    np.testing.assert_allclose(ran["losses"], result.history["loss"], rtol=RTOL, atol=0)
    for key in ("weight", "bias"):
        np.testing.assert_allclose(ran["params"][key], result.params[key], rtol=RTOL, atol=0)
    LARGEST["loss"] = max(LARGEST["loss"], relative(ran["losses"], result.history["loss"]))
    for key in ("weight", "bias"):
        LARGEST["params"] = max(LARGEST["params"], relative(ran["params"][key], result.params[key]))
    # the rows it trained on are the schedule's, micro-batch by micro-batch
    assert ran["rows"] == [len(p) for b in schedule.batches(SEED) for p in b.parts]


@pytest.mark.parametrize("schedule", list(SCHEDULES), ids=str)
@pytest.mark.parametrize("optimizer", ["SGD nesterov", "Adam"])
def test_every_schedule(schedule: str, optimizer: str) -> None:
    compare(SCHEDULES[schedule], *OPTIMIZERS[optimizer])


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("schedule", ["mini-batch", "accumulate"])
def test_every_optimizer(schedule: str, optimizer: str) -> None:
    compare(SCHEDULES[schedule], *OPTIMIZERS[optimizer])


@pytest.mark.parametrize("rate", list(RATES))
@pytest.mark.parametrize("schedule", ["mini-batch", "accumulate across epochs", "draw"])
def test_learning_rate_per_update_and_per_epoch(schedule: str, rate: str) -> None:
    minigd_lr, torch_lr, make_scheduler = RATES[rate]
    name, options = OPTIMIZERS["SGD nesterov"]
    compare(SCHEDULES[schedule], name, {**options, "lr": torch_lr}, minigd_lr, make_scheduler)


@pytest.mark.parametrize("unit", ["step", "epoch"])
def test_lambda_rates_are_lambdalr_rates(unit: str) -> None:
    """The rate of each update, read from torch's optimizer, against optimizer.lr_at."""
    schedule = SCHEDULES["accumulate across epochs"]
    function = warm if unit == "step" else halve
    opt = minigd.optim.SGD(lr=lr.Lambda(function, unit=unit))
    torch_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = sched.LambdaLR(torch_opt, function)
    rates, epoch = [], 0
    for batch in schedule.batches(SEED):
        while unit == "epoch" and epoch < batch.epoch:  # stepped at each epoch's end
            scheduler.step()
            epoch += 1
        rates.append(torch_opt.param_groups[0]["lr"])
        torch_opt.step()
        if unit == "step":
            scheduler.step()
    assert rates == [opt.lr_at(b.step, b.epoch) for b in schedule.batches(SEED)]


def test_report_the_largest_difference() -> None:
    """Run last in this module: the figures the page and the closing note quote."""
    print(f"\nlargest relative difference, torch vs minigd.fit: {LARGEST}")
    assert LARGEST["params"] < RTOL
