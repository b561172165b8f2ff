"""The one place that checks arguments and builds "The 'x' parameter of Y must be ..." messages.

The message shape follows scikit-learn's parameter validation, so a student who
has seen one knows how to read the other::

    The 'batch_size' parameter of Schedule must be an int in the range [1, inf). Got 0 instead.

A class declares what each argument may be as data, scikit-learn's
``_parameter_constraints``: a list of constraints per argument, any one of
which may hold. Rules between arguments are a short list of :class:`Rule`::

    class Cosine(LRSchedule):
        _parameter_constraints = {
            "lr": [Interval(float, 0.0, None)],
            "total_steps": [Interval(int, 1, None)],
            "warmup": [Interval(int, 0, None)],
            "unit": [Options(UNITS)],
        }
        _parameter_rules = [
            Rule("warmup", "<=", lambda a: a["total_steps"] - 1,
                 "be an int in the range [0, {limit}]"),
        ]

:func:`validate_params` checks arguments against both, before any work starts,
and returns them converted (numpy integers to ``int``, a float argument to
``float``). A value whose *type* no constraint accepts raises
:class:`TypeError`; a value of an accepted type but not allowed raises
:class:`ValueError`. Nothing is clipped. Arrays have their own checks below
(:func:`check_X`, :func:`check_params`, ...), with the same message shape.
"""

from __future__ import annotations

import math
import numbers
import operator
import os
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BOOL",
    "FLOAT_MAX",
    "INT64_MAX",
    "MEMORY_LIMIT",
    "NONE",
    "PATH",
    "ROWS_LIMIT",
    "SEED",
    "InstanceOf",
    "Interval",
    "Items",
    "Options",
    "Rule",
    "Satisfies",
    "check_X",
    "check_bool",
    "check_file_path",
    "check_float",
    "check_int",
    "check_int64",
    "check_labels",
    "check_memory",
    "check_option",
    "check_params",
    "check_real_targets",
    "check_rows",
    "check_seed",
    "check_state",
    "count_nonfinite",
    "describe_value",
    "is_int",
    "magnitude",
    "memory",
    "message",
    "ratio",
    "shown",
    "validate_init",
    "validate_params",
    "warn_renamed",
]

Array = NDArray[np.float64]


def message(name: str, owner: str, must: str, got: str) -> str:
    """The one message shape: what ``name`` of ``owner`` must be, and what it got.

    Examples
    --------
    >>> message("batch_size", "Schedule", "be an int in the range [1, inf)", "0")
    "The 'batch_size' parameter of Schedule must be an int in the range [1, inf). Got 0 instead."
    """
    return f"The {name!r} parameter of {owner} must {must}. Got {got} instead."


def shown(value: Any, cut: bool = True) -> str:
    """A value as a message quotes it: its repr, numpy scalars as the plain values they hold.

    ``np.float64(2.5)`` is shown ``2.5``, also inside a list, tuple or dict;
    more than 60 characters are cut to 57 and ``...`` unless ``cut=False``
    (a list of names that the reader must see whole). Every message that
    quotes a value goes through here.

    Examples
    --------
    >>> shown(np.float64(2.5)), shown([np.int64(1), "a"]), shown({np.str_("w"): 1})
    ('2.5', "[1, 'a']", "{'w': 1}")
    >>> shown(list(range(100)))
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16...'
    """
    text = repr(_plain(value, 30 if cut else None))
    return text if len(text) <= 60 or not cut else text[:57] + "..."


def _plain(value: Any, items: int | None) -> Any:
    """``value`` with numpy scalars as Python ones; of a list, the first ``items`` only.

    Each item of a list takes at least 3 characters (``1, ``), so the first 30
    already fill the 60 that :func:`shown` keeps: a list of 10**8 rows costs
    no more than one of 30 (``items=None``: every item).
    """
    if isinstance(value, np.generic):
        return value.item()
    if type(value) in (list, tuple):
        return type(value)(_plain(v, items) for v in value[:items])
    if type(value) is dict:
        return {_plain(k, items): _plain(v, items) for k, v in list(value.items())[:items]}
    return value


