"""minigd.fit against what a user would write or use instead.

Every peer trains the same linear regression (mean squared error, a bias,
float64, plain SGD with the same learning rate, zero initial parameters) on the
same data, and reports its final loss on all samples, so everyone did the same
job. Two peers are the Training page's reference loop run as printed, with and
without the per-call checks of ``loss_and_grad`` and ``update``. Times are
medians over interleaved repeats in one process, of warm runs (as timeit
measures: short runs are preceded by an untimed one), and every ratio is taken
between two peers measured in the same run.

Run ``make bench`` (or ``python benchmarks/bench.py --help``): the full run
writes ``benchmarks/results.md`` and ``benchmarks/results.json``; ``--targets``,
``--quick`` and ``--only`` are partial runs and write to ``build/bench/``.
"""

from __future__ import annotations

import os

# One BLAS thread for every peer, set before numpy or torch load.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("KERAS_BACKEND", "torch")

import argparse  # noqa: E402
import functools  # noqa: E402
import inspect  # noqa: E402
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


def run_minigd(X, y, batch_size, epochs, lr, seed, **options):
    # fit with its defaults, or with the options a peer below names
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
        **options,
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


def reference_loop(model, optimizer, X, y, batch_size, epochs, seed):
    """The Training page's loop as printed, keeping each batch loss as the numpy loops do."""
    n, d = X.shape
    schedule = minigd.Schedule(n, batch_size, epochs)
    params = {"weight": np.zeros(d), "bias": np.zeros(1)}
    losses = []
    state = optimizer.init(params)
    for batch in schedule.batches(seed):
        loss, grads = model.loss_and_grad(params, X[batch.indices], y[batch.indices])
        params, state = optimizer.update(params, grads, state, epoch=batch.epoch)
        losses.append(loss)
    return params["weight"], float(params["bias"][0]), len(losses)


def run_reference_loop(X, y, batch_size, epochs, lr, seed):
    model, optimizer = minigd.models.LinearRegression(X.shape[1]), minigd.optim.SGD(lr=lr)
    return reference_loop(model, optimizer, X, y, batch_size, epochs, seed)


class PeerUnavailableError(RuntimeError):
    """This minigd cannot run the peer as defined (the peer is left out, never imitated)."""


#: the per-call checks of the public path: (owner, method, a stand-in that checks nothing)
CHECKS = (
    ("model", "_check_batch", lambda params, X, y: (X, y)),
    ("optimizer", "_check_update", lambda params, grads, state, epoch: None),
)


@functools.cache
def checks_unavailable() -> str | None:
    """Why the checks cannot be switched off in this minigd, or None when they can.

    The public ``loss_and_grad`` and ``update`` must each call their check method
    exactly once per call (issue 13's "check + maths"); one call of each on a
    tiny problem, with counting stand-ins, says whether they do.
    """
    owners = {
        "model": minigd.models.LinearRegression(2),
        "optimizer": minigd.optim.SGD(lr=0.1),
    }
    missing = [
        f"{type(owners[o]).__name__}.{name}"
        for o, name, _ in CHECKS
        if not callable(getattr(type(owners[o]), name, None))
    ]
    if missing:
        return (
            f"this minigd has no {' or '.join(missing)}: the peer needs issue 13's public "
            "path, where loss_and_grad and update are a check method plus the maths"
        )
    calls = dict.fromkeys((name for _, name, _ in CHECKS), 0)
    for o, name, _ in CHECKS:
        check = getattr(owners[o], name)

        def counted(*args, _check=check, _name=name):
            calls[_name] += 1
            return _check(*args)

        setattr(owners[o], name, counted)
    params = {"weight": np.zeros(2), "bias": np.zeros(1)}
    X, y = np.ones((3, 2)), np.ones(3)
    _, grads = owners["model"].loss_and_grad(params, X, y)
    owners["optimizer"].update(params, grads, owners["optimizer"].init(params), epoch=0)
    wrong = [f"{name} ran {count} times" for name, count in calls.items() if count != 1]
    if wrong:
        return (
            "one loss_and_grad and one update should call each check method once, but "
            + ", ".join(wrong)
        )
    return None


def run_reference_loop_unchecked(X, y, batch_size, epochs, lr, seed):
    # The same loop with the per-call checks replaced on the instances for this run:
    # the difference to "reference loop" is what the checks cost.
    reason = checks_unavailable()
    if reason is not None:
        raise PeerUnavailableError(f"reference loop, unchecked: {reason}")
    owners = {
        "model": minigd.models.LinearRegression(X.shape[1]),
        "optimizer": minigd.optim.SGD(lr=lr),
    }
    for o, name, nothing in CHECKS:
        setattr(owners[o], name, nothing)
    return reference_loop(owners["model"], owners["optimizer"], X, y, batch_size, epochs, seed)


