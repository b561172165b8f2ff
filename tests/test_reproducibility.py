"""Same seed, same bits, across processes (same numpy build and BLAS thread count)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

RUN = """
import base64, sys
import numpy as np
import minigd
X, y = minigd.datasets.make_blobs(600, 24, centers=4, seed=5)
cases = [
    (minigd.models.MLP(24, hidden=(32,), n_outputs=4, loss="cross_entropy"),
     minigd.Schedule(600, 32, 3), minigd.optim.Adam(lr=0.01)),
    (minigd.models.SoftmaxRegression(24, 4), minigd.Schedule(600, 600, 20),
     minigd.optim.SGD(lr=0.1, momentum=0.9)),
]
out = bytearray()
for model, schedule, optimizer in cases:
    r = minigd.fit(model, X, y, schedule, optimizer, seed=3)
    for name in sorted(r.params):
        out += r.params[name].tobytes()
    for slots in r.state.slots.values():
        for slot in sorted(slots):
            out += slots[slot].tobytes()
    for column in r.history.columns:
        out += r.history[column].tobytes()
    for column, values in r.history.epochs.items():
        out += values.tobytes()
sys.stdout.write(base64.b64encode(bytes(out)).decode())
"""


def test_the_same_fit_in_two_processes_gives_the_same_bytes() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    outputs = [
        subprocess.run(
            [sys.executable, "-c", RUN], capture_output=True, text=True, timeout=120,
            env=env, check=True,
        ).stdout
        for _ in range(2)
    ]  # fmt: skip
    assert len(outputs[0]) > 10_000
    assert outputs[0] == outputs[1]
