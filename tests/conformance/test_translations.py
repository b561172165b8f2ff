"""``s.to(fw)["arguments"]``, part by part, into the real constructors and calls.

Each part of the translation (``{"DataLoader": {...}, "loop": {...}}``,
``{"fit": {...}}``, ``{"Trainer": {...}}``, ...) is passed as it is to the
object or call it names; the run it makes must count what the Schedule
counts. ``"loop"`` parts are your own loop: the plain loop below reads them.
"""

from __future__ import annotations

import itertools
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from minigd import Schedule
from tests.conformance.test_lightning_huggingface import (
    data,
    huggingface_model_and_rows,
    lightning_module,
)
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")
data_utils = torch.utils.data


def _loader(n: int, parts: dict[str, dict[str, Any]], rank: int = 0) -> Any:
    rows = data_utils.TensorDataset(torch.arange(n))
    sampler = None
    if "RandomSampler" in parts:
        sampler = data_utils.RandomSampler(rows, **parts["RandomSampler"])
    if "DistributedSampler" in parts:
        sampler = data_utils.DistributedSampler(rows, rank=rank, **parts["DistributedSampler"])
    return data_utils.DataLoader(rows, sampler=sampler, **parts["DataLoader"])


def _plain_loop(loader: Any, loop: dict[str, Any]) -> tuple[int, int]:
    """A hand-written loop that does what the ``"loop"`` part says: (steps, batches)."""
    k, across = loop.get("accumulate", 1), loop.get("accumulate_across_epochs", False)
    cap, max_steps = loop.get("steps_per_epoch"), loop.get("max_steps")
    stream = itertools.chain.from_iterable(itertools.repeat(loader))  # endless passes
    steps = micro = in_group = 0
    for _ in range(loop["epochs"]):
        # an epoch is one pass, or `cap` batches of the endless stream
        batches, size = (iter(loader), len(loader)) if cap is None else (stream, cap)
        for i in range(size):
            next(batches)
            micro += 1
            in_group += 1
            if in_group == k or (not across and i == size - 1):
                steps, in_group = steps + 1, 0
                if steps == max_steps:
                    return steps, micro
    return steps, micro


PYTORCH = [
    Schedule(100, 3, 2),
    Schedule(100, 3, 3, accumulate=4, sampling="sequential"),
    Schedule(23, 4, 5, accumulate=3, accumulate_across_epochs=True),
    Schedule(100, 7, 3, drop_last=True, max_steps=30),
    Schedule(50, 4, 2, sampling="replacement"),
    Schedule(50, 4, 6, epoch="draw", steps_per_epoch=3),
    Schedule(40, 6, 3, steps_per_epoch=5),
    Schedule(101, 5, 2, world_size=3),
    Schedule(11, 3, 2, world_size=2, drop_last=True),  # the sampler pads, the loader drops
    Schedule(101, 5, 2, world_size=3, drop_last=True, sharding="drop"),  # both drop
]


@pytest.mark.parametrize("s", PYTORCH, ids=repr)
def test_pytorch_parts(s: Schedule) -> None:
    parts = s.to("pytorch")["arguments"]
    loader = _loader(s.n_samples, parts)
    c = s.counters("pytorch")
    assert len(loader) == c["len(loader)"]
    steps, micro = _plain_loop(loader, parts["loop"])
    assert steps == s.total_steps == c["optimizer.step() calls"]
    assert micro == s.micro_batches + s.micro_batches_unapplied


def _keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return require("keras")


@pytest.mark.parametrize(
    ("s", "data"),
    [
        (Schedule(100, 3, 2), "finite"),
        (Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True), "finite"),
        (Schedule(100, 5, 4, steps_per_epoch=10), "finite"),
        (Schedule(100, 5, 4, steps_per_epoch=7), "endless"),
        (Schedule(30, 4, 3, drop_last=True), "endless"),
    ],
    ids=repr,
)
def test_keras_parts(s: Schedule, data: str) -> None:
    keras = _keras()
    parts = s.to("keras", data=data)["arguments"]
    X = np.random.default_rng(0).normal(size=(s.n_samples, 2)).astype("float32")
    y = X.sum(axis=1)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(**parts.get("optimizer", {})), loss="mse")
    if data == "endless":
        given = parts["input"]
        b, rows = given["batch_size"], s.n_samples

        def endless() -> Any:
            while True:
                stop = rows - rows % b if given["drop_last"] else rows
                for i in range(0, stop, b):
                    yield X[i : i + b], y[i : i + b]

        x, target = endless(), None
    else:
        x, target = X, y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = model.fit(x, target, verbose=0, **parts["fit"])
    assert int(model.optimizer.iterations.numpy()) == s.total_steps
    assert len(history.history["loss"]) == s.epochs


def test_sklearn_parts() -> None:
    neural_network = require("sklearn.neural_network")
    linear_model = require("sklearn.linear_model")
    X = np.random.default_rng(0).normal(size=(37, 3))
    s = Schedule(37, 5, 4)
    mlp = neural_network.MLPRegressor(
        hidden_layer_sizes=(), **s.to("sklearn-mlp")["arguments"]["MLPRegressor"]
    )
    sgd = linear_model.SGDRegressor(
        **Schedule(37, 1, 4).to("sklearn-sgd")["arguments"]["SGDRegressor"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp.fit(X, X.sum(axis=1))
        sgd.fit(X, X.sum(axis=1))
    assert mlp._optimizer.t == s.total_steps
    assert mlp.t_ == s.samples_seen
    assert sgd.n_iter_ == 4 and sgd.t_ == 4 * 37 + 1  # noqa: PT018


@pytest.mark.parametrize(
    "s", [Schedule(50, 3, 2, accumulate=4), Schedule(40, 6, 4, max_steps=9)], ids=repr
)
def test_lightning_parts(s: Schedule, tmp_path: Path) -> None:
    pl = require("lightning.pytorch")
    parts = s.to("lightning")["arguments"]
    loader = data_utils.DataLoader(data(s.n_samples), **parts["DataLoader"])
    trainer = pl.Trainer(
        **parts["Trainer"],
        accelerator="cpu",
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=tmp_path,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.fit(lightning_module(), loader)
    assert trainer.global_step == s.total_steps


@pytest.mark.parametrize(
    "s",
    [Schedule(50, 3, 2, accumulate=4), Schedule(40, 6, 4, max_steps=9, drop_last=True)],
    ids=repr,
)
def test_huggingface_parts(s: Schedule, tmp_path: Path) -> None:
    transformers = require("transformers")
    transformers.logging.set_verbosity_error()
    model, rows = huggingface_model_and_rows(s.n_samples)
    parts = s.to("huggingface")["arguments"]
    assert parts["torchrun"] == {"world_size": 1}
    args = transformers.TrainingArguments(
        **parts["TrainingArguments"],
        output_dir=str(tmp_path),
        report_to=[],
        save_strategy="no",
        logging_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
    )
    trainer = transformers.Trainer(model=model, args=args, train_dataset=rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.train()
    assert trainer.state.global_step == s.total_steps
