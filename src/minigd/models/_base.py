"""What every model shares: parameter dicts, input checks, the public API.

A model holds hyperparameters only. Parameters are a ``dict[str, ndarray]``
passed in and out, so the same model can be trained by any optimizer and
any schedule, and nothing hides state between calls.

Subclasses implement three private methods that assume checked inputs
(``fit`` checks once, then calls them every update):

- ``_shapes()``: the name and shape of every parameter;
- ``_loss_and_grad(params, X, y, grads)``: the batch loss, with its gradients
  written into ``grads`` (arrays of the parameters' shapes), numpy's ``out=``
  idiom: ``fit`` hands the same buffers in every update, and they are slices
  of one vector the optimizer then updates in one call;
- ``_predict(params, X)``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import check_seed, describe_value

__all__ = ["Array", "Model", "Params", "check_X", "check_params", "ones", "ones_column"]

Array = NDArray[np.float64]
Params = dict[str, Array]

#: Batches of up to this many rows share cached constants: one vector of ones
#: (32 KB) here, and the 0-d ``2 / n`` of :func:`~minigd.models.losses.mean_squared_error`.
ONES_CACHED = 4096
_ONES = np.ones(ONES_CACHED)
_ONES.setflags(write=False)


def ones(n: int) -> Array:
    """``n`` ones, read-only: the column of the Jacobian that belongs to a bias.

    Every row adds the bias once, so ``dloss/dbias = ones(n) @ dpred`` (the sum
    of ``dpred`` over the rows), a product like the weight's ``dpred @ X``. On
    the short batches of SGD it costs half of ``dpred.sum()``, whose setup is
    most of the work there. Up to :data:`ONES_CACHED` rows, the vector is a
    slice of one cached array: nothing is allocated per update.

    Examples
    --------
    >>> dpred = np.array([0.5, -1.0, 2.0])
    >>> ones(3).dot(dpred), ones(3).flags.writeable
    (np.float64(1.5), False)
    """
    if n <= ONES_CACHED:
        return _ONES[:n]
    out = np.ones(n)
    out.setflags(write=False)
    return out


_ONES_COLUMN = _ONES.reshape(-1, 1)


def ones_column(n: int) -> Array:
    """:func:`ones` as an ``(n, 1)`` column, for a bias of one number.

    ``dpred @ ones_column(n)`` is the same sum as ``dpred @ ones(n)``, but as a
    matrix product it has a shape-``(1,)`` result that numpy writes straight
    into the bias gradient (``out=``); a vector product makes a numpy scalar
    first, which costs a third of the product on a short batch.

    Examples
    --------
    >>> grad = np.zeros(1)
    >>> _ = np.array([0.5, -1.0, 2.0]).dot(ones_column(3), out=grad)
    >>> grad.tolist(), ones_column(3).shape, ones_column(5000).flags.writeable
    ([1.5], (3, 1), False)
    """
    if n <= ONES_CACHED:
        return _ONES_COLUMN[:n]
    out = np.ones((n, 1))
    out.setflags(write=False)
    return out


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
    arr = np.asarray(X)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be a numeric (int or float) array. "
            f"Got an array of dtype {arr.dtype} instead."
        )
    if arr.ndim != 2 or arr.shape[1] != n_features:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be a 2-D array of shape "
            f"(n_rows, {n_features}). Got shape {arr.shape} instead."
        )
    if arr.shape[0] == 0:
        raise ValueError(f"The {name!r} parameter of {owner} must have at least one row. Got 0.")
    arr = np.asarray(arr, dtype=np.float64)
    bad = count_nonfinite(arr) if check_finite else 0
    if bad:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be finite. Got {bad} NaN or infinite values."
        )
    return arr


def count_nonfinite(arr: Array, block_bytes: int = 1 << 23) -> int:
    """NaN and infinite values in ``arr``, counted a block of rows at a time.

    A block at a time keeps the temporary boolean mask small: checking an
    800 MB matrix must not allocate another 100 MB.
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


