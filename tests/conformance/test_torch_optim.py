"""minigd.optim against torch.optim, side by side in float64.

Every option combination runs 60 updates on a gradient that depends on the
parameters (so weight decay and momentum interact); parameters, the update
count and every state slot must agree to rtol=1e-10.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from minigd import lr as minigd_lr
from minigd import optim
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")

STEPS = 60


def grid(**options: list[Any]) -> list[dict[str, Any]]:
    keys = list(options)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*options.values())]


def sgd_cases() -> list[dict[str, Any]]:
    cases = grid(
        lr=[0.05],
        momentum=[0.0, 0.9],
        dampening=[0.0, 0.3],
        weight_decay=[0.0, 0.1],
        nesterov=[False, True],
        maximize=[False, True],
    )
    return [c for c in cases if not (c["nesterov"] and (c["momentum"] == 0 or c["dampening"]))]


CASES: list[tuple[str, dict[str, Any]]] = (
    [("SGD", c) for c in sgd_cases()]
    + [
        ("Adagrad", c)
        for c in grid(
            lr=[0.1],
            lr_decay=[0.0, 0.05],
            weight_decay=[0.0, 0.1],
            initial_accumulator_value=[0.0, 0.5],
            eps=[1e-10],
            maximize=[False, True],
        )
    ]
    + [
        ("RMSprop", c)
        for c in grid(
            lr=[0.01],
            alpha=[0.99, 0.9],
            eps=[1e-8],
            weight_decay=[0.0, 0.1],
            momentum=[0.0, 0.5],
            centered=[False, True],
            maximize=[False, True],
        )
    ]
    + [
        (name, c)
        for name in ("Adam", "AdamW")
        for c in grid(
            lr=[0.02],
            betas=[(0.9, 0.999), (0.5, 0.9)],
            eps=[1e-8],
            weight_decay=[0.0, 0.1],
            amsgrad=[False, True],
            maximize=[False, True],
        )
    ]
)


def gradient(theta: np.ndarray, k: int) -> np.ndarray:
    # depends on theta and changes sign, so every slot matters
    return np.sin(theta) * 3.0 + np.cos(0.7 * k) + 0.5 * theta


def case_id(case: tuple[str, dict[str, Any]]) -> str:
    return case[0] + "-" + "-".join(f"{k}={v}" for k, v in case[1].items() if k != "lr")


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_torch(case: tuple[str, dict[str, Any]]) -> None:
    name, options = case
    rng = np.random.default_rng(0)
    start = {"weight": rng.normal(size=(3, 2)), "bias": rng.normal(size=2)}
    tensors = {
        k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in start.items()
    }
    theirs = getattr(torch.optim, name)(list(tensors.values()), **options)
    ours = getattr(optim, name)(**options)
    params = {k: v.copy() for k, v in start.items()}
    state = ours.init(params)
    for k in range(STEPS):
        grads = {n: gradient(p, k) for n, p in params.items()}
        for t in tensors.values():
            t.grad = torch.tensor(gradient(t.detach().numpy(), k), dtype=torch.float64)
        theirs.step()
        params, state = ours.update(params, grads, state)
        for n, t in tensors.items():
            np.testing.assert_allclose(params[n], t.detach().numpy(), rtol=1e-10, atol=1e-13)
    for n, t in tensors.items():
        torch_state = theirs.state[t]
        assert set(state.slots[n]) == {s for s in torch_state if s != "step"}
        for slot, value in state.slots[n].items():
            np.testing.assert_allclose(value, torch_state[slot].numpy(), rtol=1e-10, atol=1e-13)
        if "step" in torch_state:
            assert state.step == int(torch_state["step"]) == STEPS


def test_case_count() -> None:
    assert len(CASES) >= 100


def test_schedule_matches_lambda_lr() -> None:
    # an update-counting schedule equals LambdaLR stepped after every update
    sched = minigd_lr.Cosine(0.1, total_steps=40, warmup=5)
    t = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    ours = optim.SGD(lr=sched, momentum=0.9)
    theirs = torch.optim.SGD([t], lr=sched(0), momentum=0.9)
    lam = torch.optim.lr_scheduler.LambdaLR(theirs, lambda k: sched(k) / sched(0))
    params = {"w": np.array([1.0, -2.0])}
    state = ours.init(params)
    for k in range(40):
        t.grad = torch.tensor(gradient(t.detach().numpy(), k), dtype=torch.float64)
        theirs.step()
        lam.step()
        params, state = ours.update(params, {"w": gradient(params["w"], k)}, state)
    np.testing.assert_allclose(params["w"], t.detach().numpy(), rtol=1e-10)


ERRORS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    (
        "SGD",
        {"lr": -1},
        ValueError,
        r"'lr' parameter of SGD must be a float in the range "
        r"\[0.0, inf\). Got -1 instead.",
    ),
    ("SGD", {"momentum": -0.1}, ValueError, "'momentum'"),
    ("SGD", {"weight_decay": -1e-3}, ValueError, "'weight_decay'"),
    ("SGD", {"nesterov": True}, ValueError, "requires momentum > 0 and dampening = 0"),
    ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, ValueError, "dampening = 0"),
    ("SGD", {"lr": "0.1"}, TypeError, "'lr'"),
    ("SGD", {"nesterov": 1}, TypeError, "'nesterov' .* bool"),
    ("Adam", {"betas": (1.0, 0.999)}, ValueError, r"'betas\[0\]' .* \[0.0, 1.0\)"),
    ("Adam", {"betas": (0.9, -0.1)}, ValueError, r"'betas\[1\]'"),
    ("Adam", {"betas": 0.9}, TypeError, "'betas' .* pair"),
    ("Adam", {"eps": -1e-8}, ValueError, "'eps'"),
    ("Adam", {"lr": float("nan")}, ValueError, "'lr'"),
    ("AdamW", {"weight_decay": -0.01}, ValueError, "'weight_decay'"),
    ("Adagrad", {"lr_decay": -1}, ValueError, "'lr_decay'"),
    ("Adagrad", {"initial_accumulator_value": -1}, ValueError, "'initial_accumulator_value'"),
    ("RMSprop", {"alpha": -0.5}, ValueError, "'alpha'"),
    ("RMSprop", {"momentum": -0.5}, ValueError, "'momentum'"),
]


@pytest.mark.parametrize(("name", "options", "error", "message"), ERRORS)
def test_errors_where_torch_errors(
    name: str, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        getattr(optim, name)(**options)
    if error is ValueError:  # torch refuses the same values
        with pytest.raises(ValueError):  # noqa: PT011 (torch's own messages)
            getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **options)