def describe_value(value: Any) -> str:
    """Render a value of a wrong type for a message: :func:`shown`, plus its type when that helps.

    Examples
    --------
    >>> describe_value(2.5), describe_value(np.float64(2.5)), describe_value("2")
    ('2.5', '2.5 of type float64', "'2'")
    """
    text = shown(value)
    if isinstance(value, (bool, np.bool_, str)) or value is None:
        return text
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return text
    return f"{text} of type {type(value).__name__}"


def is_int(value: Any) -> bool:
    """True for Python and numpy integers; False for ``bool``, floats and strings."""
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


# --- constraints: what one argument may be ---------------------------------------------
# Each says whether a value has its type (is_type), whether that value is allowed
# (allows), how to convert it (convert), and what it is, for a message (str).


class Interval(NamedTuple):
    """An int, or a finite float, between ``low`` and ``high`` (``None``: no bound).

    ``closed`` says which ends belong to it, as in scikit-learn's ``Interval``.

    Examples
    --------
    >>> str(Interval(int, 1, None)), str(Interval(float, 0.0, 1.0, closed="left"))
    ('an int in the range [1, inf)', 'a float in the range [0.0, 1.0)')
    """

    kind: type  # int or float; a float argument accepts ints too (lr=1 is a rate of 1.0)
    low: float | None
    high: float | None
    closed: str = "both"  # "both", "left", "right" or "neither"

    def is_type(self, value: Any) -> bool:
        if self.kind is int:
            return is_int(value)
        real = isinstance(value, (numbers.Real, np.floating))
        return is_int(value) or (real and not isinstance(value, (bool, np.bool_)))

    def allows(self, value: Any) -> bool:
        try:
            x = self.kind(value)  # float(10**400) overflows: not a finite float
        except OverflowError:
            return False
        left, right = self.closed in ("both", "left"), self.closed in ("both", "right")
        return (
            (self.kind is int or math.isfinite(x))
            and (self.low is None or (x >= self.low if left else x > self.low))
            and (self.high is None or (x <= self.high if right else x < self.high))
        )

    def convert(self, value: Any, name: str, owner: str) -> Any:
        return self.kind(value)

    def __str__(self) -> str:
        show = str if self.kind is int else lambda bound: repr(float(bound))
        left = "[" if self.low is not None and self.closed in ("both", "left") else "("
        right = "]" if self.high is not None and self.closed in ("both", "right") else ")"
        low = "-inf" if self.low is None else show(self.low)
        high = "inf" if self.high is None else show(self.high)
        article = "an int" if self.kind is int else "a float"
        if self.kind is int and self.low is None and self.high is None:
            return article  # any int: "in the range (-inf, inf)" says nothing more
        return f"{article} in the range {left}{low}, {high}{right}"


class Options(NamedTuple):
    """One of a few strings (scikit-learn's ``StrOptions``).

    Examples
    --------
    >>> str(Options(("step", "epoch")))
    "a str among {'step', 'epoch'}"
    """

    values: tuple[str, ...]

    def is_type(self, value: Any) -> bool:
        return isinstance(value, str)

    def allows(self, value: Any) -> bool:
        return value in self.values

    def convert(self, value: Any, name: str, owner: str) -> Any:
        return str(value)  # numpy's str_ too: its repr would show in messages

    def __str__(self) -> str:
        return "a str among {" + ", ".join(repr(v) for v in self.values) + "}"


class InstanceOf(NamedTuple):
    """Any instance of ``kind``; ``text`` names it in a message.

    Examples
    --------
    >>> InstanceOf(dict, "a dict").is_type({}), str(NONE)
    (True, 'None')
    """

    kind: type | tuple[type, ...]
    text: str

    def is_type(self, value: Any) -> bool:
        return isinstance(value, self.kind)

    def allows(self, value: Any) -> bool:
        return True

    def convert(self, value: Any, name: str, owner: str) -> Any:
        return bool(value) if self.kind == (bool, np.bool_) else value

    def __str__(self) -> str:
        return self.text


class Satisfies(NamedTuple):
    """Any value for which ``test(value)`` is true; ``text`` names such values in messages.

    Examples
    --------
    >>> pair = Satisfies(lambda v: isinstance(v, tuple) and len(v) == 2, "a pair")
    >>> pair.is_type((1, 2)), pair.is_type([1])
    (True, False)
    """

    test: Callable[[Any], bool]
    text: str

    def is_type(self, value: Any) -> bool:
        return self.test(value)

    def allows(self, value: Any) -> bool:
        return True

    def convert(self, value: Any, name: str, owner: str) -> Any:
        return value

    def __str__(self) -> str:
        return self.text


