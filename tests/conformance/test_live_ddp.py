"""Data-parallel counts against live 2-process runs of Lightning and the Hugging Face Trainer.

Each framework's table of cases runs in one launch of a standalone script
(tests/conformance/live/), started here with ``subprocess.run(...,
timeout=...)``: never Lightning's launcher from inside pytest, which re-executes
the current command. The script starts 2 ranks on 127.0.0.1 (a free port,
one thread each); each rank runs every case, reporting the counters, its
batches per epoch and the rows it computed, or the case's exception. Here
minigd reads the same arguments (:meth:`Schedule.from_framework`) and must
give the same numbers, or refuse the cases the framework cannot run.

``make test`` runs at most 12 cases per framework, 60 s per launch;
``MINIGD_CONFORMANCE=stress`` runs 40 fresh random cases per framework.
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

from minigd import Schedule
from tests.conftest import require

pytestmark = pytest.mark.conformance
ROOT = Path(__file__).resolve().parents[2]
STRESS = os.environ.get("MINIGD_CONFORMANCE") == "stress"
N_CASES, TIMEOUT = (40, 900) if STRESS else (12, 60)
WORLD_SIZE = 2
MEMORY = 12 * 2**30  # address space of each process of a launch

Case = dict[str, Any]


def random_cases(framework: str) -> list[Case]:
    """The issue's examples, then random ones: N often odd, drop_last both ways, k, max_steps."""
    fixed: list[Case] = [
        {"n": 11, "b": 3, "e": 2, "k": 1, "drop": True},
        {"n": 13, "b": 7, "e": 2, "k": 1, "drop": True},
        {"n": 10, "b": 3, "e": 2, "k": 2, "drop": False},
    ]
    if framework == "lightning":  # your own DistributedSampler(drop_last=True), kept
        fixed.append({"n": 11, "b": 3, "e": 2, "k": 1, "drop": True, "sampler_drop": True})
    rng = np.random.default_rng(None if STRESS else 17)
    cases = fixed
    while len(cases) < N_CASES:
        n = int(rng.integers(3, 41))
        case: Case = {
            "n": n,
            "b": int(rng.integers(1, 9)),
            "e": int(rng.integers(1, 4)),
            "k": int(rng.integers(1, 4)),
            "drop": bool(rng.integers(0, 2)),
        }
        if rng.random() < 0.3:
            case["max_steps"] = int(rng.integers(1, 12))
        if framework == "lightning" and rng.random() < 0.2:
            case["sampler_drop"] = True
        cases.append(case)
    return cases


def launch(module: str, cases: list[Case], tmp_path: Path) -> tuple[list[list[Case]], float]:
    """One launch of a table's script: each rank's results, and the wall time."""
    cases_path, out_path = tmp_path / "cases.json", tmp_path / "out.json"
    cases_path.write_text(json.dumps(cases))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": _pythonpath()}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", module, str(cases_path), str(out_path)],
        cwd=ROOT,
        env=env,
        timeout=TIMEOUT,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
    )
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(out_path.read_text())
    assert out["returncodes"] == [0] * WORLD_SIZE, done.stderr[-3000:]
    return out["ranks"], wall


def _pythonpath() -> str:
    import minigd

    src = str(Path(minigd.__file__).resolve().parents[1])  # the minigd under test
    return os.pathsep.join([str(ROOT), src, os.environ.get("PYTHONPATH", "")])


def rank_counts(s: Schedule) -> tuple[list[list[int]], list[int]]:
    """Each replica's micro-batches per epoch and rows computed, from the schedule's parts."""
    r = s.world_size
    per_epoch = [[0] * s.epochs for _ in range(r)]
    rows = [0] * r
    for batch in s.batches(seed=0):
        for i in range(r):
            mine = batch.parts[i::r]
            per_epoch[i][batch.epoch] += len(mine)
            rows[i] += sum(len(p) for p in mine)
    return [_trim(x) for x in per_epoch], rows


def _trim(per_epoch: list[int]) -> list[int]:
    while per_epoch and per_epoch[-1] == 0:
        per_epoch = per_epoch[:-1]
    return per_epoch