def check_params(
    params: Any, shapes: Mapping[str, tuple[int, ...]], owner: str, name: str = "params"
) -> Params:
    """Check that ``params`` has exactly the expected names and shapes.

    Examples
    --------
    >>> import numpy as np
    >>> sorted(check_params({"w": np.zeros(2)}, {"w": (2,)}, "demo"))
    ['w']
    """
    if not isinstance(params, Mapping):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be a dict of arrays. "
            f"Got {describe_value(params)} instead."
        )
    if set(params) != set(shapes):
        raise ValueError(
            f"The {name!r} parameter of {owner} must have the names {sorted(shapes)}. "
            f"Got {sorted(params)} instead."
        )
    out: Params = {}
    for key, shape in shapes.items():
        value = params[key]
        if not isinstance(value, np.ndarray) or not np.issubdtype(value.dtype, np.floating):
            raise TypeError(
                f"The {name!r} parameter of {owner} must hold float arrays. "
                f"{key!r} is {describe_value(value)}."
            )
        if value.shape != shape:
            raise ValueError(
                f"The {name!r} parameter of {owner} must have {key!r} of shape {shape}. "
                f"Got shape {value.shape} instead."
            )
        out[key] = value
    return out


class Model(ABC):
    """Base class: hyperparameters in, functions of ``(params, X, y)`` out.

    Examples
    --------
    >>> from minigd.models import LinearRegression
    >>> isinstance(LinearRegression(2), Model)
    True
    """

    n_features: int

    @abstractmethod
    def _shapes(self) -> dict[str, tuple[int, ...]]: ...

    @abstractmethod
    def _loss_and_grad(self, params: Params, X: Array, y: Any, grads: Params) -> float: ...

    def _empty_grads(self) -> Params:
        return {key: np.empty(shape) for key, shape in self._shapes().items()}

    @abstractmethod
    def _predict(self, params: Params, X: Array) -> Array: ...

    def _loss(self, params: Params, X: Array, y: Any) -> float:
        # Models override this when the loss alone is cheaper than with gradients.
        return self._loss_and_grad(params, X, y, self._empty_grads())

    @abstractmethod
    def check_y(self, y: Any, n_rows: int, owner: str, name: str = "y") -> Any:
        """Check targets for this model's loss; return them in the working dtype.

        Examples
        --------
        >>> from minigd.models import LinearRegression
        >>> LinearRegression(1).check_y([3.0], 1, "demo").tolist()
        [3.0]
        """

    @abstractmethod
    def config(self) -> dict[str, Any]:
        """The hyperparameters, as plain values (used by checkpoints).

        Examples
        --------
        >>> from minigd.models import LinearRegression
        >>> LinearRegression(2).config()["model"]
        'LinearRegression'
        """

    def _init_scale(self, key: str) -> float:
        # torch.nn.Linear's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for
        # weights and biases; fan_in is the first axis of the layer's weight.
        weight = key.replace("bias", "weight")
        return float(1.0 / np.sqrt(self._shapes()[weight][0]))

    def init_params(self, seed: int | None = 0) -> Params:
        """Fresh parameters: float64 arrays with stable names.

        Drawn from ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` as torch's
        ``nn.Linear`` does, from ``numpy.random.default_rng(seed)``.

        Examples
        --------
        >>> from minigd.models import MLP
        >>> {k: v.shape for k, v in MLP(3, hidden=(4,)).init_params(seed=0).items()}
        {'layer0.weight': (3, 4), 'layer0.bias': (4,), 'layer1.weight': (4, 1), 'layer1.bias': (1,)}
        """
        seed = check_seed(seed, f"{type(self).__name__}.init_params")
        rng = np.random.default_rng(seed)
        return {
            key: rng.uniform(-self._init_scale(key), self._init_scale(key), size=shape)
            for key, shape in self._shapes().items()
        }

    def _check(self, params: Any, X: Any, y: Any, method: str) -> tuple[Params, Array, Any]:
        owner = f"{type(self).__name__}.{method}"
        p = check_params(params, self._shapes(), owner)
        x = check_X(X, self.n_features, owner)
        return p, x, self.check_y(y, len(x), owner)

    def loss(self, params: Params, X: Any, y: Any) -> float:
        """The mean loss over the rows of ``X``.

        Examples
        --------
        >>> import numpy as np
        >>> from minigd.models import LinearRegression
        >>> params = {"weight": np.array([2.0]), "bias": np.array([0.0])}
        >>> LinearRegression(1).loss(params, np.array([[1.0], [2.0]]), np.array([2.0, 5.0]))
        0.5
        """
        p, x, t = self._check(params, X, y, "loss")
        return self._loss(p, x, t)

    def loss_and_grad(self, params: Params, X: Any, y: Any) -> tuple[float, Params]:
        """The mean loss and its analytic gradients (same keys and shapes as ``params``).

        Examples
        --------
        >>> import numpy as np
        >>> from minigd.models import LinearRegression
        >>> params = {"weight": np.array([2.0]), "bias": np.array([0.0])}
        >>> X, y = np.array([[1.0]]), np.array([3.0])
        >>> loss, grads = LinearRegression(1).loss_and_grad(params, X, y)
        >>> loss, grads["weight"].tolist(), grads["bias"].tolist()
        (1.0, [-2.0], [-2.0])
        """
        p, x, t = self._check(params, X, y, "loss_and_grad")
        grads = self._empty_grads()
        return self._loss_and_grad(p, x, t, grads), grads

    def predict(self, params: Params, X: Any) -> Array:
        """The model's output for each row of ``X``.

        Examples
        --------
        >>> import numpy as np
        >>> from minigd.models import LinearRegression
        >>> params = {"weight": np.array([2.0]), "bias": np.array([1.0])}
        >>> LinearRegression(1).predict(params, np.array([[1.0], [3.0]])).tolist()
        [3.0, 7.0]
        """
        owner = f"{type(self).__name__}.predict"
        p = check_params(params, self._shapes(), owner)
        return self._predict(p, check_X(X, self.n_features, owner))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items() if k != "model")
        return f"{type(self).__name__}({args})"