BOOL = InstanceOf((bool, np.bool_), "an instance of bool")
NONE = InstanceOf(type(None), "None")
PATH = InstanceOf((str, os.PathLike), "a path (str or os.PathLike)")


class _Seed(NamedTuple):
    """A seed for ``numpy.random.default_rng``: an int >= 0, or None (fresh entropy)."""

    def is_type(self, value: Any) -> bool:
        return value is None or is_int(value)

    def allows(self, value: Any) -> bool:
        return value is None or value >= 0

    def convert(self, value: Any, name: str, owner: str) -> Any:
        return None if value is None else int(value)

    def __str__(self) -> str:
        return "a non-negative int or None"


SEED = _Seed()


class Items(NamedTuple):
    """A list or tuple whose items each meet ``item``; ``length`` fixes how many.

    Messages name the items of a fixed-length tuple by position (``betas[0]``),
    those of a sequence of any length by the sequence (``hidden``).

    Examples
    --------
    >>> validate_params("MLP", {"hidden": [Items(Interval(int, 1, None), "widths")]},
    ...                 {"hidden": [8, 0]})
    Traceback (most recent call last):
    ValueError: The 'hidden' parameter of MLP must be an int in the range [1, inf). Got 0 instead.
    """

    item: Any
    text: str
    length: int | None = None

    def is_type(self, value: Any) -> bool:
        return (
            isinstance(value, Sequence)
            and not isinstance(value, (str, bytes))
            and (self.length is None or len(value) == self.length)
        )

    def allows(self, value: Any) -> bool:
        return True

    def convert(self, value: Any, name: str, owner: str) -> Any:
        return tuple(
            _check(v, name if self.length is None else f"{name}[{i}]", owner, [self.item])
            for i, v in enumerate(value)
        )

    def __str__(self) -> str:
        return self.text


def _always(args: Mapping[str, Any]) -> bool:
    return True


class Rule(NamedTuple):
    """A rule between arguments: ``name`` must be ``op`` ``limit(args)`` whenever ``when(args)``.

    ``must`` completes "The 'name' parameter of Y must ...": ``{limit}`` and
    ``{argument}`` fields are filled in. With ``of``, the rule compares that
    attribute of the argument (``schedule.n_samples``) and the message shows it.
    With ``op="in"``, ``limit(args)`` is a constraint (an :class:`Interval`
    whose bounds depend on other arguments) and ``{limit}`` reads as it does.

    Examples
    --------
    >>> rule = Rule("n_outputs", "==", lambda a: 1, "be 1 with loss='binary_cross_entropy'",
    ...             when=lambda a: a["loss"] == "binary_cross_entropy")
    >>> validate_params("MLP", {}, {"n_outputs": 2, "loss": "binary_cross_entropy"}, [rule])
    Traceback (most recent call last):
    ValueError: The 'n_outputs' parameter of MLP must be 1 with loss='binary_...'. Got 2 instead.
    >>> rank = Rule("rank", "in", lambda a: Interval(int, 0, a["world_size"] - 1), "be {limit}")
    >>> validate_params("Demo", {}, {"rank": -1, "world_size": 2}, [rank])
    Traceback (most recent call last):
    ValueError: The 'rank' parameter of Demo must be an int in the range [0, 1]. Got -1 instead.
    """

    name: str
    op: str  # "<=", ">=", "==", "!=" or "in"
    limit: Callable[[Mapping[str, Any]], Any]
    must: str
    when: Callable[[Mapping[str, Any]], bool] = _always
    of: str | None = None


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "in": lambda value, constraint: bool(constraint.allows(value)),
}


