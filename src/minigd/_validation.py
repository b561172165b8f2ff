"""The one place that builds "The 'x' parameter of Y must be ..." messages.

The message shape follows scikit-learn's parameter validation, so a student who
has seen one knows how to read the other::

    The 'batch_size' parameter of Schedule must be an int in the range [1, inf). Got 0 instead.

A wrong *type* raises :class:`TypeError`; a wrong *value* raises
:class:`ValueError`. Nothing is clipped or coerced.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "check_bool",
    "check_float",
    "check_int",
    "check_option",
    "check_seed",
    "describe_value",
    "is_int",
]


def describe_value(value: Any) -> str:
    """Render a bad value for a message: its repr, plus its type when that helps."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
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


def _range_text(min_value: int | None, max_value: int | None) -> str:
    lo = "-inf" if min_value is None else str(min_value)
    hi = "inf" if max_value is None else str(max_value)
    return f"[{lo}, {hi}{')' if max_value is None else ']'}"


def check_int(
    value: Any,
    name: str,
    owner: str,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
) -> int:
    """Return ``value`` as a Python ``int`` after checking its type and range."""
    allowed = f"an int in the range {_range_text(min_value, max_value)}"
    if not is_int(value):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be {allowed}. "
            f"Got {describe_value(value)} instead."
        )
    result = int(value)
    if (min_value is not None and result < min_value) or (
        max_value is not None and result > max_value
    ):
        raise ValueError(
            f"The {name!r} parameter of {owner} must be {allowed}. Got {result!r} instead."
        )
    return result


def check_bool(value: Any, name: str, owner: str) -> bool:
    """Return ``value`` as a Python ``bool``; only ``True``/``False`` are accepted."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be an instance of bool. "
            f"Got {describe_value(value)} instead."
        )
    return bool(value)


def check_option(value: Any, name: str, owner: str, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of the ``allowed`` strings."""
    choices = ", ".join(repr(a) for a in allowed)
    if not isinstance(value, str):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be a str among {{{choices}}}. "
            f"Got {describe_value(value)} instead."
        )
    if value not in allowed:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be a str among {{{choices}}}. "
            f"Got {value!r} instead."
        )
    return value


def check_seed(value: Any, owner: str, name: str = "seed") -> int | None:
    """Return a non-negative int seed, or ``None``."""
    if value is None:
        return None
    allowed = "a non-negative int or None"
    if not is_int(value):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be {allowed}. "
            f"Got {describe_value(value)} instead."
        )
    if int(value) < 0:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be {allowed}. Got {int(value)!r} instead."
        )
    return int(value)


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
    """Return ``value`` as a finite Python ``float`` in the given interval.

    ints are accepted (``lr=1`` is a rate of 1.0); ``bool`` and strings are not.
    """
    lo = "-inf" if low is None else repr(float(low))
    hi = "inf" if high is None else repr(float(high))
    left = "(" if low is None or low_open else "["
    right = ")" if high is None or high_open else "]"
    allowed = f"a float in the range {left}{lo}, {hi}{right}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Real, np.floating, np.integer)
    ):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be {allowed}. "
            f"Got {describe_value(value)} instead."
        )
    result = float(value)
    bad = not np.isfinite(result)
    if low is not None:
        bad |= result <= low if low_open else result < low
    if high is not None:
        bad |= result >= high if high_open else result > high
    if bad:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be {allowed}. Got {value!r} instead."
        )
    return result