def run_reference_loop_inline_checks(X, y, batch_size, epochs, lr, seed):
    # The floor of any O(1) check: the unchecked loop plus the fewest reads that
    # still check X, y, the parameters and the gradients (class, dtype, ndim,
    # shapes, names, the state's owner), written inline with the shapes known in
    # advance: no call, no loop, no dict. What the checks cost above this floor is
    # their own overhead; this floor is what checking at all costs.
    reason = checks_unavailable()
    if reason is not None:
        raise PeerUnavailableError(f"reference loop, inline minimal checks: {reason}")
    n, d = X.shape
    model, optimizer = minigd.models.LinearRegression(d), minigd.optim.SGD(lr=lr)
    for o, name, nothing in CHECKS:
        setattr(model if o == "model" else optimizer, name, nothing)
    f64, nd, weight_shape, bias_shape = np.dtype(np.float64), np.ndarray, (d,), (1,)
    schedule = minigd.Schedule(n, batch_size, epochs)
    params = {"weight": np.zeros(d), "bias": np.zeros(1)}
    losses = []
    state = optimizer.init(params)
    for batch in schedule.batches(seed):
        xb, yb = X[batch.indices], y[batch.indices]
        w, b = params["weight"], params["bias"]
        if not (
            xb.__class__ is nd and yb.__class__ is nd and xb.dtype is f64 and yb.dtype is f64
            and xb.shape[1] == d and yb.ndim == 1 and len(yb) == len(xb) and len(params) == 2
            and w.shape == weight_shape and b.shape == bias_shape
            and w.dtype is f64 and b.dtype is f64
        ):  # fmt: skip
            raise ValueError("bad batch")
        loss, grads = model.loss_and_grad(params, xb, yb)
        gw, gb = grads["weight"], grads["bias"]
        if not (
            state.issuer is optimizer and len(grads) == 2
            and gw.shape == weight_shape and gb.shape == bias_shape
            and gw.dtype is f64 and gb.dtype is f64
        ):  # fmt: skip
            raise ValueError("bad gradients")
        params, state = optimizer.update(params, grads, state, epoch=batch.epoch)
        losses.append(loss)
    return params["weight"], float(params["bias"][0]), len(losses)


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
    "reference loop": run_reference_loop,
    "reference loop, unchecked": run_reference_loop_unchecked,
    "reference loop, inline minimal checks": run_reference_loop_inline_checks,
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
    "reference loop",
    "reference loop, unchecked",
    "reference loop, inline minimal checks",
    "numpy naive",
    "numpy tuned",
)
#: fit's options that a peer sets (a peer whose option this minigd's fit lacks is left out)
FIT_OPTIONS = {
    "minigd.fit epoch_loss=True": ("epoch_loss",),
    "minigd.fit epoch_loss=False": ("epoch_loss",),
    "minigd.fit epoch_loss=False check_finite=False": ("epoch_loss", "check_finite"),
    "minigd.fit verbose=1": ("verbose",),
}


def unavailable(peer: str) -> str | None:
    """Why this minigd cannot run ``peer`` as defined, or None when it can."""
    if peer in ("reference loop, unchecked", "reference loop, inline minimal checks"):
        return checks_unavailable()
    accepted = inspect.signature(minigd.fit).parameters
    missing = [o for o in FIT_OPTIONS.get(peer, ()) if o not in accepted]
    return f"fit has no {', '.join(missing)} option" if missing else None


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


