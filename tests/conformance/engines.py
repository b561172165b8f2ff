"""The PyTorch loop of the "On real engines" page, as a function the conformance tests call.

``torch_loop`` trains ``torch.nn.Linear`` with a ``torch.optim`` optimizer on
the batches of :class:`~minigd.integrations.torch.ScheduleBatchSampler`,
grouped by :func:`~minigd.integrations.torch.updates`: each micro-batch's
loss divided by the update's micro-batches, ``optimizer.step()`` when an
update completes, a learning-rate scheduler stepped per update or per epoch.
It imports torch; the DDP script (``ddp_script.py``) runs it on each rank.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch.nn.functional import mse_loss
from torch.utils.data import DataLoader, TensorDataset

from minigd import Schedule
from minigd.integrations.torch import ScheduleBatchSampler, updates

Params = dict[str, np.ndarray]
#: (optimizer) -> (scheduler, "step" or "epoch"): how the learning rate changes
MakeScheduler = Callable[[Any], tuple[Any, str]]


def linear(start: Params) -> torch.nn.Linear:
    """``torch.nn.Linear`` in float64 holding minigd's ``weight`` (d,) and ``bias`` (1,)."""
    model = torch.nn.Linear(len(start["weight"]), 1, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(start["weight"])[None, :])
        model.bias.copy_(torch.from_numpy(start["bias"]))
    return model


def params_of(model: Any) -> Params:
    module = getattr(model, "module", model)  # DistributedDataParallel wraps the model
    return {
        "weight": module.weight.detach().numpy()[0].copy(),
        "bias": module.bias.detach().numpy().copy(),
    }


def torch_loop(
    schedule: Schedule,
    X: np.ndarray,
    y: np.ndarray,
    start: Params,
    make_optimizer: Callable[[Any], Any],
    seed: int,
    *,
    rank: int = 0,
    make_scheduler: MakeScheduler | None = None,
    wrap: Callable[[Any], Any] = lambda model: model,
) -> dict[str, Any]:
    """Run the page's loop; return the per-update losses, the final parameters and the counts."""
    model = wrap(linear(start))
    optimizer = make_optimizer(model.parameters())
    scheduler, cadence = make_scheduler(optimizer) if make_scheduler else (None, "")
    sampler = ScheduleBatchSampler(schedule, seed=seed, rank=rank)
    data = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    loader = DataLoader(data, batch_sampler=sampler)

    losses, lengths, rows, batches, loss = [], [], [], 0, 0.0
    for epoch in range(schedule.epochs):
        sampler.set_epoch(epoch)
        lengths.append(len(loader))
        for update in updates(loader):
            for X_micro, y_micro in update.batches:
                micro_loss = mse_loss(model(X_micro)[:, 0], y_micro) / update.micro_steps
                micro_loss.backward()  # adds this micro-batch's share to .grad
                loss += micro_loss.item()
                batches += 1
                rows.append(len(y_micro))
            if update.completes:
                optimizer.step()
                optimizer.zero_grad()
                losses.append(loss)
                loss = 0.0
                if cadence == "step":
                    scheduler.step()
        if cadence == "epoch":
            scheduler.step()
    return {
        "losses": losses,
        "params": params_of(model),
        "lengths": lengths,
        "batches": batches,
        "rows": rows,
        "updates": len(losses),
    }