def validate_params(
    owner: str,
    constraints: Mapping[str, Sequence[Any]],
    args: Mapping[str, Any],
    rules: Sequence[Rule] = (),
) -> dict[str, Any]:
    """Check ``args`` against their constraints, then the rules; return them converted.

    Parameters
    ----------
    owner : str
        The class, function or method the arguments were given to.
    constraints : dict of str to list
        Per argument, the constraints of which one must hold. An argument
        without constraints passes unchanged.
    args : dict of str to object
        The arguments, by name.
    rules : sequence of Rule
        Rules between arguments, checked in order after every argument passed.

    Returns
    -------
    dict of str to object

    Raises
    ------
    TypeError
        No constraint of the argument accepts the value's type.
    ValueError
        The value has an accepted type but is not allowed, or a rule is broken.

    Examples
    --------
    >>> validate_params("Demo", {"n": [Interval(int, 1, None)]}, {"n": np.int64(3)})
    {'n': 3}
    >>> validate_params("Demo", {"n": [Interval(int, 1, None), NONE]}, {"n": 2.5})
    Traceback (most recent call last):
    TypeError: The 'n' parameter of Demo must be an int in the range [1, inf) or None. Got 2.5 ...
    """
    out = {name: _check(value, name, owner, constraints.get(name)) for name, value in args.items()}
    for rule in rules:
        if rule.when(out):
            value = out[rule.name] if rule.of is None else getattr(out[rule.name], rule.of)
            limit = rule.limit(out)
            if not _OPS[rule.op](value, limit):
                got = shown(value) if rule.of is None else f"{rule.of}={shown(value)}"
                must = rule.must.format(limit=limit, **out)
                raise ValueError(message(rule.name, owner, must, got))
    return out


def _check(value: Any, name: str, owner: str, constraints: Sequence[Any] | None) -> Any:
    """``value`` converted by the first constraint that allows it; else the error."""
    if constraints is None:
        return value
    right_type = [c for c in constraints if c.is_type(value)]
    for constraint in right_type:
        if constraint.allows(value):
            return constraint.convert(value, name, owner)
    if not right_type:
        raise TypeError(message(name, owner, "be " + _either(constraints), describe_value(value)))
    raise ValueError(message(name, owner, "be " + _either(right_type), shown(value)))


def _either(constraints: Sequence[Any]) -> str:
    """scikit-learn's way of listing what is allowed: "A, B or C"."""
    texts = [str(c) for c in constraints]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " or " + texts[-1]


def validate_init(obj: Any, **args: Any) -> None:
    """Check a constructor's arguments, then set each as an attribute of ``obj``.

    The constraints and rules are those ``obj``'s class declares in
    ``_parameter_constraints`` and ``_parameter_rules``; messages name the class.

    Examples
    --------
    >>> class Demo:
    ...     _parameter_constraints = {"n": [Interval(int, 1, None)]}
    ...     def __init__(self, n):
    ...         validate_init(self, n=n)
    >>> Demo(np.int64(3)).n
    3
    """
    cls = type(obj)
    rules = getattr(cls, "_parameter_rules", ())
    vars(obj).update(validate_params(cls.__name__, cls._parameter_constraints, args, rules))


class SetOnce:
    """Hyperparameters that are set once, when the object is made.

    A model, an optimizer and a learning-rate schedule hold hyperparameters
    only, checked by their constructor. Assigning one later would skip those
    checks and could disagree with what was already built from it (a model's
    parameter shapes, an optimizer state's slots, the step ``fit`` chose), so
    it raises ``AttributeError``: make a new object instead, as optax's
    transformations and scikit-learn's ``clone`` do.

    Examples
    --------
    >>> from minigd.optim import SGD
    >>> opt = SGD(lr=0.1)
    >>> opt.momentum = 0.9
    Traceback (most recent call last):
    ...
    AttributeError: SGD's 'momentum' is fixed when it is made (it is 0.0; got 0.9): make a new SGD(..., momentum=0.9) instead.
    """  # noqa: E501

    __slots__ = ()
    _parameter_constraints: ClassVar[dict[str, list[Any]]]

    def __setattr__(self, name: str, value: Any) -> None:
        if name in vars(self) and name in type(self)._parameter_constraints:
            cls = type(self).__name__
            raise AttributeError(
                f"{cls}'s {name!r} is fixed when it is made (it is {shown(vars(self)[name])}; "
                f"got {shown(value)}): make a new {cls}(..., {name}={shown(value)}) instead."
            )
        super().__setattr__(name, value)


def warn_renamed(old: str, new: str) -> None:
    """Warn that ``old`` is now called ``new`` (the old name works for one more minor release).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_renamed("Cosine(total=)", "Cosine(total_steps=)")
    >>> print(caught[0].message)
    Cosine(total=) is renamed Cosine(total_steps=); the old name goes in the next minor release.
    """
    text = f"{old} is renamed {new}; the old name goes in the next minor release."
    warnings.warn(text, DeprecationWarning, stacklevel=3)