def compare(
    theirs: list[Case], expected: dict[str, Any] | None, per_epoch: list[list[int]], rows: list[int]
) -> list[str]:
    """What differs between the ranks' report and minigd (``expected is None``: minigd refused)."""
    if expected is None:  # minigd refuses: the framework must not run an update either
        ran = [t.get("global_step", 0) for t in theirs if "error" not in t]
        return [] if not any(ran) else [f"minigd refused, the framework ran {ran} steps"]
    wrong = []
    for i, rank in enumerate(theirs):
        if "error" in rank:
            wrong.append(f"rank {i} raised {rank['error']}")
            continue
        got = {k: rank[k] for k in expected}
        got["batches_per_epoch"] = _trim(rank["batches_per_epoch"])
        got["rows"] = rank["rows"]
        want = {**expected, "batches_per_epoch": per_epoch[i], "rows": rows[i]}
        if "epoch" in want:
            got["epoch"] = round(got["epoch"], 9)
            want["epoch"] = round(want["epoch"], 9)
        wrong += [
            f"rank {i} {k}: framework {got[k]}, minigd {want[k]}" for k in want if got[k] != want[k]
        ]
    return wrong


def check_table(
    cases: list[Case], ranks: list[list[Case]], minigd: Any, wall: float, name: str
) -> None:
    problems, lines = [], []
    for j, case in enumerate(cases):
        theirs = [ranks[i][j] for i in range(WORLD_SIZE)]
        try:
            s, expected = minigd(case)
            per_epoch, rows = rank_counts(s)
        except ValueError as exc:  # FrameworkError is a ValueError
            s, expected, per_epoch, rows = None, None, [], []
            refused = str(exc)[:80]
        wrong = compare(theirs, expected, per_epoch, rows)
        shown = theirs[0].get("error", "")[:60] or {k: theirs[0].get(k) for k in ("global_step",)}
        lines.append(
            f"{case} -> {shown}{' (minigd refuses: ' + refused + ')' if s is None else ''}"
        )
        problems += [f"{case}: {w}" for w in wrong]
    print(f"\n{name}: {len(cases)} cases in one launch, {wall:.1f} s\n" + "\n".join(lines))
    assert not problems, "\n".join(problems)


def test_lightning_ddp_table(tmp_path: Path) -> None:
    require("lightning")

    def minigd(case: Case) -> tuple[Schedule, dict[str, Any]]:
        options: dict[str, Any] = {"sampler_drop_last": True} if case.get("sampler_drop") else {}
        s = Schedule.from_framework(
            "lightning",
            case["n"],
            batch_size=case["b"],
            shuffle=True,
            drop_last=case["drop"],
            max_epochs=case["e"],
            accumulate_grad_batches=case["k"],
            max_steps=case.get("max_steps") or -1,
            devices=WORLD_SIZE,
            **options,
        )
        c = s.counters("lightning")
        return s, {
            "world_size": WORLD_SIZE,
            "global_step": c["trainer.global_step"],
            "num_training_batches": c["trainer.num_training_batches"],
            "estimated_stepping_batches": c["trainer.estimated_stepping_batches"],
            "current_epoch": c["trainer.current_epoch"],
        }

    cases = random_cases("lightning")
    ranks, wall = launch("tests.conformance.live.lightning_ddp", cases, tmp_path)
    check_table(cases, ranks, minigd, wall, "Lightning DDP")


def test_huggingface_ddp_table(tmp_path: Path) -> None:
    require("transformers")
    require("accelerate")

    def minigd(case: Case) -> tuple[Schedule, dict[str, Any]]:
        s = Schedule.from_framework(
            "huggingface",
            case["n"],
            per_device_train_batch_size=case["b"],
            gradient_accumulation_steps=case["k"],
            num_train_epochs=case["e"],
            max_steps=case.get("max_steps") or -1,
            dataloader_drop_last=case["drop"],
            world_size=WORLD_SIZE,
        )
        c = s.counters("huggingface")
        return s, {
            "world_size": WORLD_SIZE,
            "global_step": c["state.global_step"],
            "max_steps": c["max_steps"],
            "epoch": c["state.epoch"],
            "len_train_dataloader": c["len(train_dataloader)"],
        }

    cases = random_cases("huggingface")
    ranks, wall = launch("tests.conformance.live.huggingface_ddp", cases, tmp_path)
    check_table(cases, ranks, minigd, wall, "Hugging Face Trainer DDP")
