"""minigd.fit against what a user would write or use instead.

Every peer trains the same linear regression (mean squared error, a bias,
float64, plain SGD with the same learning rate) on the same data, and reports
its final loss on all samples, so everyone did the same job. Times are
medians over interleaved repeats in one process, of warm runs (as timeit
measures: short runs are preceded by an untimed one), and every ratio is
taken against the hand-written numpy loop measured in the same run.

Run ``make bench`` (or ``python benchmarks/bench.py --help``). It writes
``benchmarks/results.md`` and ``benchmarks/results.json``.
"""

from __future__ import annotations

import os

# One BLAS thread for every peer, set before numpy or torch load.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("KERAS_BACKEND", "torch")

import argparse  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

import minigd  # noqa: E402

HERE = Path(__file__).parent

#: a peer whose run takes less than this (seconds) runs once untimed before each timed run
WARM_BELOW_S = 1.0

# A peer: (X, y, batch_size, epochs, lr, seed) -> (weights, bias, updates)
Peer = Callable[[np.ndarray, np.ndarray, int, int, float, int], tuple[np.ndarray, float, int]]


def mse(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    r = X @ w + b - y
    return float(r @ r) / len(y)


# --- the peers ------------------------------------------------------------------


def run_minigd(X, y, batch_size, epochs, lr, seed, verbose=0, epoch_loss="auto", check_finite=True):
    n, d = X.shape
    schedule = minigd.Schedule(n, batch_size, epochs)
    result = minigd.fit(
        minigd.models.LinearRegression(d),
        X,
        y,
        schedule,
        minigd.optim.SGD(lr=lr),
        seed=seed,
        params={"weight": np.zeros(d), "bias": np.zeros(1)},
        verbose=verbose,
        epoch_loss=epoch_loss,
        check_finite=check_finite,
    )
    return result.params["weight"], float(result.params["bias"][0]), len(result.history)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_minigd_exact_epoch_loss(X, y, batch_size, epochs, lr, seed):
    # one more pass over X per epoch: the loss on all samples (the default on small data)
    return run_minigd(X, y, batch_size, epochs, lr, seed, epoch_loss=True)


def run_minigd_batch_losses(X, y, batch_size, epochs, lr, seed):
    # the same record as the numpy loops keep: batch losses, no epoch-end pass over X
    return run_minigd(X, y, batch_size, epochs, lr, seed, epoch_loss=False)


def run_minigd_trusted(X, y, batch_size, epochs, lr, seed):
    # exactly the tuned loop's work: batch losses only, no up-front scan of X for NaN
    return run_minigd(X, y, batch_size, epochs, lr, seed, epoch_loss=False, check_finite=False)


def run_minigd_progress(X, y, batch_size, epochs, lr, seed):
    # verbose=1 as on a terminal: the bar is redrawn in place (by time)
    saved, sys.stdout = sys.stdout, _Terminal()
    try:
        return run_minigd(X, y, batch_size, epochs, lr, seed, verbose=1)
    finally:
        sys.stdout = saved


def run_numpy_naive(X, y, batch_size, epochs, lr, seed):
    # What a student writes: shuffle, slice, gradient, update, record the loss.
    n, d = X.shape
    rng = np.random.default_rng(seed)
    w, b = np.zeros(d), 0.0
    losses = []
    for _ in range(epochs):
        perm = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = perm[start : start + batch_size]
            Xb, yb = X[idx], y[idx]
            r = Xb @ w + b - yb
            losses.append(r @ r / len(idx))
            w -= lr * (2 / len(idx)) * (Xb.T @ r)
            b -= lr * (2 / len(idx)) * r.sum()
    return w, b, len(losses)


def run_numpy_tuned(X, y, batch_size, epochs, lr, seed):
    # Preallocated buffers, products written in place, the rows of many batches
    # gathered at once (up to 512 KB: they are still in the core's L2 cache when
    # the products read them), no gather at all for a full batch.
    n, d = X.shape
    rng = np.random.default_rng(seed)
    w, b = np.zeros(d), 0.0
    nb = -(-n // batch_size)
    losses = np.empty(epochs * nb)
    group = max(1, (1 << 19) // (batch_size * (d + 1) * 8))
    rows_max = min(group * batch_size, n)
    Xg, yg, r, gw = np.empty((rows_max, d)), np.empty(rows_max), np.empty(rows_max), np.empty(d)
    k = 0
    full = batch_size >= n
    for _ in range(epochs):
        perm = None if full else rng.permutation(n)
        for j0 in range(0, nb, group):
            lo, hi = j0 * batch_size, min((j0 + group) * batch_size, n)
            if full:
                xs_all, ys_all = X, y
            else:
                xs_all = np.take(X, perm[lo:hi], axis=0, out=Xg[: hi - lo], mode="clip")
                ys_all = np.take(y, perm[lo:hi], out=yg[: hi - lo], mode="clip")
            for o in range(0, hi - lo, batch_size):
                xs, ys = xs_all[o : o + batch_size], ys_all[o : o + batch_size]
                m = len(ys)
                rs = r[:m]
                np.dot(xs, w, out=rs)
                rs += b
                rs -= ys
                losses[k] = rs @ rs / m
                k += 1
                np.dot(rs, xs, out=gw)
                gw *= 2 * lr / m
                w -= gw
                b -= 2 * lr / m * rs.sum()
    return w, b, k


def _torch() -> Any:
    import torch

    torch.set_num_threads(1)
    return torch


def _torch_linear(torch: Any, d: int, lr: float) -> tuple[Any, Any]:
    model = torch.nn.Linear(d, 1, dtype=torch.float64)
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    return model, torch.optim.SGD(model.parameters(), lr=lr)


def _torch_step(torch: Any, model: Any, opt: Any, xb: Any, yb: Any) -> float:
    loss = torch.nn.functional.mse_loss(model(xb)[:, 0], yb)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return float(loss.item())


def _torch_result(model: Any, updates: int) -> tuple[np.ndarray, float, int]:
    return model.weight.detach().numpy()[0].copy(), float(model.bias.item()), updates


def run_torch_dataloader(X, y, batch_size, epochs, lr, seed):
    torch = _torch()
    g = torch.Generator().manual_seed(seed)
    data = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    loader = torch.utils.data.DataLoader(data, batch_size=batch_size, shuffle=True, generator=g)
    model, opt = _torch_linear(torch, X.shape[1], lr)
    losses = [_torch_step(torch, model, opt, xb, yb) for _ in range(epochs) for xb, yb in loader]
    return _torch_result(model, len(losses))


def run_torch_manual(X, y, batch_size, epochs, lr, seed):
    torch = _torch()
    g = torch.Generator().manual_seed(seed)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    n = len(X)
    model, opt = _torch_linear(torch, X.shape[1], lr)
    losses = []
    full = batch_size >= n
    for _ in range(epochs):
        perm = None if full else torch.randperm(n, generator=g)
        for start in range(0, n, batch_size):
            if full:
                xb, yb = Xt, yt
            else:
                idx = perm[start : start + batch_size]
                xb, yb = Xt[idx], yt[idx]
            losses.append(_torch_step(torch, model, opt, xb, yb))
    return _torch_result(model, len(losses))


def run_keras(X, y, batch_size, epochs, lr, seed):
    import keras

    keras.config.set_floatx("float64")
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input((X.shape[1],)), keras.layers.Dense(1, kernel_initializer="zeros")]
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse")
    model.fit(X, y, batch_size=batch_size, epochs=epochs, verbose=0, shuffle=True)
    kernel, bias = model.layers[0].get_weights()
    return kernel[:, 0], float(bias[0]), int(model.optimizer.iterations.numpy())


def run_sklearn_sgd(X, y, batch_size, epochs, lr, seed):
    from sklearn.linear_model import SGDRegressor

    # scikit-learn's loss is half the squared error: eta0 = 2 lr is the same step
    est = SGDRegressor(
        loss="squared_error",
        penalty=None,
        learning_rate="constant",
        eta0=2 * lr,
        max_iter=epochs,
        tol=None,
        shuffle=True,
        random_state=seed,
        average=False,
    )
    est.fit(X, y)
    return est.coef_.copy(), float(est.intercept_[0]), int(est.t_ - 1)


def run_sklearn_mlp(X, y, batch_size, epochs, lr, seed):
    from sklearn.neural_network import MLPRegressor

    est = MLPRegressor(
        hidden_layer_sizes=(),
        solver="sgd",
        learning_rate_init=2 * lr,
        momentum=0.0,
        nesterovs_momentum=False,
        alpha=0.0,
        batch_size=batch_size,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        shuffle=True,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)
    updates = est.n_iter_ * -(-len(X) // batch_size)
    return est.coefs_[0][:, 0].copy(), float(est.intercepts_[0][0]), updates


PEERS: dict[str, Peer] = {
    "minigd.fit": run_minigd,
    "minigd.fit epoch_loss=True": run_minigd_exact_epoch_loss,
    "minigd.fit epoch_loss=False": run_minigd_batch_losses,
    "minigd.fit epoch_loss=False check_finite=False": run_minigd_trusted,
    "minigd.fit verbose=1": run_minigd_progress,
    "numpy naive": run_numpy_naive,
    "numpy tuned": run_numpy_tuned,
    "torch DataLoader": run_torch_dataloader,
    "torch manual": run_torch_manual,
    "keras fit": run_keras,
    "sklearn SGDRegressor": run_sklearn_sgd,
    "sklearn MLPRegressor": run_sklearn_mlp,
}
NUMPY_PEERS = (
    "minigd.fit",
    "minigd.fit epoch_loss=True",
    "minigd.fit epoch_loss=False",
    "minigd.fit epoch_loss=False check_finite=False",
    "numpy naive",
    "numpy tuned",
)


@dataclass
class Scenario:
    name: str
    n: int
    d: int
    batch_size: int
    epochs: int
    lr: float
    repeats: int
    peers: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


def scenarios(quick: bool) -> list[Scenario]:
    small = tuple(PEERS)
    qa = [
        Scenario(
            "Q&A GD, batch 100",
            100,
            10,
            100,
            500,
            0.01,
            5,
            tuple(p for p in small if p != "sklearn SGDRegressor"),
        ),
        Scenario(
            "Q&A mini-batch 10",
            100,
            10,
            10,
            500,
            0.01,
            5,
            tuple(p for p in small if p != "sklearn SGDRegressor"),
        ),
        Scenario(
            "Q&A mini-batch 5",
            100,
            10,
            5,
            500,
            0.01,
            5,
            tuple(p for p in small if p != "sklearn SGDRegressor"),
        ),
        Scenario("Q&A SGD, batch 1", 100, 10, 1, 500, 0.01, 5, small),
    ]
    if quick:
        for s in qa:
            s.repeats = 3
            s.peers = tuple(p for p in s.peers if p not in ("keras fit", "torch DataLoader"))
        return qa
    big = [
        Scenario(
            "N=1e6 d=100 mini-batch 1024, 1 epoch",
            1_000_000,
            100,
            1024,
            1,
            0.01,
            3,
            (
                "minigd.fit",
                "minigd.fit epoch_loss=True",
                "minigd.fit epoch_loss=False check_finite=False",
                "numpy naive",
                "numpy tuned",
                "torch manual",
                "torch DataLoader",
                "keras fit",
                "sklearn MLPRegressor",
            ),
        ),
        Scenario(
            "N=1e6 d=100 full-batch GD, 20 epochs",
            1_000_000,
            100,
            1_000_000,
            20,
            0.1,
            3,
            (
                "minigd.fit",
                "minigd.fit epoch_loss=False check_finite=False",
                "numpy naive",
                "numpy tuned",
                "torch manual",
            ),
            [
                "torch DataLoader, Keras and scikit-learn take 10-160 s here "
                "(peer-baseline.md); left out to keep the run short"
            ],
        ),
    ]
    return qa + big


def make_data(n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    return minigd.datasets.make_regression(n, d, noise=0.1, seed=0)


def time_peer(peer: Peer, X, y, s: Scenario) -> tuple[float, float, int]:
    start = time.perf_counter()
    w, b, updates = peer(X, y, s.batch_size, s.epochs, s.lr, 0)
    return time.perf_counter() - start, mse(X, y, w, b), updates


def peak_memory(peer: Peer, X, y, s: Scenario) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    peer(X, y, s.batch_size, s.epochs, s.lr, 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def floor_gd(X, y, repeats: int = 5) -> float:
    """Seconds for X.T @ (X @ w - y), the memory-bound floor of one GD update."""
    w = np.zeros(X.shape[1])
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        X.T @ (X @ w - y)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def import_time(module: str, runs: int = 7) -> float:
    # As an installed package imports: from compiled bytecode (pip compiles it at
    # install time), whatever PYTHONDONTWRITEBYTECODE says in this shell.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, env=env)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True, env=env)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run(quick: bool, only: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "minigd": minigd.__version__,
            "cores": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d"),
        },
        "scenarios": [],
    }
    for s in scenarios(quick):
        if only is not None and only not in s.name:
            continue
        print(f"== {s.name}", file=sys.stderr, flush=True)
        X, y = make_data(s.n, s.d)
        times: dict[str, list[float]] = {p: [] for p in s.peers}
        final: dict[str, float] = {}
        updates: dict[str, int] = {}
        last: dict[str, float] = {}
        for _ in range(s.repeats):  # interleaved: drift hits every peer alike
            for p in s.peers:
                try:
                    # Warm, as timeit measures: every peer runs once untimed before its
                    # first timed run (imports, first-call costs), and a peer whose run
                    # takes under a second again before each timed run, so the peer
                    # before it in the round does not leave it cold caches.
                    if last.get(p, 0.0) < WARM_BELOW_S:
                        time_peer(PEERS[p], X, y, s)
                    seconds, loss, n_updates = time_peer(PEERS[p], X, y, s)
                    last[p] = seconds
                except ImportError as exc:
                    s.notes.append(f"{p}: not installed ({exc.name})")
                    times.pop(p, None)
                    continue
                if p in times:
                    times[p].append(seconds)
                    final[p], updates[p] = loss, n_updates
            s.peers = tuple(p for p in s.peers if p in times)
        base = statistics.median(times["numpy naive"]) / updates["numpy naive"]
        rows = []
        for p in s.peers:
            total = statistics.median(times[p])
            per_update = total / updates[p]
            memory = peak_memory(PEERS[p], X, y, s) if p in NUMPY_PEERS else None
            rows.append(
                {
                    "peer": p,
                    "us_per_update": per_update * 1e6,
                    "total_s": total,
                    "updates": updates[p],
                    "final_loss": final[p],
                    "peak_memory_mb": None if memory is None else memory / 2**20,
                    "ratio_to_naive": per_update / base,
                }
            )
        entry: dict[str, Any] = {
            "scenario": s.name,
            "n": s.n,
            "d": s.d,
            "batch_size": s.batch_size,
            "epochs": s.epochs,
            "repeats": s.repeats,
            "rows": rows,
            "notes": s.notes,
            "x_mb": X.nbytes / 2**20,
        }
        if s.batch_size >= s.n:
            floor = floor_gd(X, y)
            fit_update = next(r for r in rows if r["peer"] == "minigd.fit")["us_per_update"] / 1e6
            entry["floor_s_per_update"] = floor
            entry["floor_gb_per_s"] = 2 * X.nbytes / floor / 1e9
            entry["fit_gb_per_s"] = 2 * X.nbytes / fit_update / 1e9
            entry["fit_share_of_floor"] = floor / fit_update
        out["scenarios"].append(entry)
        del X, y
    numpy_s, minigd_s = import_time("numpy"), import_time("minigd")
    out["import"] = {
        "numpy_s": numpy_s,
        "minigd_s": minigd_s,
        "added_ms": (minigd_s - numpy_s) * 1000,
    }
    return out


SAME_WORK = {  # the minigd row that does what the hand-written loops do
    "Q&A": "minigd.fit epoch_loss=False",
    "N=1e6": "minigd.fit epoch_loss=False check_finite=False",
}


def targets(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The issue's targets against this report: (target, limit, measured, verdict)."""
    by_name = {sc["scenario"]: sc for sc in results["scenarios"]}
    out: list[tuple[str, str, str, str]] = []

    def row(sc_name: str, peer: str) -> dict[str, Any] | None:
        sc = by_name.get(sc_name)
        return None if sc is None else next((r for r in sc["rows"] if r["peer"] == peer), None)

    def add(target: str, limit: str, value: float | None, ok: bool | None, fmt: str) -> None:
        if value is None or ok is None:
            return
        shown = format(value, fmt) + ("x" if limit.endswith("x") else "")
        out.append((target, limit, shown, "met" if ok else "missed"))

    for sc_name in ("Q&A SGD, batch 1", "Q&A mini-batch 10"):
        short = sc_name.split(", ")[-1] if "," in sc_name else sc_name.replace("Q&A ", "")
        tuned = row(sc_name, "numpy tuned")
        for peer in ("minigd.fit", SAME_WORK["Q&A"]):
            r = row(sc_name, peer)
            if r is None or tuned is None:
                continue
            ratio_tuned = r["us_per_update"] / tuned["us_per_update"]
            add(
                f"{short}: `{peer}` vs numpy naive",
                "<= 1.0x",
                r["ratio_to_naive"],
                r["ratio_to_naive"] <= 1.0,
                ".2f",
            )
            add(
                f"{short}: `{peer}` vs numpy tuned",
                "<= 1.5x",
                ratio_tuned,
                ratio_tuned <= 1.5,
                ".2f",
            )
        fit = row(sc_name, "minigd.fit")
        naive = row(sc_name, "numpy naive")
        for peer, limit in (("torch DataLoader", 30), ("keras fit", 300)):
            other = row(sc_name, peer)
            if naive is not None and other is not None:
                # what parity with the hand-written loop implies, measured in the same run
                loop_times = other["us_per_update"] / naive["us_per_update"]
                out.append(
                    (
                        f"{short}: {peer} slower than numpy naive by",
                        "(reference)",
                        f"{math.floor(loop_times * 10) / 10:.1f}x",
                        "-",
                    )
                )
            for mine in ("minigd.fit", SAME_WORK["Q&A"]):
                r = row(sc_name, mine)
                if r is None or other is None:
                    continue
                times = other["us_per_update"] / r["us_per_update"]
                # shown rounded down: a multiple shown is never more than measured
                add(
                    f"{short}: {peer} slower than `{mine}` by",
                    f">= {limit}x",
                    math.floor(times * 10) / 10,
                    times >= limit,
                    ".1f",
                )
        quiet, shown = fit, row(sc_name, "minigd.fit verbose=1")
        if sc_name.endswith("batch 1") and quiet is not None and shown is not None:
            cost = shown["us_per_update"] / quiet["us_per_update"]
            add("batch 1: `verbose=1` vs `verbose=0`", "<= 1.10x", cost, cost <= 1.10, ".2f")
    gd = by_name.get("N=1e6 d=100 full-batch GD, 20 epochs")
    if gd is not None and "fit_share_of_floor" in gd:
        share = gd["fit_share_of_floor"]
        add(
            "full-batch GD N=1e6: share of the `X.T @ (X @ w - y)` floor",
            ">= 0.90",
            share,
            share >= 0.9,
            ".2f",
        )
    mb = "N=1e6 d=100 mini-batch 1024, 1 epoch"
    tuned = row(mb, "numpy tuned")
    for peer in ("minigd.fit", SAME_WORK["N=1e6"]):
        r = row(mb, peer)
        if r is not None and tuned is not None:
            ratio = r["us_per_update"] / tuned["us_per_update"]
            add(
                f"mini-batch 1024 N=1e6: `{peer}` vs numpy tuned",
                "<= 1.2x",
                ratio,
                ratio <= 1.2,
                ".2f",
            )
    for sc_name in (mb, gd["scenario"] if gd else ""):
        sc = by_name.get(sc_name)
        r = row(sc_name, "minigd.fit")
        if sc is not None and r is not None and r["peak_memory_mb"] is not None:
            extra = r["peak_memory_mb"] / sc["x_mb"]
            add(
                f"{sc_name.split(', ')[0].replace('N=1e6 d=100 ', '')} N=1e6: peak memory "
                f"beyond X, share of X ({sc['x_mb']:.0f} MB)",
                "<= 0.10",
                extra,
                extra <= 0.1,
                ".3f",
            )
    imp = results.get("import")
    if imp is not None:
        add(
            "`import minigd` after `import numpy` (ms)",
            "<= 30",
            imp["added_ms"],
            imp["added_ms"] <= 30,
            ".0f",
        )
    return out


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Measured {m['date']}: Python {m['python']}, numpy {m['numpy']}, "
        f"minigd {m['minigd']}, {m['cores']} cores, one BLAS thread. "
        f"Medians of interleaved repeats, each run warm (a peer runs once untimed "
        f"before its first timed run, and before every timed run shorter than "
        f"{WARM_BELOW_S:.0f} s); ratios against the hand-written numpy loop of the same run.",
        "",
    ]
    for sc in results["scenarios"]:
        lines += [
            f"### {sc['scenario']}",
            "",
            "| peer | us / update | total (s) | updates | final loss | peak MB | vs numpy naive |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in sc["rows"]:
            mem = "-" if r["peak_memory_mb"] is None else f"{r['peak_memory_mb']:.1f}"
            lines.append(
                f"| {r['peer']} | {r['us_per_update']:,.1f} | {r['total_s']:.3f} | "
                f"{r['updates']:,} | {r['final_loss']:.5g} | {mem} | "
                f"{r['ratio_to_naive']:.2f}x |"
            )
        if "floor_gb_per_s" in sc:
            lines += [
                "",
                f"Floor `X.T @ (X @ w - y)`: {sc['floor_s_per_update'] * 1e3:.1f} ms "
                f"({sc['floor_gb_per_s']:.1f} GB/s); minigd.fit reaches "
                f"{sc['fit_gb_per_s']:.1f} GB/s, {sc['fit_share_of_floor']:.2f} of the "
                f"floor. X is {sc['x_mb']:.0f} MB.",
            ]
        lines += [f"- {note}" for note in sc["notes"]]
        lines.append("")
    imp = results["import"]
    lines.append(
        f"Import (whole process, median of 7): numpy {imp['numpy_s'] * 1e3:.0f} ms, "
        f"minigd {imp['minigd_s'] * 1e3:.0f} ms: minigd adds "
        f"{imp['added_ms']:.0f} ms."
    )
    verdicts = targets(results)
    if verdicts:
        lines += [
            "",
            "### The targets, read from this report",
            "",
            "| target | limit | measured | |",
            "| --- | ---: | ---: | --- |",
        ]
        lines += [
            f"| {t} | {limit} | {value} | {verdict} |" for t, limit, value, verdict in verdicts
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="Q&A scenarios only, without Keras and the DataLoader"
    )
    parser.add_argument("--out", type=Path, default=HERE, help="folder for results.{md,json}")
    parser.add_argument(
        "--only",
        default=None,
        metavar="TEXT",
        help="run only the scenarios whose name contains TEXT",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="rewrite results.md from the results.json in --out, without measuring",
    )
    args = parser.parse_args(argv)
    if args.report:
        results = json.loads((args.out / "results.json").read_text())
    else:
        results = run(args.quick, args.only)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    text = markdown(results)
    (args.out / "results.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