# --- one argument at a time (for methods that check a single argument) ----------------


def check_int(
    value: Any, name: str, owner: str, *, min_value: int | None = None, max_value: int | None = None
) -> int:
    """Return ``value`` as a Python ``int`` after checking its type and range."""
    result: int = _check(value, name, owner, [Interval(int, min_value, max_value)])
    return result


def check_float(
    value: Any,
    name: str,
    owner: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite Python ``float`` in the given interval (ints accepted)."""
    closed = {(False, False): "both", (False, True): "left", (True, False): "right"}
    interval = Interval(float, low, high, closed.get((low_open, high_open), "neither"))
    result: float = _check(value, name, owner, [interval])
    return result


def check_bool(value: Any, name: str, owner: str) -> bool:
    """Return ``value`` as a Python ``bool``; only ``True``/``False`` are accepted."""
    result: bool = _check(value, name, owner, [BOOL])
    return result


def check_option(value: Any, name: str, owner: str, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of the ``allowed`` strings."""
    result: str = _check(value, name, owner, [Options(tuple(allowed))])
    return result


def check_seed(value: Any, owner: str, name: str = "seed") -> int | None:
    """Return a non-negative int seed, or ``None``."""
    result: int | None = _check(value, name, owner, [SEED])
    return result


# --- arrays --------------------------------------------------------------------------


def _as_array(value: Any, name: str, owner: str) -> NDArray[Any]:
    """``numpy.asarray(value)``, or a ValueError naming the argument (ragged lists)."""
    try:
        return np.asarray(value)
    except (ValueError, TypeError):  # numpy's words name its internals: say what is wrong
        got = f"rows of unequal length: {describe_value(value)}"
        raise ValueError(message(name, owner, "be an array (rows of equal length)", got)) from None


def _numeric(arr: NDArray[Any]) -> bool:
    # ints and floats: not bool, complex, str, object, nor timedelta64 (which numpy
    # files under the integers) and datetime64
    return arr.dtype.kind in "iuf"


def count_nonfinite(arr: Array, block_bytes: int = 1 << 23) -> int:
    """NaN and infinite values in ``arr``, counted a block of rows at a time.

    A block at a time keeps the temporary boolean mask small: checking an
    800 MB matrix must not allocate another 100 MB.

    Examples
    --------
    >>> count_nonfinite(np.array([[1.0, np.nan], [np.inf, 0.0]]))
    2
    """
    # Fast path: a NaN or an infinity makes its column's sum non-finite, and a
    # matrix-vector product reads X at memory speed with no big temporary.
    if arr.ndim == 2 and arr.size:
        with np.errstate(over="ignore", invalid="ignore"):
            column_sums = np.ones(len(arr)) @ arr
        if np.isfinite(column_sums).all():
            return 0
    rows = max(1, block_bytes // max(arr[:1].nbytes, 1))
    bad = 0
    for start in range(0, len(arr), rows):
        block = arr[start : start + rows]
        bad += int(block.size - np.count_nonzero(np.isfinite(block)))
    return bad


def _check_finite(arr: Array, name: str, owner: str) -> Array:
    bad = count_nonfinite(arr)
    if bad:
        raise ValueError(message(name, owner, "be finite", f"{bad} NaN or infinite values"))
    return arr


def check_X(
    X: Any, n_features: int, owner: str, name: str = "X", *, check_finite: bool = True
) -> Array:
    """``X`` as a float64 2-D array with ``n_features`` finite columns (a copy if converted).

    ``check_finite=False`` skips the scan for NaN and infinite values, which
    reads all of ``X`` once (scipy's ``check_finite``).

    Examples
    --------
    >>> check_X([[1, 2]], 2, "demo").dtype
    dtype('float64')
    >>> check_X([[1.0, float("nan")]], 2, "demo", check_finite=False).shape
    (1, 2)
    """
    arr = _as_array(X, name, owner)
    if not _numeric(arr):
        got = f"an array of dtype {arr.dtype}"
        raise TypeError(message(name, owner, "be a numeric (int or float) array", got))
    if arr.ndim != 2 or arr.shape[1] != n_features:
        must = f"be a 2-D array of shape (n_rows, {n_features})"
        raise ValueError(message(name, owner, must, f"shape {arr.shape}"))
    if arr.shape[0] == 0:
        raise ValueError(message(name, owner, "have at least one row", "0"))
    arr = np.asarray(arr, dtype=np.float64)
    return _check_finite(arr, name, owner) if check_finite else arr


def check_real_targets(
    y: Any,
    n_rows: int,
    owner: str,
    name: str = "y",
    *,
    n_outputs: int = 1,
    unit_interval: bool = False,
) -> Array:
    """Finite real targets as float64: shape ``(n_rows,)``, or ``(n_rows, n_outputs)``.

    ``unit_interval=True`` also asks for values in [0, 1] (binary cross-entropy's labels).

    Examples
    --------
    >>> check_real_targets([1, 2], 2, "demo").tolist()
    [1.0, 2.0]
    """
    arr = _as_array(y, name, owner)
    if not _numeric(arr):
        got = f"an array of dtype {arr.dtype}"
        raise TypeError(message(name, owner, "be a numeric array", got))
    if arr.ndim == 0 or arr.shape[0] != n_rows:
        must = f"have one entry per row of X ({n_rows})"
        raise ValueError(message(name, owner, must, f"shape {arr.shape}"))
    expected = (n_rows,) if n_outputs == 1 else (n_rows, n_outputs)
    if arr.shape != expected:
        must = "be 1-D (one target per row)" if n_outputs == 1 else f"have shape {expected}"
        raise ValueError(message(name, owner, must, f"shape {arr.shape}"))
    arr = _check_finite(np.asarray(arr, dtype=np.float64), name, owner)
    if unit_interval and (arr.min() < 0.0 or arr.max() > 1.0):
        must = "hold labels in [0, 1] for binary cross-entropy"
        got = f"values from {shown(arr.min())} to {shown(arr.max())}"
        raise ValueError(message(name, owner, must, got))
    return arr


def check_labels(y: Any, n_rows: int, n_classes: int, owner: str, name: str = "y") -> Any:
    """Integer class labels in ``[0, n_classes)`` of length ``n_rows``.

    Examples
    --------
    >>> check_labels([2.0, 0.0], 2, 3, "demo").tolist()
    [2, 0]
    """
    arr = _as_array(y, name, owner)
    if arr.ndim != 1 or arr.shape[0] != n_rows:
        must = f"be a 1-D array of {n_rows} class labels"
        raise ValueError(message(name, owner, must, f"shape {arr.shape}"))
    labels = "hold integer class labels"
    if np.issubdtype(arr.dtype, np.floating):
        finite = np.isfinite(arr)
        if not finite.all():
            got = f"{arr.size - np.count_nonzero(finite)} NaN or infinite values"
            raise ValueError(message(name, owner, labels, got))
        if not (arr == np.round(arr)).all():
            got = f"non-integer values such as {shown(arr[arr != np.round(arr)][0])}"
            raise ValueError(message(name, owner, labels, got))
    elif arr.dtype.kind not in "iu":  # not bool, timedelta64, str, object
        raise TypeError(message(name, owner, labels, f"an array of dtype {arr.dtype}"))
    if arr.min() < 0 or arr.max() >= n_classes:
        got = f"values from {shown(arr.min())} to {shown(arr.max())}"
        raise ValueError(message(name, owner, f"hold labels in [0, {n_classes - 1}]", got))
    return arr.astype(np.intp)


def check_params(
    params: Any,
    shapes: Mapping[str, tuple[int, ...]],
    owner: str,
    name: str = "params",
    *,
    finite: bool = False,
) -> dict[str, Array]:
    """Check that ``params`` is a dict of float arrays with exactly these names and shapes.

    ``finite=True`` also refuses NaN and infinite values.

    Examples
    --------
    >>> sorted(check_params({"w": np.zeros(2)}, {"w": (2,)}, "demo"))
    ['w']
    """
    if not isinstance(params, Mapping):
        raise TypeError(message(name, owner, "be a dict of arrays", describe_value(params)))
    if set(params) != set(shapes):
        must = f"have the names {sorted(shapes)}"
        raise ValueError(message(name, owner, must, shown(sorted(params, key=str), cut=False)))
    out: dict[str, Array] = {}
    for key, shape in shapes.items():
        value = params[key]
        if not isinstance(value, np.ndarray) or not np.issubdtype(value.dtype, np.floating):
            got = f"{shown(key)} = {describe_value(value)}"
            raise TypeError(message(name, owner, "hold float arrays", got))
        if value.shape != shape:
            must = f"have {key!r} of shape {shape}"
            raise ValueError(message(name, owner, must, f"shape {value.shape}"))
        out[key] = value
    bad = sum(count_nonfinite(v) for v in out.values()) if finite else 0
    if bad:
        got = f"{bad} NaN or infinite values"
        raise ValueError(message(name, owner, "hold finite values", got))
    return out


def check_state(
    step: Any,
    slots: Any,
    shapes: Mapping[str, tuple[int, ...]],
    slot_names: Sequence[str],
    nonnegative: Sequence[str],
    owner: str,
) -> None:
    """Check an optimizer state: a step >= 0 and, per parameter, these slots, finite.

    Slots named in ``nonnegative`` (running sums of squares) must also be >= 0.

    Examples
    --------
    >>> check_state(1, {"w": {"sum": -np.ones(2)}}, {"w": (2,)}, ["sum"], ["sum"], "Adagrad")
    Traceback (most recent call last):
    ValueError: The 'state' parameter of Adagrad must hold finite slots >= 0. Got 'w'/'sum' instead.
    """
    if not is_int(step) or step < 0:
        raise ValueError(message("state", owner, "have a step that is an int >= 0", shown(step)))
    if not isinstance(slots, Mapping) or set(slots) != set(shapes):
        names = isinstance(slots, Mapping)
        got = shown(sorted(slots, key=str), cut=False) if names else shown(slots)
        must = f"be made for the names of params, {sorted(shapes)}"
        raise ValueError(message("state", owner, must, "a state made for the names " + got))
    for param, held in slots.items():
        if not isinstance(held, Mapping) or set(held) != set(slot_names):
            must = f"hold the slots {sorted(slot_names)} for {shown(param)}"
            raise ValueError(message("state", owner, must, describe_value(held)))
        where = f"state.slots[{shown(param)}]"
        checked = check_params(held, dict.fromkeys(held, shapes[param]), owner, name=where)
        for slot, value in checked.items():
            negative = slot in nonnegative and bool((value < 0).any())
            if negative or not np.isfinite(value).all():
                must = "hold finite slots" + (" >= 0" if slot in nonnegative else "")
                raise ValueError(message("state", owner, must, f"{shown(param)}/{shown(slot)}"))


def check_file_path(path: str | os.PathLike[str], name: str, owner: str) -> None:
    """Refuse a path that no save could write: no file name, a folder, a missing or locked folder.

    Examples
    --------
    >>> check_file_path("/", "checkpoint", "fit")
    Traceback (most recent call last):
    ValueError: The 'checkpoint' parameter of fit must be ... it names no file. Got '/' instead.
    """
    text = os.fspath(path)
    folder = os.path.dirname(text) or "."
    problem = None
    if not os.path.basename(text):
        problem = "it names no file"
    elif os.path.isdir(text):
        problem = "it is a folder"
    elif not os.path.isdir(folder):
        problem = f"its folder {folder!r} does not exist"
    elif not os.access(folder, os.W_OK):
        problem = f"its folder {folder!r} cannot be written"
    if problem is not None:
        must = f"be a file path in a folder that exists and can be written, but {problem}"
        raise ValueError(message(name, owner, must, repr(str(text))))


# --- sizes: what one call may allocate, compute or hold ------------------------------
# Counts are Python ints, exact for any size. Arrays, loops and floats are not:
# an API that would pass one of these limits refuses first, naming the limit.

#: The most memory one call may allocate: 1 GiB.
MEMORY_LIMIT = 1 << 30
#: The most rows one call may draw or count: about 10 s on the reference machine
#: (two shared cores; a permutation of 10**7 rows takes 0.8 s there).
ROWS_LIMIT = 10**8
#: The largest value an int64 array holds.
INT64_MAX = 2**63 - 1
#: The largest int a float holds (about 1.8e308).
FLOAT_MAX = int(sys.float_info.max)


def magnitude(n: int) -> str:
    """A count for a message: exact below a million, its order of magnitude above.

    Any int works (``float(10**400)`` would overflow).

    Examples
    --------
    >>> magnitude(999_999), magnitude(3 * 10**12), magnitude(2**63), magnitude(10**400)
    ('999,999', '3e12', '9.22e18', '1e400')
    """
    if n < 10**6:
        return f"{n:,}"
    e = int(math.log10(n))  # math.log10 takes an int of any size
    e += (n >= 10 ** (e + 1)) - (n < 10**e)  # the float log10 may be one off
    return f"{(n * 1000 // 10**e) / 1000:.3g}e{e}"


def memory(n_bytes: int) -> str:
    """A memory size for a message, in binary units; past 1024 EiB, its order of magnitude.

    Examples
    --------
    >>> memory(1000), memory(1 << 30), memory(8 * 10**13), memory(10**400)
    ('1000 bytes', '1 GiB', '72.8 TiB', '1e400 bytes')
    """
    units = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    if n_bytes >= 1024 ** len(units):
        return f"{magnitude(n_bytes)} bytes"
    power = next(p for p in range(len(units) - 1, -1, -1) if n_bytes >= 1024**p or p == 0)
    return f"{n_bytes} bytes" if power == 0 else f"{n_bytes / 1024**power:.3g} {units[power]}"


def check_memory(count: int, each: int, what: str, owner: str, hint: str = "") -> None:
    """Refuse, before allocating, ``count`` items of ``each`` bytes past :data:`MEMORY_LIMIT`.

    Examples
    --------
    >>> check_memory(3 * 10**12, 8, "rows", "Schedule.exposures")
    Traceback (most recent call last):
    ValueError: Schedule.exposures would hold 3e12 rows (8 bytes each, 21.8 TiB), more than the 1 GiB limit (134,217,728 rows).
    """  # noqa: E501
    if count * each > MEMORY_LIMIT:
        raise ValueError(
            f"{owner} would hold {magnitude(count)} {what} ({each} bytes each, "
            f"{memory(count * each)}), more than the 1 GiB limit "
            f"({MEMORY_LIMIT // each:,} {what}).{' ' + hint if hint else ''}"
        )


def check_rows(count: int, what: str, owner: str, hint: str = "") -> None:
    """Refuse, before starting, work of ``count`` rows past :data:`ROWS_LIMIT` (about 10 s).

    Examples
    --------
    >>> check_rows(10**14, "rows", "Schedule.exposures")
    Traceback (most recent call last):
    ValueError: Schedule.exposures would draw 1e14 rows, more than the limit of 100,000,000 rows (about 10 s).
    """  # noqa: E501
    if count > ROWS_LIMIT:
        raise ValueError(
            f"{owner} would draw {magnitude(count)} {what}, more than the limit of "
            f"{ROWS_LIMIT:,} {what} (about 10 s).{' ' + hint if hint else ''}"
        )


def check_int64(largest: int, what: str, owner: str, hint: str = "") -> None:
    """Refuse an int64 array that would hold a value past :data:`INT64_MAX` (numpy would wrap).

    Examples
    --------
    >>> check_int64(10**400, "steps", "Schedule.epoch_starts")
    Traceback (most recent call last):
    ValueError: Schedule.epoch_starts would hold steps up to 1e400, more than int64 holds (2**63 - 1).
    """  # noqa: E501
    if largest > INT64_MAX:
        raise ValueError(
            f"{owner} would hold {what} up to {magnitude(largest)}, more than int64 holds "
            f"(2**63 - 1).{' ' + hint if hint else ''}"
        )


def ratio(numerator: int, denominator: int, what: str, owner: str) -> float:
    """``numerator / denominator`` as a float, rounded once; ValueError past a float's range.

    Examples
    --------
    >>> ratio(3000, 100, "data_passes", "Schedule")
    30.0
    >>> ratio(10**400, 10, "data_passes", "Schedule")
    Traceback (most recent call last):
    ValueError: Schedule.data_passes is 1e399, more than a float holds (about 1.8e308).
    """
    if numerator // denominator > FLOAT_MAX:
        raise ValueError(
            f"{owner}.{what} is {magnitude(numerator // denominator)}, more than a float "
            f"holds (about 1.8e308)."
        )
    return numerator / denominator