def scenarios(quick: bool = False, targets_only: bool = False) -> list[Scenario]:
    """Every scenario of the full run; ``quick`` and ``targets_only`` select from them."""
    small = tuple(PEERS)
    but_sgd_regressor = tuple(p for p in small if p != "sklearn SGDRegressor")
    qa = [
        Scenario("Q&A GD, batch 100", 100, 10, 100, 500, 0.01, 5, but_sgd_regressor),
        Scenario("Q&A mini-batch 10", 100, 10, 10, 500, 0.01, 5, but_sgd_regressor),
        Scenario("Q&A mini-batch 5", 100, 10, 5, 500, 0.01, 5, but_sgd_regressor),
        Scenario("Q&A SGD, batch 1", 100, 10, 1, 500, 0.01, 5, small),
    ]
    if targets_only:
        qa = [s for s in qa if s.name in QA_BY_BATCH.values()]
        for s in qa:
            s.peers = tuple(p for p in s.peers if p in TARGET_PEERS)
    if quick:
        for s in qa:
            s.repeats = 3
            s.peers = tuple(p for p in s.peers if p not in ("keras fit", "torch DataLoader"))
    if quick or targets_only:
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
                "reference loop",
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
                "reference loop",
                "numpy naive",
                "numpy tuned",
                "torch manual",
            ),
            [
                "torch DataLoader, Keras and scikit-learn take 10-160 s here "
                "(peer-baseline.md); left out to keep the run short",
                "reference loop: gathers `X[batch.indices]` as printed, a copy of X per update "
                "(fit may compute on X itself)",
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


def select(chosen: list[Scenario], strict: bool) -> None:
    """Leave out the peers this minigd cannot run, with a note; ``strict`` refuses instead.

    A full run is strict about the peers the targets read, so that a missing peer
    stops it before minutes of measuring rather than leaving a target unmeasured.
    """
    for s in chosen:
        kept = []
        for p in s.peers:
            reason = unavailable(p)
            if reason is None:
                kept.append(p)
                continue
            if strict and p in TARGET_PEERS:
                raise SystemExit(
                    f"bench: {p!r} cannot run: {reason}. A full run measures every target; "
                    "run --quick, --targets or --only to measure without it."
                )
            print(f"bench: {s.name}: {p!r} left out: {reason}", file=sys.stderr)
            s.notes.append(f"{p}: left out, {reason}")
        s.peers = tuple(kept)


def run(quick: bool = False, only: str | None = None, targets_only: bool = False) -> dict[str, Any]:
    chosen = [s for s in scenarios(quick, targets_only) if only is None or only in s.name]
    select(chosen, strict=not (quick or targets_only or only is not None))
    out: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "minigd": minigd.__version__,
            "cores": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d"),
        },
        "run": "full" if not (quick or targets_only or only) else "partial",
        "scenarios": [],
    }
    for s in chosen:
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
        per_update = {p: statistics.median(times[p]) / updates[p] for p in s.peers}
        base = per_update["numpy naive"]
        reference = per_update.get("reference loop")
        rows = []
        for p in s.peers:
            memory = peak_memory(PEERS[p], X, y, s) if p in NUMPY_PEERS else None
            rows.append(
                {
                    "peer": p,
                    "us_per_update": per_update[p] * 1e6,
                    "total_s": statistics.median(times[p]),
                    "updates": updates[p],
                    "final_loss": final[p],
                    "peak_memory_mb": None if memory is None else memory / 2**20,
                    "ratio_to_naive": per_update[p] / base,
                    "ratio_to_reference": None if reference is None else per_update[p] / reference,
                }
            )
        for a, b in (
            ("minigd.fit", "reference loop"),
            ("reference loop, unchecked", "reference loop"),
        ):
            if a in final and b in final and final[a] != final[b]:
                s.notes.append(
                    f"{a} ended at loss {final[a]!r}, {b} at {final[b]!r}: not the same run"
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
        if s.batch_size >= s.n and "minigd.fit" in per_update:
            floor = floor_gd(X, y)
            fit_update = per_update["minigd.fit"]
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
    out["targets"] = [
        dict(zip(("target", "limit", "measured", "verdict"), t, strict=True)) for t in targets(out)
    ]
    return out


def shown(value: float, decimals: int, down: bool) -> str:
    """``value`` rounded toward its limit's safe side: a figure shown never flatters.

    An upper limit ("at most") shows the value rounded up, a lower limit ("at least")
    rounded down, so a figure shown as meeting its limit does meet it.

    >>> shown(1.1504, 2, down=False), shown(29.96, 1, down=True), shown(1.1, 2, down=False)
    ('1.16', '29.9', '1.10')
    """
    scaled = value * 10**decimals
    # the tolerance keeps 1.1 (110.00000000000001 when scaled) at 1.10
    whole = math.floor(scaled + 1e-9) if down else math.ceil(scaled - 1e-9)
    return f"{whole / 10**decimals:.{decimals}f}"


NOT_MEASURED = "not measured"
RETIRED = "retired"

#: the Q&A scenario of each batch size that has targets
QA_BY_BATCH = {1: "Q&A SGD, batch 1", 10: "Q&A mini-batch 10", 100: "Q&A GD, batch 100"}
#: issue 13's targets on the Q&A problem, as data:
#: (batch sizes, what, peer, against, "<=" or ">=", limit, the retired limit it replaced)
QA_TARGETS: tuple[tuple[tuple[int, ...], str, str, str, str, float, str], ...] = (
    ((1, 10), "`minigd.fit` vs the reference loop", "minigd.fit", "reference loop", "<=", 1.15, ""),
    ((100,), "`minigd.fit` vs the reference loop", "minigd.fit", "reference loop", "<=", 1.35, ""),
    ((1, 10), "`minigd.fit` vs numpy naive", "minigd.fit", "numpy naive", "<=", 1.75, ""),
    (
        (1, 10),
        "torch DataLoader slower than `minigd.fit` by",
        "torch DataLoader",
        "minigd.fit",
        ">=",
        15,
        ">= 30x",  # the retired target read the same figure
    ),
    (
        (1,),
        "the checks, reference loop vs reference loop unchecked",
        "reference loop",
        "reference loop, unchecked",
        "<=",
        1.05,
        "",
    ),
    ((1, 10), "`verbose=1` vs `verbose=0`", "minigd.fit verbose=1", "minigd.fit", "<=", 1.10, ""),
)
#: the peers the targets read (``--targets`` runs only these)
TARGET_PEERS = (
    *dict.fromkeys(p for t in QA_TARGETS for p in t[2:4]),
    "reference loop, inline minimal checks",  # the floor the checks' target is read against
)
#: figures reported at batch 1 and 10 without a verdict:
#: (what, peer, against, the retired limit or "" for context, round down, decimals)
QA_FIGURES = (
    ("`minigd.fit` vs numpy tuned", "minigd.fit", "numpy tuned", "<= 1.5x", False, 2),
    ("keras fit slower than `minigd.fit` by", "keras fit", "minigd.fit", ">= 300x", True, 1),
    ("the reference loop vs numpy naive", "reference loop", "numpy naive", "", False, 2),
    (
        "the floor of O(1) checks: inline minimal checks vs unchecked",
        "reference loop, inline minimal checks",
        "reference loop, unchecked",
        "",
        False,
        3,
    ),
)


def targets(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Issue 13's targets against this report: (target, limit, measured, verdict).

    The verdict is "met" or "missed"; "not measured" when the scenario ran without
    a peer the target reads; "retired" for a former target still reported as a figure,
    and "-" for a figure shown for context. Ratios are of medians of the same run.
    A target whose scenario is not in the report is left out.
    """
    by_name = {sc["scenario"]: sc for sc in results["scenarios"]}
    out: list[tuple[str, str, str, str]] = []

    def us(sc_name: str, peer: str) -> float | None:
        sc = by_name[sc_name]
        found = [r["us_per_update"] for r in sc["rows"] if r["peer"] == peer]
        return found[0] if found else None

    def ratio(sc_name: str, mine: str, other: str) -> float | None:
        a, b = us(sc_name, mine), us(sc_name, other)
        return None if a is None or b is None else a / b

    def at_most(target: str, value: float | None, limit: float, was: str = "") -> None:
        text = f"<= {limit:.2f}x" + (f" (was {was})" if was else "")
        if value is None:
            out.append((target, text, "-", NOT_MEASURED))
        else:
            verdict = "met" if value <= limit else "missed"
            out.append((target, text, shown(value, 2, down=False) + "x", verdict))

    def at_least(target: str, value: float | None, limit: float, was: str = "") -> None:
        text = f">= {limit:g}x" + (f" (was {was})" if was else "")
        if value is None:
            out.append((target, text, "-", NOT_MEASURED))
        else:
            verdict = "met" if value >= limit else "missed"
            out.append((target, text, shown(value, 1, down=True) + "x", verdict))

    def figure(target: str, was: str, value: float | None, down: bool, decimals: int) -> None:
        if value is not None:
            verdict = RETIRED if was else "-"
            limit = f"was {was}" if was else "(context)"
            out.append((target, limit, shown(value, decimals, down) + "x", verdict))

    for batch, sc_name in QA_BY_BATCH.items():
        if sc_name not in by_name:
            continue
        for sizes, what, mine, other, sense, limit, was in QA_TARGETS:
            if batch in sizes:
                check = at_most if sense == "<=" else at_least
                check(f"batch {batch}: {what}", ratio(sc_name, mine, other), limit, was)
    gd = by_name.get("N=1e6 d=100 full-batch GD, 20 epochs")
    if gd is not None:
        share = gd.get("fit_share_of_floor")
        target = "full-batch GD N=1e6: share of the `X.T @ (X @ w - y)` floor"
        if share is None:
            out.append((target, ">= 0.90", "-", NOT_MEASURED))
        else:
            verdict = "met" if share >= 0.9 else "missed"
            out.append((target, ">= 0.90", shown(share, 2, down=True), verdict))
    mb = "N=1e6 d=100 mini-batch 1024, 1 epoch"
    for sc in (by_name.get(mb), gd):
        if sc is None:
            continue
        fit = next((r for r in sc["rows"] if r["peer"] == "minigd.fit"), None)
        kind = sc["scenario"].split(", ")[0].replace("N=1e6 d=100 ", "")
        target = f"{kind} N=1e6: peak memory beyond X, share of X ({sc['x_mb']:.0f} MB)"
        if fit is None or fit["peak_memory_mb"] is None:
            out.append((target, "<= 0.10", "-", NOT_MEASURED))
        else:
            extra = fit["peak_memory_mb"] / sc["x_mb"]
            verdict = "met" if extra <= 0.1 else "missed"
            out.append((target, "<= 0.10", shown(extra, 3, down=False), verdict))
    imp = results.get("import")
    if imp is not None:
        added = imp["added_ms"]
        verdict = "met" if added <= 30 else "missed"
        target = "`import minigd` after `import numpy` (ms)"
        out.append((target, "<= 30", shown(added, 0, down=False), verdict))
    # Former targets and context, reported as figures: no verdict.
    for batch in (1, 10):
        if QA_BY_BATCH[batch] in by_name:
            for what, mine, other, was, down, decimals in QA_FIGURES:
                value = ratio(QA_BY_BATCH[batch], mine, other)
                figure(f"batch {batch}: {what}", was, value, down, decimals)
    if mb in by_name:
        figure(
            "mini-batch 1024 N=1e6: `minigd.fit` vs numpy tuned",
            "<= 1.2x",
            ratio(mb, "minigd.fit", "numpy tuned"),
            down=False,
            decimals=2,
        )
    return out


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Measured {m['date']}: Python {m['python']}, numpy {m['numpy']}, "
        f"minigd {m['minigd']}, {m['cores']} cores, one BLAS thread. "
        f"Medians of interleaved repeats, each run warm (a peer runs once untimed "
        f"before its first timed run, and before every timed run shorter than "
        f"{WARM_BELOW_S:.0f} s); ratios against the hand-written numpy loop and the "
        f"reference loop of the same run.",
        "",
    ]
    if results.get("run") == "partial":
        lines += ["A partial run (`--quick`, `--targets` or `--only`).", ""]
    for sc in results["scenarios"]:
        reference = next(
            (r["us_per_update"] for r in sc["rows"] if r["peer"] == "reference loop"), None
        )
        lines += [
            f"### {sc['scenario']}",
            "",
            "| peer | us / update | total (s) | updates | final loss | peak MB "
            "| vs numpy naive | vs reference loop |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in sc["rows"]:
            mem = "-" if r["peak_memory_mb"] is None else f"{r['peak_memory_mb']:.1f}"
            vs_ref = "-" if reference is None else f"{r['us_per_update'] / reference:.2f}x"
            lines.append(
                f"| {r['peer']} | {r['us_per_update']:,.1f} | {r['total_s']:.3f} | "
                f"{r['updates']:,} | {r['final_loss']:.5g} | {mem} | "
                f"{r['ratio_to_naive']:.2f}x | {vs_ref} |"
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
    kept = [t for t in verdicts if t[3] not in (RETIRED, "-")]
    figures = [t for t in verdicts if t[3] in (RETIRED, "-")]
    for title, chosen in (
        ("The targets, read from this report", kept),
        ("Retired targets and context, reported without a verdict", figures),
    ):
        if chosen:
            lines += [
                "",
                f"### {title}",
                "",
                "| target | limit | measured | |",
                "| --- | ---: | ---: | --- |",
            ]
            lines += [
                f"| {t} | {limit} | {value} | {verdict} |" for t, limit, value, verdict in chosen
            ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="Q&A scenarios only, 3 repeats, without Keras and the DataLoader",
    )
    parser.add_argument(
        "--targets",
        action="store_true",
        help="only what the Q&A targets read: batch 1, 10 and 100 with minigd.fit, "
        "verbose=1, the reference loops, numpy naive and the DataLoader, plus the import",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for results.{md,json} (default: benchmarks/ for a full run, "
        "build/bench/ for a partial one, so it never overwrites the full results)",
    )
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
    partial = args.quick or args.targets or args.only is not None
    out = args.out or (HERE.parent / "build" / "bench" if partial else HERE)
    if args.report:
        results = json.loads((out / "results.json").read_text())
    else:
        results = run(args.quick, args.only, args.targets)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    text = markdown(results)
    (out / "results.md").write_text(text)
    print(text)
    print(f"bench: wrote {out / 'results.md'} and results.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