def check_real_targets(y: Any, n_rows: int, owner: str, name: str = "y") -> Array:
    """Finite real targets of length ``n_rows`` as float64."""
    arr = np.asarray(y)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be a numeric array. "
            f"Got an array of dtype {arr.dtype} instead."
        )
    if arr.ndim == 0 or arr.shape[0] != n_rows:
        raise ValueError(
            f"The {name!r} parameter of {owner} must have one entry per row of X ({n_rows}). "
            f"Got shape {arr.shape} instead."
        )
    arr = np.asarray(arr, dtype=np.float64)
    if count_nonfinite(arr):
        raise ValueError(f"The {name!r} parameter of {owner} must be finite.")
    return arr


def check_labels(y: Any, n_rows: int, n_classes: int, owner: str, name: str = "y") -> Any:
    """Integer class labels in ``[0, n_classes)`` of length ``n_rows``."""
    arr = np.asarray(y)
    if arr.ndim != 1 or arr.shape[0] != n_rows:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be a 1-D array of {n_rows} class labels. "
            f"Got shape {arr.shape} instead."
        )
    if np.issubdtype(arr.dtype, np.floating) and np.isfinite(arr).all():
        if not (arr == np.round(arr)).all():
            raise ValueError(
                f"The {name!r} parameter of {owner} must hold integer class labels. "
                f"Got non-integer values such as {arr[arr != np.round(arr)][0]!r}."
            )
    elif arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"The {name!r} parameter of {owner} must hold integer class labels. "
            f"Got an array of dtype {arr.dtype} instead."
        )
    if arr.min() < 0 or arr.max() >= n_classes:
        raise ValueError(
            f"The {name!r} parameter of {owner} must hold labels in [0, {n_classes - 1}]. "
            f"Got values from {arr.min().item()!r} to {arr.max().item()!r} instead."
        )
    return arr.astype(np.intp)
