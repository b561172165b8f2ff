"""Two ranks of DistributedDataParallel (gloo, CPU) run minigd schedules: a standalone script.

``python ddp_script.py OUT_DIR`` starts 2 processes with
``torch.multiprocessing``. They meet through a file in ``OUT_DIR`` (torch's
``TCPStore`` would listen on every interface), and gloo talks over the
loopback interface (``GLOO_SOCKET_IFNAME=lo``): 127.0.0.1, at ports the
system picks at run time.
Each rank runs every case of ``CASES`` with the page's loop
(``engines.torch_loop``), its model wrapped in ``DistributedDataParallel``
and its rows from ``ScheduleBatchSampler(schedule, seed, rank=rank)``, and
writes ``OUT_DIR/rank<r>.json``: per case its final parameters, the updates,
micro-batches and rows it saw, or the error it met. The test
(``test_torch_ddp.py``) compares them with ``minigd.fit``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WORLD = 2


def cases() -> dict[str, tuple[Any, str, dict[str, Any]]]:
    """Each case: a Schedule with world_size=2 and a torch.optim optimizer (name, arguments)."""
    from minigd import Schedule

    return {
        "shuffle, N=23 odd": (
            Schedule(23, 3, 3, world_size=WORLD),
            "SGD",
            {"lr": 0.05, "momentum": 0.9},
        ),
        "accumulate=2": (Schedule(23, 2, 2, world_size=WORLD, accumulate=2), "Adam", {"lr": 0.05}),
        "drop_last, sequential": (
            Schedule(23, 4, 2, world_size=WORLD, drop_last=True, sampling="sequential"),
            "SGD",
            {"lr": 0.05},
        ),
        "draw epochs, replacement": (
            Schedule(23, 3, 6, world_size=WORLD, epoch="draw", sampling="replacement"),
            "RMSprop",
            {"lr": 0.01},
        ),
        "accumulate=3 across epochs": (
            Schedule(23, 2, 3, world_size=WORLD, accumulate=3, accumulate_across_epochs=True),
            "AdamW",
            {"lr": 0.05},
        ),
        "max_steps=5": (Schedule(23, 3, 3, world_size=WORLD, max_steps=5), "Adagrad", {"lr": 0.1}),
    }


def data() -> Any:
    import minigd

    X, y = minigd.datasets.make_regression(23, 3, noise=0.1, seed=0)
    return X, y, minigd.models.LinearRegression(3).init_params(SEED)


SEED = 5


def worker(rank: int, out: str) -> None:
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    from tests.conformance.engines import torch_loop

    dist.init_process_group(
        "gloo",
        init_method=Path(out, "rendezvous").resolve().as_uri(),
        rank=rank,
        world_size=WORLD,
        timeout=timedelta(seconds=20),
    )
    X, y, start = data()
    report: dict[str, Any] = {}
    for name, (schedule, optimizer, options) in cases().items():
        try:
            ran = torch_loop(
                schedule,
                X,
                y,
                start,
                lambda params, o=optimizer, a=options: getattr(torch.optim, o)(params, **a),
                SEED,
                rank=rank,
                wrap=DistributedDataParallel,
            )
            ran["params"] = {k: v.tolist() for k, v in ran["params"].items()}
            report[name] = ran
        except Exception:  # reported to the test, case by case
            report[name] = {"error": traceback.format_exc()}
    dist.barrier()  # leave together: a rank torn down while the other works can abort in gloo
    dist.destroy_process_group()
    Path(out, f"rank{rank}.json").write_text(json.dumps(report), encoding="utf-8")


def main(out: str) -> None:
    import torch.multiprocessing as mp

    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")  # 127.0.0.1 only
    mp.start_processes(worker, args=(out,), nprocs=WORLD, start_method="fork")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # tests.conformance.engines
    main(sys.argv[1])
