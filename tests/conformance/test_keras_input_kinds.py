"""Keras 3 and the kind of input: ``data="finite" | "endless"`` against real ``model.fit``.

Each input kind runs on a one-weight model; a callback counts the batches of
every epoch. The oracle is Keras: minigd's counters, and the Schedule that
``from_framework("keras", ...)`` builds, must give what it ran, or
``FrameworkError`` must say why.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from minigd import Schedule
from minigd.frameworks import FrameworkError
from tests.conftest import require

pytestmark = pytest.mark.conformance


def _keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return require("keras")


def _fit(x: Any, y: Any, epochs: int, k: int = 1, **fit: Any) -> tuple[int, list[int]]:
    """Run Keras; ``(optimizer.iterations, batches run in each epoch)``."""
    keras = _keras()
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    accumulate = k if k > 1 else None
    opt = keras.optimizers.SGD(learning_rate=0.01, gradient_accumulation_steps=accumulate)
    model.compile(optimizer=opt, loss="mse")
    per_epoch: list[int] = []

    class Count(keras.callbacks.Callback):  # type: ignore[misc]
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            per_epoch.append(0)

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            per_epoch[-1] += 1

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Your input ran out of data"
        model.fit(x, y, epochs=epochs, verbose=0, callbacks=[Count()], **fit)
    return int(model.optimizer.iterations.numpy()), per_epoch


def _data(n: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    X = np.random.default_rng(n).normal(size=(n, 2)).astype("float32")
    return X, X.sum(axis=1, keepdims=True)


def _finite_input(kind: str, n: int, b: int) -> tuple[Any, Any, dict[str, Any]]:
    X, y = _data(n)
    if kind == "arrays":
        return X, y, {"batch_size": b, "shuffle": False}
    if kind == "PyDataset":
        keras = _keras()

        class Rows(keras.utils.PyDataset):  # type: ignore[misc]
            def __len__(self) -> int:
                return -(-n // b)

            def __getitem__(self, i: int) -> tuple[Any, Any]:
                return X[i * b : (i + 1) * b], y[i * b : (i + 1) * b]

        return Rows(), None, {"shuffle": False}
    torch = require("torch")
    data = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    return torch.utils.data.DataLoader(data, batch_size=b), None, {}


# (n, b, epochs, steps_per_epoch, accumulate): 20 rows of 5 are 4 batches a pass
FINITE = [
    (20, 5, 3, 10, 1),  # steps_per_epoch above a pass: 12 updates, not 30
    (100, 5, 4, 7, 1),  # 7, 7, 6, 7: refused
    (100, 5, 2, 7, 1),  # 7, 7: no pass end reached
    (100, 3, 4, 17, 1),  # 17 divides 34
    (23, 4, 3, None, 3),  # accumulation carried over epochs
    (23, 4, 3, 9, 2),  # every epoch is one pass; groups carry over
]


@pytest.mark.parametrize("kind", ["arrays", "PyDataset", "DataLoader"])
@pytest.mark.parametrize(("n", "b", "e", "cap", "k"), FINITE)
def test_finite_inputs(kind: str, n: int, b: int, e: int, cap: int | None, k: int) -> None:
    x, y, fit = _finite_input(kind, n, b)
    iterations, per_epoch = _fit(x, y, e, k, steps_per_epoch=cap, **fit)
    arguments = {"batch_size": b, "epochs": e, "steps_per_epoch": cap}
    if k > 1:
        arguments["gradient_accumulation_steps"] = k
    if len(set(per_epoch)) > 1:  # Keras's epochs differ in size: no Schedule runs that
        with pytest.raises(FrameworkError) as info:
            Schedule.from_framework("keras", n, **arguments)
        # in Keras's terms: what Keras ran with its own arguments, and what minigd builds
        short = [steps for steps in per_epoch if steps != cap]
        assert str(info.value).startswith(
            "no Schedule states what keras runs with these arguments: on finite data"
        )
        assert (
            f"so it stops {len(short)} of the {e} epoch(s) after {min(short)} updates, fewer "
            f"than steps_per_epoch={cap}; a Schedule runs steps_per_epoch updates in every "
            f"epoch, so minigd builds none for these arguments"
        ) in str(info.value)
        assert "cannot run this schedule" not in str(info.value)
        return
    s = Schedule.from_framework("keras", n, **arguments)
    assert s.total_steps == iterations
    if k == 1:
        assert [s.counting.steps_in_epoch(i) for i in range(e)] == per_epoch
    assert s.micro_batches + s.micro_batches_unapplied == sum(per_epoch)
    c = s.counters("keras")
    assert c["model.optimizer.iterations"] == iterations
    assert c["len(history.history['loss'])"] == len(per_epoch)
    if cap is not None and k == 1:  # the capped Schedule's counters are Keras's too
        assert (
            Schedule(n, b, e, steps_per_epoch=cap).counters("keras")["model.optimizer.iterations"]
            == iterations
        )


def _endless(n: int, b: int) -> Iterator[tuple[Any, Any]]:
    X, y = _data(n)
    while True:
        for i in range(0, n, b):
            yield X[i : i + b], y[i : i + b]


@pytest.mark.parametrize(("n", "b", "e", "cap"), [(100, 5, 4, 7), (20, 5, 3, 10), (23, 4, 2, 6)])
def test_endless_generator_runs_every_step(n: int, b: int, e: int, cap: int) -> None:
    iterations, per_epoch = _fit(_endless(n, b), None, e, steps_per_epoch=cap)
    assert per_epoch == [cap] * e
    s = Schedule.from_framework(
        "keras", n, data="endless", batch_size=b, epochs=e, steps_per_epoch=cap
    )
    assert s.total_steps == iterations
    assert s.counters("keras", data="endless")["model.optimizer.iterations"] == iterations
    # and the translation back runs the same
    args = s.to("keras", data="endless")["arguments"]
    assert args["fit"] == {"epochs": e, "steps_per_epoch": cap}
    assert _fit(_endless(n, args["input"]["batch_size"]), None, **args["fit"])[0] == iterations


def test_one_shot_generator_is_refused_with_keras_reason() -> None:
    def one_pass() -> Iterator[tuple[Any, Any]]:
        yield from (batch for _, batch in zip(range(5), _endless(20, 4), strict=False))

    _, per_epoch = _fit(one_pass(), None, 3)
    assert per_epoch == [5, 2, 2]  # the reason: the 2 batches Keras peeked at, replayed
    with pytest.raises(FrameworkError, match="first 2 batches") as info:
        Schedule(20, 4, 3).counters("keras", data="one-shot")
    assert info.value.code == "keras_one_shot"
    with pytest.raises(FrameworkError, match="one-shot generator"):
        Schedule.from_framework("keras", 20, data="one-shot", batch_size=4, epochs=3)


def test_keras_rule_is_constant_time() -> None:
    call: Callable[[], Any] = lambda: Schedule.from_framework(  # noqa: E731
        "keras", 100, epochs=10**12, steps_per_epoch=3
    )
    with pytest.raises(FrameworkError, match="steps_per_epoch=3"):
        call()  # returns at once (it used to loop once per epoch)
    # 4 batches a pass: epochs of 3 and 1 alternate
    s = Schedule(100, 32, 10**12, steps_per_epoch=3)
    assert s.counters("keras")["model.optimizer.iterations"] == 2 * 10**12


@pytest.mark.parametrize(("n", "b", "e", "k"), [(6, 3, 4, 5), (10, 4, 5, 7)])
def test_every_epoch_is_recorded_as_keras_records_it(n: int, b: int, e: int, k: int) -> None:
    # groups of k micro-batches longer than an epoch: some epochs complete no update
    from minigd import fit
    from minigd.models import LinearRegression
    from minigd.optim import SGD

    X, y = _data(n)
    iterations, per_epoch = _fit(X, y, e, k, batch_size=b, shuffle=False)
    s = Schedule.from_framework(
        "keras", n, batch_size=b, epochs=e, shuffle=False, gradient_accumulation_steps=k
    )
    assert s.total_steps == iterations
    seen: list[int] = []

    class Epochs:
        def on_epoch_end(self, info: Any) -> None:
            seen.append(info.epoch)

    result = fit(LinearRegression(2), X, y[:, 0], s, SGD(0.01), callbacks=[Epochs()])
    assert len(result.history.epochs["epoch"]) == len(per_epoch) == e
    assert seen == list(range(e))
