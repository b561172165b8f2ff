"""What every model shares: parameter dicts, input checks, the public API.

A model holds hyperparameters only. Parameters are a ``dict[str, ndarray]``
passed in and out, so the same model can be trained by any optimizer and
any schedule, and nothing hides state between calls.

Each model writes its maths in three public methods, each of which starts by
checking its arguments:

- ``loss_and_grad(params, X, y)``: the mean loss over the rows and its
  gradients, a dict with the names and shapes of ``params`` (the one call
  per update, in ``fit`` and in the loop a student writes);
- ``loss(params, X, y)`` and ``predict(params, X)``.

``loss_and_grad`` makes only checks that cost the same for any batch (names,
shapes, dtypes: ``Model._check_batch``); ``loss`` and ``predict`` check
everything, NaN included, as ``fit`` does once for ``X`` before the first update.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import SetOnce, check_params, check_seed, check_X

__all__ = ["Array", "Model", "Params"]

Array = NDArray[np.float64]
Params = dict[str, Array]

_FLOAT64 = np.dtype(np.float64)


class Model(SetOnce, ABC):
    """Base class: hyperparameters in, functions of ``(params, X, y)`` out.

    Examples
    --------
    >>> from minigd.models import LinearRegression
    >>> isinstance(LinearRegression(2), Model)
    True
    """

    n_features: int

    @abstractmethod
    def _shapes(self) -> dict[str, tuple[int, ...]]:
        """The name and shape of every parameter."""

    @abstractmethod
    def loss_and_grad(self, params: Params, X: Any, y: Any) -> tuple[float, Params]:
        """The mean loss over the rows of ``X`` and its analytic gradients.

        Parameters
        ----------
        params : dict of str to ndarray
            The model's parameters (names and shapes as :meth:`init_params`).
        X : ndarray of shape (n_rows, n_features)
        y : ndarray of targets, one per row

        Returns
        -------
        loss : float
        grads : dict of str to ndarray
            d loss / d params, with the names and shapes of ``params``.
        """

    @abstractmethod
    def predict(self, params: Params, X: Any) -> Array:
        """The model's output for each row of ``X``."""

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

    def loss(self, params: Params, X: Any, y: Any) -> float:
        """The mean loss over the rows of ``X``, every argument checked in full.

        Examples
        --------
        >>> import numpy as np
        >>> from minigd.models import LinearRegression
        >>> params = {"weight": np.array([2.0]), "bias": np.array([0.0])}
        >>> LinearRegression(1).loss(params, np.array([[1.0], [2.0]]), np.array([2.0, 5.0]))
        0.5
        """
        p, x, t = self._check_all(params, X, y, "loss")
        return self.loss_and_grad(p, x, t)[0]

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

    @cached_property
    def _layout(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        # hyperparameters never change after construction: the shapes neither
        return tuple(self._shapes().items())

    def _check_batch(self, params: Any, X: Any, y: Any) -> tuple[Array, Any]:
        """Checks that cost the same for any batch; returns ``(X, y)``.

        Plain float64 arrays (``X``, ``y`` and every parameter) with the right
        names, ``ndim`` and shapes pass after a few comparisons. Anything
        else (lists, ints, a wrong shape) goes through the full checks of
        :meth:`_check_all`, which convert it or raise the error that names
        the argument. Values are not looked at (``fit`` checks ``X`` and
        ``y`` for NaN once), but for the label range of a classifier
        (:meth:`_y_plain`), which would otherwise index a wrong class.
        """
        try:
            rows, columns = X.shape  # not 2-D: ValueError, the full checks say why
            plain = (
                X.__class__ is y.__class__ is np.ndarray  # not a subclass (matrix, masked)
                and X.dtype is _FLOAT64
                and columns == self.n_features
                and rows > 0
                and len(y) == rows
                and self._y_plain(y)
                and len(params) == len(self._layout)
            )
            for name, shape in self._layout if plain else ():
                value = params[name]
                if value.shape != shape or value.dtype is not _FLOAT64:
                    plain = False
        except (AttributeError, KeyError, TypeError, ValueError):
            plain = False
        if plain:
            return X, y
        _, x, t = self._check_all(params, X, y, "loss_and_grad", check_finite=False)
        return x, t

    def _y_plain(self, y: Array) -> bool:
        """Whether ``y`` has the dtype and shape the loss uses (one check per call)."""
        return y.dtype is _FLOAT64 and y.ndim == 1

    def _check_all(
        self, params: Any, X: Any, y: Any, method: str, *, check_finite: bool = True
    ) -> tuple[Params, Array, Any]:
        owner = f"{type(self).__name__}.{method}"
        p = check_params(params, self._shapes(), owner)
        x = check_X(X, self.n_features, owner, check_finite=check_finite)
        return p, x, self.check_y(y, len(x), owner)

    def _check_predict(self, params: Any, X: Any) -> Array:
        owner = f"{type(self).__name__}.predict"
        check_params(params, self._shapes(), owner)
        return check_X(X, self.n_features, owner)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items() if k != "model")
        return f"{type(self).__name__}({args})"


def check_label_range(y: Any, n_classes: int) -> bool:
    """Whether ``y`` is a 1-D int array of labels in ``[0, n_classes)``.

    A label outside that range would index a wrong class (or fail inside
    numpy), so classification models look at it on every call: two
    reductions over the batch, as cheap as the loss itself.

    Examples
    --------
    >>> check_label_range(np.array([0, 2]), 3), check_label_range(np.array([0, 3]), 3)
    (True, False)
    """
    return bool(y.dtype.kind in "iu" and y.ndim == 1 and y.min() >= 0 and y.max() < n_classes)
