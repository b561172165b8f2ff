"""DistributedDataParallel for real: 2 gloo ranks train on ScheduleBatchSampler shards.

One launch of ``ddp_script.py`` (``torch.multiprocessing``, gloo on
127.0.0.1 at ports picked at run time, ``OMP_NUM_THREADS=1``) runs every case
on both ranks. Each rank's final
parameters must equal ``minigd.fit`` with the same schedule (``world_size=2``,
N odd) to rtol=1e-10: the proof that minigd's ``world_size`` averages the
replicas' gradients as a real all-reduce does. The updates, micro-batches
and rows each rank saw must be ``s.counters("pytorch")``'s and the
schedule's.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import minigd
from minigd.frameworks import FrameworkError
from tests.conftest import require

pytestmark = pytest.mark.conformance
require("torch")

from tests.conformance import ddp_script  # noqa: E402

SCRIPT = Path(ddp_script.__file__)
ROOT = SCRIPT.parents[2]
SRC = Path(minigd.__file__).resolve().parents[1]  # the minigd this test imports
SECONDS = 30  # the whole launch, both ranks, every case


def limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, 8 * 2**30))


@pytest.fixture(scope="module")
def ranks(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], float]:
    out = tmp_path_factory.mktemp("ddp")
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "PYTHONPATH": os.pathsep.join([str(SRC), str(ROOT)]),
    }
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)],
        env=env,
        cwd=out,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_memory,
        check=False,
    )
    seconds = time.perf_counter() - began
    assert done.returncode == 0, done.stderr[-3000:]
    reports = [json.loads((out / f"rank{r}.json").read_text()) for r in range(ddp_script.WORLD)]
    return reports, seconds


def test_the_launch_is_quick(ranks: tuple[list[dict[str, Any]], float]) -> None:
    print(f"\nDDP launch, 2 ranks, {len(ddp_script.cases())} cases: {ranks[1]:.1f} s")
    assert ranks[1] < SECONDS


@pytest.mark.parametrize("case", list(ddp_script.cases()))
def test_each_rank_ends_where_fit_ends(
    case: str, ranks: tuple[list[dict[str, Any]], float]
) -> None:
    schedule, optimizer, options = ddp_script.cases()[case]
    X, y, start = ddp_script.data()
    model = minigd.models.LinearRegression(3)
    assert all(np.array_equal(start[k], model.init_params(ddp_script.SEED)[k]) for k in start)
    fitted = minigd.fit(
        model, X, y, schedule, getattr(minigd.optim, optimizer)(**options), seed=ddp_script.SEED
    )
    for rank, report in enumerate(ranks[0]):
        ran = report[case]
        assert "error" not in ran, f"rank {rank}:\n{ran.get('error')}"
        for key in ("weight", "bias"):
            np.testing.assert_allclose(ran["params"][key], fitted.params[key], rtol=1e-10, atol=0)


@pytest.mark.parametrize("case", list(ddp_script.cases()))
def test_each_rank_saw_the_schedules_counts_and_rows(
    case: str, ranks: tuple[list[dict[str, Any]], float]
) -> None:
    schedule = ddp_script.cases()[case][0]
    try:
        counters = schedule.counters("pytorch")
    except FrameworkError:  # a draw epoch: no DataLoader of its own runs it; the schedule's counts
        counters = {
            "optimizer.step() calls": schedule.total_steps,
            "batches": schedule.micro_batches,
            "len(loader)": schedule.micro_batches_per_epoch,
        }
    r = schedule.world_size
    seen = 0
    for rank, report in enumerate(ranks[0]):
        ran = report[case]
        assert "error" not in ran, f"rank {rank}:\n{ran.get('error')}"
        assert ran["updates"] == counters["optimizer.step() calls"] == schedule.total_steps
        assert ran["batches"] == counters["batches"] == sum(ran["lengths"])
        assert ran["lengths"][0] == counters["len(loader)"]
        parts = [
            b.parts[m * r + rank]
            for b in schedule.batches(ddp_script.SEED)
            for m in range(len(b.parts) // r)
        ]
        assert ran["rows"] == [len(p) for p in parts]
        seen += sum(ran["rows"])
    assert seen == schedule.samples_seen
