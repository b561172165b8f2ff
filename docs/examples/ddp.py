"""Two processes of DistributedDataParallel train on minigd's schedule, then compare with fit."""

import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.functional import mse_loss
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset

import minigd
from minigd.integrations.torch import ScheduleBatchSampler, updates

X, y = minigd.datasets.make_regression(61, 3, noise=0.1, seed=0)
schedule = minigd.Schedule(61, 4, 3, world_size=2)  # 61 rows: DistributedSampler pads to 62
seed = 7


def train(rank, rendezvous):
    # the ranks meet through a file (or MASTER_ADDR and MASTER_PORT); gloo averages the gradients
    dist.init_process_group("gloo", init_method=rendezvous.as_uri(), rank=rank, world_size=2)
    start = minigd.models.LinearRegression(3).init_params(seed)  # minigd's initial parameters
    model = torch.nn.Linear(3, 1, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(start["weight"])[None, :])
        model.bias.copy_(torch.from_numpy(start["bias"]))
    model = DistributedDataParallel(model)  # backward() averages the 2 ranks' gradients
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sampler = ScheduleBatchSampler(schedule, seed=seed, rank=rank)
    loader = DataLoader(TensorDataset(torch.from_numpy(X), torch.from_numpy(y)), batch_sampler=sampler)

    steps = batches = rows = 0
    for epoch in range(schedule.epochs):
        sampler.set_epoch(epoch)
        for update in updates(loader):
            for X_micro, y_micro in update.batches:
                (mse_loss(model(X_micro)[:, 0], y_micro) / update.micro_steps).backward()
                batches, rows = batches + 1, rows + len(y_micro)
            if update.completes:
                optimizer.step()
                optimizer.zero_grad()
                steps += 1

    weight = model.module.weight.detach().numpy()[0]
    for turn in range(2):  # one rank prints at a time
        if rank == turn:
            print(f"rank {rank}: {steps} updates, {batches} micro-batches, {rows} rows, "
                  f"len(loader) = {len(loader)}, weight = {np.round(weight, 6).tolist()}", flush=True)
        dist.barrier()
    if rank == 0:
        fitted = minigd.fit(minigd.models.LinearRegression(3), X, y, schedule,
                            minigd.optim.SGD(lr=0.05, momentum=0.9), seed=seed)
        gap = np.max(np.abs(weight - fitted.params["weight"]) / np.abs(fitted.params["weight"]))
        print(f"minigd.fit, world_size=2: weight = {np.round(fitted.params['weight'], 6).tolist()}")
        print(f"the same to rtol=1e-10: {bool(gap < 1e-10)}")
        print(f"schedule.counters('pytorch'): {schedule.counters('pytorch')}")
    dist.barrier()  # leave together: a rank torn down while the other works can abort in gloo
    dist.destroy_process_group()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        mp.spawn(train, args=(Path(folder, "rendezvous"),), nprocs=2)
