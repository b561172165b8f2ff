"""Start a table's ranks on this machine and collect what each rank reports.

What ``torchrun --nproc_per_node=2 --standalone`` does, kept to 127.0.0.1:
torchrun's rendezvous store listens on every interface, so the launcher here
binds a socket to 127.0.0.1 on a free port found at run time, serves the
process group's ``TCPStore`` on it, and starts each rank with the variables
torchrun sets (``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``, ``LOCAL_WORLD_SIZE``,
``MASTER_ADDR``, ``MASTER_PORT``), one thread each (``OMP_NUM_THREADS=1``)
and gloo on the loopback device. Each rank joins the process group before the
framework starts; Lightning (``LOCAL_RANK`` set: processes made outside) and
accelerate then use it as they would under torchrun.

Usage, from the repository root::

    python -m tests.conformance.live.lightning_ddp CASES.json OUT.json

A rank runs every case, catching each case's exception and reporting it, so
a refused case does not end the table. OUT.json holds one list of results per
rank.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORLD_SIZE = 2
HOST = "127.0.0.1"
#: A collective that waits longer than this raises instead of hanging.
COLLECTIVE_TIMEOUT = datetime.timedelta(seconds=40)

Case = dict[str, Any]


def main(module: str, run_case: Callable[[Case], dict[str, Any]]) -> None:
    """The script's entry: launch the ranks, or (in a rank) run the table."""
    cases_path, out_path = sys.argv[1:3]
    if "MINIGD_LIVE_RANK" in os.environ:
        _rank(run_case, Path(cases_path), Path(out_path))
    else:
        _launch(module, Path(cases_path), Path(out_path))


def _launch(module: str, cases_path: Path, out_path: Path) -> None:
    import torch.distributed as dist

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))  # a free port, chosen now
    listener.listen(64)
    port = listener.getsockname()[1]
    store = dist.TCPStore(  # noqa: F841 (serves the ranks until this process ends)
        HOST,
        port,
        WORLD_SIZE,
        True,
        COLLECTIVE_TIMEOUT,
        wait_for_workers=False,
        master_listen_fd=listener.fileno(),
    )
    ranks = []
    for rank in range(WORLD_SIZE):
        env = {
            **os.environ,
            "MINIGD_LIVE_RANK": str(rank),
            "RANK": str(rank),
            "LOCAL_RANK": str(rank),
            "WORLD_SIZE": str(WORLD_SIZE),
            "LOCAL_WORLD_SIZE": str(WORLD_SIZE),
            "MASTER_ADDR": HOST,
            "MASTER_PORT": str(port),
            "OMP_NUM_THREADS": "1",
            "GLOO_SOCKET_IFNAME": "lo",
            "TOKENIZERS_PARALLELISM": "false",
        }
        rank_out = out_path.with_suffix(f".rank{rank}.json")
        command = [sys.executable, "-m", module, str(cases_path), str(rank_out)]
        ranks.append(subprocess.Popen(command, env=env))
    codes = _wait(ranks)
    results = []
    for rank in range(WORLD_SIZE):
        rank_out = out_path.with_suffix(f".rank{rank}.json")
        results.append(json.loads(rank_out.read_text()) if rank_out.exists() else None)
    out_path.write_text(json.dumps({"returncodes": codes, "ranks": results}))


def _wait(ranks: list[subprocess.Popen[bytes]]) -> list[int]:
    """Wait for every rank; when one fails, stop the others (they would wait for it)."""
    while any(p.poll() is None for p in ranks):
        if any(p.poll() not in (None, 0) for p in ranks):
            for p in ranks:
                if p.poll() is None:
                    p.kill()
        time.sleep(0.05)
    return [int(p.returncode) for p in ranks]


def _rank(run_case: Callable[[Case], dict[str, Any]], cases_path: Path, out_path: Path) -> None:
    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    rank = int(os.environ["RANK"])
    store = dist.TCPStore(
        HOST, int(os.environ["MASTER_PORT"]), WORLD_SIZE, False, COLLECTIVE_TIMEOUT
    )
    dist.init_process_group(
        "gloo", store=store, rank=rank, world_size=WORLD_SIZE, timeout=COLLECTIVE_TIMEOUT
    )
    results = []
    for case in json.loads(cases_path.read_text()):
        started = time.perf_counter()
        try:
            result = run_case(case)
        except Exception as exc:  # a refused case is a result, not the end of the table
            result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        result["seconds"] = round(time.perf_counter() - started, 3)
        results.append(result)
        dist.barrier()  # the next case starts together on every rank
    out_path.write_text(json.dumps(results))
    dist.destroy_process_group()
