"""The one validator: TypeError for a wrong type, ValueError for a wrong value, one shape."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import minigd
from minigd import lr, optim
from minigd._validation import (
    NONE,
    SEED,
    Interval,
    Items,
    Options,
    Rule,
    validate_params,
)
from minigd.models import MLP

SHAPE = re.compile(r"^The '[\w\[\]]+' parameter of [\w.]+ must .+\. Got .+ instead\.$", re.S)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: lr.Cosine(0.1, total_steps=10)(2.0), TypeError),  # a float count is a wrong type
        (lambda: lr.Constant(0.1)(np.float64(1.0)), TypeError),
        (lambda: lr.Constant(0.1)(-1), ValueError),
        (lambda: lr.StepDecay(0.1, step_size=1.5), TypeError),
        (lambda: lr.OneCycle(0.1, 10, three_phase=1), TypeError),
        (lambda: optim.SGD(lr=[0.1]), TypeError),
        (lambda: optim.SGD(lr=float("inf")), ValueError),
        (lambda: optim.Adam(betas=(0.9,)), TypeError),
        (lambda: optim.Adam(betas=(0.9, "0.999")), TypeError),
        (lambda: optim.RMSprop(centered="yes"), TypeError),
        (lambda: MLP(2, hidden=(4, 2.0)), TypeError),
        (lambda: MLP(2, activation=None), TypeError),
        (lambda: minigd.EarlyStopping(patience=-1), ValueError),
        (lambda: minigd.EarlyStopping(min_delta="0"), TypeError),
        (lambda: minigd.datasets.make_blobs(centers=0), ValueError),
        (lambda: minigd.datasets.make_regression(seed=1.0), TypeError),
    ],
)
def test_type_errors_and_value_errors_in_one_shape(make: Any, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        make()
    assert type(info.value) is error  # not a subclass standing for both
    assert SHAPE.match(str(info.value)), str(info.value)


def test_numpy_scalars_are_converted_and_shown_as_python_numbers() -> None:
    constraints = {"n": [Interval(int, 1, None)], "x": [Interval(float, 0.0, 1.0)]}
    out = validate_params("Demo", constraints, {"n": np.int32(3), "x": 1})
    assert out == {"n": 3, "x": 1.0}
    assert type(out["n"]) is int
    assert type(out["x"]) is float
    with pytest.raises(ValueError, match=r"\[1, inf\)\. Got 0 instead\.$"):
        validate_params("Demo", constraints, {"n": np.int64(0)})


def test_a_value_error_names_only_what_its_type_allows() -> None:
    constraints = {"n": [Interval(int, 1, None), Options(("all",)), NONE]}
    with pytest.raises(ValueError, match=r"must be an int in the range \[1, inf\)\. Got 0"):
        validate_params("Demo", constraints, {"n": 0})
    with pytest.raises(ValueError, match=r"must be a str among \{'all'\}\. Got 'some'"):
        validate_params("Demo", constraints, {"n": "some"})
    with pytest.raises(
        TypeError, match=r"must be an int in the range \[1, inf\), a str among \{'all'\} or None"
    ):
        validate_params("Demo", constraints, {"n": 1.5})


def test_huge_ints_are_values_not_crashes() -> None:
    assert minigd.Schedule(10**30, 10**29, 1).total_steps == 10
    with pytest.raises(
        ValueError, match=r"'lr' parameter of SGD .* Got 1000000000.*\.\.\. instead"
    ):
        optim.SGD(lr=10**400)


def test_seed_bool_and_items() -> None:
    assert validate_params("Demo", {"s": [SEED]}, {"s": None}) == {"s": None}
    with pytest.raises(TypeError, match=r"non-negative int or None\. Got True instead"):
        validate_params("Demo", {"s": [SEED]}, {"s": True})
    pair = [Items(Interval(float, 0.0, 1.0, "left"), "a pair of floats", 2)]
    assert validate_params("Demo", {"p": pair}, {"p": [0, 0.5]}) == {"p": (0.0, 0.5)}
    with pytest.raises(ValueError, match=r"'p\[1\]' parameter of Demo"):
        validate_params("Demo", {"p": pair}, {"p": (0.5, 1.0)})


def test_rules_are_checked_after_every_argument_passed() -> None:
    rule = Rule("low", "<=", lambda a: a["high"], "be <= high = {limit}")
    constraints = {"low": [Interval(int, 0, None)], "high": [Interval(int, 0, None)]}
    with pytest.raises(TypeError, match="'high'"):  # the type first, not the rule
        validate_params("Demo", constraints, {"low": 5, "high": "3"}, [rule])
    with pytest.raises(ValueError, match=r"'low' parameter of Demo must be <= high = 3\. Got 5"):
        validate_params("Demo", constraints, {"low": 5, "high": 3}, [rule])


def test_inputs_are_not_modified() -> None:
    betas = [0.9, 0.99]
    hidden = [4, 3]
    optim.Adam(betas=betas)  # type: ignore[arg-type]
    MLP(2, hidden=hidden)
    assert betas == [0.9, 0.99] and hidden == [4, 3]  # noqa: PT018


def _softmax_loss_with(y: Any) -> Any:
    from minigd.models import SoftmaxRegression

    model = SoftmaxRegression(2, 3)
    return model.loss(model.init_params(0), np.zeros((len(y), 2)), y)


@pytest.mark.parametrize(
    ("make", "shown"),
    [
        (lambda: _softmax_loss_with(np.array([0.0, 2.5])), "values such as 2.5 instead"),
        (lambda: _softmax_loss_with(np.array([0, 3])), "values from 0 to 3 instead"),
        (lambda: minigd.Schedule(100, np.float64(2.5), 3), "Got 2.5 of type float64 instead"),
        (lambda: minigd.Schedule(100, np.int64(0), 3), "Got 0 instead"),
        (lambda: optim.SGD(lr=np.float64(-1.5)), "Got -1.5 instead"),
        (lambda: optim.Adam(betas=(np.float64(0.9), np.float32(1.5))), "Got 1.5 instead"),
        (lambda: MLP(2, hidden=[np.int64(4), np.int64(0)]), "Got 0 instead"),
        (lambda: minigd.Schedule(100, 5, 3, sampling=np.str_("random")), "Got 'random' instead"),
        (lambda: lr.Constant(0.1)(np.float64(1.0)), "Got 1.0 of type float64 instead"),
        (
            lambda: minigd.frameworks.from_framework(np.str_("keras"), 100, batchsize=5),
            "from_framework('keras') got arguments it does not know: ['batchsize']",
        ),
    ],
)
def test_messages_quote_plain_values_never_numpy_reprs(make: Any, shown: str) -> None:
    # numpy 2's repr of a scalar is np.float64(2.5): a message shows the 2.5 it holds
    with pytest.raises((TypeError, ValueError)) as info:
        make()
    assert shown in str(info.value)
    assert "np." not in str(info.value)


def test_shown_cuts_a_long_value_as_its_whole_repr_would_be_cut() -> None:
    from minigd._validation import describe_value, shown

    rows = list(range(10**6))
    assert shown(rows) == repr(rows)[:57] + "..."
    assert shown((np.int64(1), [np.float32(0.5)])) == "(1, [0.5])"
    assert shown({np.str_("w"): np.bool_(True)}) == "{'w': True}"
    names = [f"layer{i}.weight" for i in range(9)]
    assert shown(names, cut=False) == repr(names)  # names the reader must see whole
    assert describe_value(np.int8(3)) == "3 of type int8"
