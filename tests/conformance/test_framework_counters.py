"""s.counters(framework) against what the real frameworks report.

Random cases (N, B, E, drop_last, accumulation, replicas) drawn from a seeded
generator; every framework is really run on a tiny model.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minigd import Schedule
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")
DataLoader = torch.utils.data.DataLoader
DistributedSampler = torch.utils.data.DistributedSampler

RNG = np.random.default_rng(2026)


# --- PyTorch -------------------------------------------------------------------------


@settings(max_examples=60)
@given(
    st.integers(1, 120),
    st.integers(1, 20),
    st.integers(1, 4),
    st.booleans(),
    st.integers(1, 5),
    st.booleans(),
    st.booleans(),
)
def test_pytorch_loader_lengths_and_sharding(
    n: int, b: int, r: int, drop: bool, k: int, across: bool, sampler_drop: bool
) -> None:
    # the sampler's drop_last (sharding) and each loader's, drawn apart
    rows = n // r if sampler_drop else -(-n // r)
    if (sampler_drop and r > n) or (drop and b > rows):
        return  # a replica would get no batch: refused, tested in test_sharding.py
    try:
        s = Schedule(
            n,
            b,
            2,
            world_size=r,
            accumulate=k,
            accumulate_across_epochs=across,
            drop_last=drop,
            sharding="drop" if sampler_drop else "pad",
            sampling="sequential",
        )
    except ValueError:  # accumulation longer than the whole run: refused, no update
        return
    c = s.counters("pytorch")
    per_rank = []
    for rank in range(r):
        sampler = DistributedSampler(
            range(n), num_replicas=r, rank=rank, shuffle=False, drop_last=sampler_drop
        )
        loader = DataLoader(range(n), batch_size=b, sampler=sampler, drop_last=drop)
        assert len(loader) == c["len(loader)"]
        per_rank.append([batch.tolist() for batch in loader])
    # the same rows, replica by replica, micro-batch by micro-batch
    first_epoch = [bt for bt in s.batches() if bt.epoch == 0]
    if not across or (c["len(loader)"] % k == 0):
        parts = [p.tolist() for bt in first_epoch for p in bt.parts]
        theirs = [per_rank[rank][m] for m in range(len(per_rank[0])) for rank in range(r)]
        assert parts == theirs


@settings(max_examples=40)
@given(
    st.integers(2, 80),
    st.integers(1, 12),
    st.integers(1, 4),
    st.integers(1, 5),
    st.booleans(),
    st.booleans(),
)
def test_pytorch_loop_steps_and_scheduler(
    n: int, b: int, e: int, k: int, across: bool, drop: bool
) -> None:
    if drop and b > n:
        return
    try:
        s = Schedule(n, b, e, accumulate=k, accumulate_across_epochs=across, drop_last=drop)
    except ValueError:  # accumulation longer than the whole run: refused, no update
        return
    c = s.counters("pytorch")
    param = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([param], lr=0.1)
    per_update = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1.0)
    per_epoch = torch.optim.lr_scheduler.StepLR(opt, step_size=1000)
    loader = DataLoader(range(n), batch_size=b, shuffle=True, drop_last=drop)
    micro = updates = 0
    for _ in range(e):
        for i, _batch in enumerate(loader):
            micro += 1
            last_of_epoch = i + 1 == len(loader)
            if (across and micro % k == 0) or (not across and ((i + 1) % k == 0 or last_of_epoch)):
                opt.step()
                per_update.step()
                updates += 1
        with warnings.catch_warnings():  # "lr_scheduler.step() before optimizer.step()"
            warnings.simplefilter("ignore")
            per_epoch.step()  # every epoch, also one in which no update completes
    assert micro == c["batches"] + s.micro_batches_unapplied
    assert updates == c["optimizer.step() calls"]
    assert per_update.last_epoch == c["scheduler.last_epoch (stepped per update)"]
    assert per_epoch.last_epoch == c["scheduler.last_epoch (stepped per epoch)"]


# --- Keras 3 (torch backend) ---------------------------------------------------------


def _keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return require("keras")


def keras_cases() -> list[tuple[int, int, int, int, int | None]]:
    cases = [
        (100, 5, 2, 1, None),
        (100, 3, 2, 4, None),
        (100, 5, 4, 1, 7),
        (100, 5, 2, 1, 30),
        (100, 3, 4, 1, 10),
    ]
    for _ in range(6):
        n = int(RNG.integers(5, 60))
        b = int(RNG.integers(1, 12))
        cases.append((n, b, int(RNG.integers(1, 4)), int(RNG.integers(1, 4)), None))
    return cases


@pytest.mark.parametrize(("n", "b", "e", "k", "cap"), keras_cases())
def test_keras_counters(n: int, b: int, e: int, k: int, cap: int | None) -> None:
    keras = _keras()
    keras.utils.set_random_seed(0)
    X = np.random.default_rng(0).normal(size=(n, 2)).astype("float32")
    y = X.sum(axis=1)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    opt = keras.optimizers.SGD(learning_rate=0.01, gradient_accumulation_steps=k if k > 1 else None)
    model.compile(optimizer=opt, loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Your input ran out of data"
        history = model.fit(X, y, batch_size=b, epochs=e, steps_per_epoch=cap, verbose=0)
    if cap is None:
        s = Schedule.from_framework(
            "keras", n, batch_size=b, epochs=e, gradient_accumulation_steps=k if k > 1 else None
        )
    else:  # the counters of the capped Schedule are Keras's, even where it cuts epochs short
        s = Schedule(n, b, e, steps_per_epoch=cap)
    c = s.counters("keras")
    assert int(model.optimizer.iterations.numpy()) == c["model.optimizer.iterations"]
    assert len(history.history["loss"]) == c["len(history.history['loss'])"]
    steps = history.params["steps"]
    assert f"{steps}/{steps}" == c["progress_bar"]


# --- scikit-learn ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_sklearn_sgd_counters(seed: int) -> None:
    linear_model = require("sklearn.linear_model")
    rng = np.random.default_rng(seed)
    n, e = int(rng.integers(5, 120)), int(rng.integers(1, 40))
    X = rng.normal(size=(n, 3))
    est = linear_model.SGDRegressor(max_iter=e, tol=None, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, X.sum(axis=1))
    c = Schedule.from_framework("sklearn-sgd", n, max_iter=e).counters("sklearn-sgd")
    assert est.n_iter_ == c["n_iter_"]
    assert est.t_ == c["t_"]


@pytest.mark.parametrize("seed", range(6))
def test_sklearn_mlp_counters(seed: int) -> None:
    neural_network = require("sklearn.neural_network")
    rng = np.random.default_rng(seed)
    n, b, e = int(rng.integers(5, 120)), int(rng.integers(1, 40)), int(rng.integers(1, 12))
    X = rng.normal(size=(n, 3))
    s = Schedule.from_framework("sklearn-mlp", n, batch_size=b, max_iter=e)
    est = neural_network.MLPRegressor(
        hidden_layer_sizes=(),
        solver="adam",
        random_state=seed,
        **s.to("sklearn-mlp")["arguments"]["MLPRegressor"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, X.sum(axis=1))
    c = s.counters("sklearn-mlp")
    assert est.n_iter_ == c["n_iter_"]
    assert est.t_ == c["t_"]
    assert len(est.loss_curve_) == c["len(loss_curve_)"]
    assert est._optimizer.t == c["updates"]
