"""A multi-layer perceptron with hand-written backpropagation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from .._validation import (
    Interval,
    Items,
    Options,
    Rule,
    check_labels,
    check_real_targets,
    validate_params,
)
from ._base import Array, Model, Params, check_label_range
from .losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    mean_squared_error,
    sigmoid,
    softmax,
)

__all__ = ["ACTIVATIONS", "LOSSES", "MLP"]

ACTIVATIONS = ("tanh", "relu", "sigmoid")
LOSSES = ("mse", "cross_entropy", "binary_cross_entropy")


class MLP(Model):
    """Fully connected layers with an activation between them, and a loss head.

    Layer ``i`` computes ``z_i = a_{i-1} @ layer{i}.weight + layer{i}.bias``;
    hidden layers apply the activation, the last layer's ``z`` is the output
    (a prediction for ``"mse"``, logits for the cross-entropies).

    Parameters
    ----------
    n_features : int
        Columns of ``X``.
    hidden : sequence of int, default (16,)
        Width of each hidden layer; ``()`` gives a linear model.
    n_outputs : int, default 1
        Output width: targets per row for ``"mse"``, 1 for
        ``"binary_cross_entropy"``, the number of classes (>= 2) for
        ``"cross_entropy"``.
    activation : {"tanh", "relu", "sigmoid"}, default "tanh"
    loss : {"mse", "cross_entropy", "binary_cross_entropy"}, default "mse"

    Examples
    --------
    >>> import numpy as np
    >>> model = MLP(n_features=3, hidden=(4,), n_outputs=2, loss="cross_entropy")
    >>> params = model.init_params(seed=0)
    >>> sorted(params)
    ['layer0.bias', 'layer0.weight', 'layer1.bias', 'layer1.weight']
    >>> X, y = np.ones((5, 3)), np.array([0, 1, 1, 0, 1])
    >>> loss, grads = model.loss_and_grad(params, X, y)
    >>> grads["layer0.weight"].shape, loss > 0
    ((3, 4), True)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_features": [Interval(int, 1, None)],
        "hidden": [Items(Interval(int, 1, None), "a sequence of ints (layer widths)")],
        "n_outputs": [Interval(int, 1, None)],
        "activation": [Options(ACTIVATIONS)],
        "loss": [Options(LOSSES)],
    }
    _parameter_rules: ClassVar[list[Rule]] = [
        Rule(
            "n_outputs", "==", lambda a: 1, "be 1 with loss='binary_cross_entropy'",
            when=lambda a: a["loss"] == "binary_cross_entropy",
        ),
        Rule(
            "n_outputs", ">=", lambda a: 2,
            "be the number of classes (>= 2) with loss='cross_entropy'",
            when=lambda a: a["loss"] == "cross_entropy",
        ),
    ]  # fmt: skip

    def __init__(
        self,
        n_features: int,
        hidden: Sequence[int] = (16,),
        n_outputs: int = 1,
        activation: str = "tanh",
        loss: str = "mse",
    ) -> None:
        args = validate_params(
            "MLP", self._parameter_constraints,
            {"n_features": n_features, "hidden": hidden, "n_outputs": n_outputs,
             "activation": activation, "loss": loss},
            self._parameter_rules,
        )  # fmt: skip
        self.n_features, self.hidden = args["n_features"], args["hidden"]
        self.n_outputs, self.activation = args["n_outputs"], args["activation"]
        self.loss_name = args["loss"]  # the method loss() is the loss itself
        self._widths = (self.n_features, *self.hidden, self.n_outputs)

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        shapes: dict[str, tuple[int, ...]] = {}
        for i, (fan_in, fan_out) in enumerate(
            zip(self._widths[:-1], self._widths[1:], strict=True)
        ):
            shapes[f"layer{i}.weight"] = (fan_in, fan_out)
            shapes[f"layer{i}.bias"] = (fan_out,)
        return shapes

    def config(self) -> dict[str, Any]:
        """The model name and every hyperparameter.

        Examples
        --------
        >>> MLP(2, hidden=(8,), loss="binary_cross_entropy")
        MLP(n_features=2, hidden=[8], n_outputs=1, activation='tanh', loss='binary_cross_entropy')
        """
        return {
            "model": "MLP",
            "n_features": self.n_features,
            "hidden": list(self.hidden),
            "n_outputs": self.n_outputs,
            "activation": self.activation,
            "loss": self.loss_name,
        }

    def check_y(self, y: Any, n_rows: int, owner: str, name: str = "y") -> Any:
        """Targets for the loss: reals, labels in [0, 1], or class indices.

        Examples
        --------
        >>> MLP(2, n_outputs=3, loss="cross_entropy").check_y([2, 0], 2, "demo").tolist()
        [2, 0]
        """
        if self.loss_name == "cross_entropy":
            return check_labels(y, n_rows, self.n_outputs, owner, name)
        bce = self.loss_name == "binary_cross_entropy"
        return check_real_targets(
            y, n_rows, owner, name, n_outputs=self.n_outputs, unit_interval=bce
        )

    def _act(self, z: Array) -> Array:
        if self.activation == "tanh":
            return np.tanh(z)
        if self.activation == "relu":
            return np.maximum(z, 0.0)
        return sigmoid(z)

    def _act_grad(self, z: Array, a: Array) -> Array:
        # derivative of the activation at z, written with its output a
        if self.activation == "tanh":
            return 1.0 - a * a
        if self.activation == "relu":
            return (z > 0.0).astype(np.float64)
        return a * (1.0 - a)

    def _forward(self, params: Params, X: Array) -> tuple[list[Array], list[Array]]:
        zs: list[Array] = []
        activations = [X]
        n_layers = len(self._widths) - 1
        for i in range(n_layers):
            z = activations[-1] @ params[f"layer{i}.weight"] + params[f"layer{i}.bias"]
            zs.append(z)
            if i < n_layers - 1:
                activations.append(self._act(z))
        return zs, activations

    def predict(self, params: Params, X: Any) -> Array:
        """The network's output: predictions, the probability of class 1, or class probabilities.

        Examples
        --------
        >>> import numpy as np
        >>> model = MLP(2, hidden=(3,), n_outputs=4, loss="cross_entropy")
        >>> model.predict(model.init_params(0), np.zeros((1, 2))).shape
        (1, 4)
        """
        X = self._check_predict(params, X)
        out = self._forward(params, X)[0][-1]
        if self.loss_name == "cross_entropy":
            return softmax(out)
        if self.loss_name == "binary_cross_entropy":
            return sigmoid(out[:, 0])
        return out[:, 0] if self.n_outputs == 1 else out

    def loss_and_grad(self, params: Params, X: Any, y: Any) -> tuple[float, Params]:
        """The loss and its gradients by backpropagation.

        Forward: ``z_i = a_{i-1} @ W_i + b_i``, ``a_i = act(z_i)``. Backward,
        last layer first, with ``delta_i = d loss / d z_i``:
        ``d loss / d W_i = a_{i-1}.T @ delta_i``, ``d loss / d b_i =
        delta_i.sum(axis=0)`` and ``delta_{i-1} = (delta_i @ W_i.T) * act'(z_{i-1})``.

        Examples
        --------
        >>> import numpy as np
        >>> model = MLP(2, hidden=(3,))
        >>> loss, grads = model.loss_and_grad(model.init_params(0), np.ones((4, 2)), np.zeros(4))
        >>> grads["layer0.weight"].shape, grads["layer1.bias"].shape
        ((2, 3), (1,))
        """
        X, y = self._check_batch(params, X, y)
        zs, activations = self._forward(params, X)
        out = zs[-1]
        if self.loss_name == "cross_entropy":
            loss, delta = cross_entropy(out, y)
        elif self.loss_name == "binary_cross_entropy":
            loss, d = binary_cross_entropy_with_logits(out[:, 0], y)
            delta = d[:, None]
        else:
            pred = out[:, 0] if self.n_outputs == 1 else out
            loss, d = mean_squared_error(pred, y)
            delta = d[:, None] if self.n_outputs == 1 else d
        grads: Params = {}
        for i in range(len(zs) - 1, -1, -1):  # backpropagation, last layer first
            grads[f"layer{i}.weight"] = activations[i].T @ delta
            grads[f"layer{i}.bias"] = delta.sum(axis=0)
            if i > 0:
                delta = (delta @ params[f"layer{i}.weight"].T) * self._act_grad(
                    zs[i - 1], activations[i]
                )
        return loss, {key: grads[key] for key in self._shapes()}

    def _y_plain(self, y: Any) -> bool:
        if self.loss_name == "cross_entropy":
            return check_label_range(y, self.n_outputs)
        expected_ndim = 1 if self.n_outputs == 1 else 2
        return bool(
            y.dtype == np.float64
            and y.ndim == expected_ndim
            and y.shape[1:] == (() if self.n_outputs == 1 else (self.n_outputs,))
        )
