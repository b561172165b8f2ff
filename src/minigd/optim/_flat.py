"""How fit applies an optimizer: one call of the rule for all parameters.

Every rule in :mod:`minigd.optim` treats each number on its own (the step
count and the hyperparameters are shared scalars), so applying it once to all
parameters laid end to end gives, bit for bit, what applying it to each
parameter gives. ``fit`` therefore keeps the parameters, the gradients and
the optimizer's slots as flat vectors, hands the model views of them by name
(the model writes its gradients straight into the gradient vector), and calls
the rule once per update, copying its result back into the same parameter
vector: the views stay valid, so no dictionaries of new arrays, no loop over
names. Whoever keeps parameters past the next update must copy them.

An optimizer written elsewhere, whose rule may look at a parameter as a
whole (a norm, a matrix), is applied one parameter at a time instead.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Array, Optimizer, Slots

__all__ = ["FlatUpdate", "PerParameterUpdate", "updater_for"]


class FlatUpdate:
    """Parameters, gradients and slots as flat vectors, with views by name.

    Examples
    --------
    >>> import numpy as np
    >>> from minigd.optim import Adam
    >>> opt = Adam(lr=0.1)
    >>> params = {"w": np.array([[1.0, 2.0]]), "b": np.array([3.0])}
    >>> flat = FlatUpdate(opt, params, opt.init(params).slots)
    >>> flat.grads["w"][:] = 1.0; flat.grads["b"][:] = 1.0  # what a model writes
    >>> new, slots = flat.step(flat.slots, 0.1, 1)
    >>> {k: v.round(6).tolist() for k, v in new.items()}
    {'w': [[0.9, 1.9]], 'b': [2.9]}
    >>> sorted(flat.by_name(slots)["w"])
    ['exp_avg', 'exp_avg_sq']
    """

    def __init__(
        self, optimizer: Optimizer, params: Mapping[str, Array], slots: Mapping[str, Slots]
    ) -> None:
        self._update_one = optimizer._update_one
        # (name, part of the flat vector, shape, or None when the part has it already)
        self.layout: list[tuple[str, slice, tuple[int, ...] | None]] = []
        offset = 0
        for name, value in params.items():
            shape = None if value.ndim == 1 else value.shape
            self.layout.append((name, slice(offset, offset + value.size), shape))
            offset += value.size
        self.theta = self.flatten(params)
        self.grad = np.zeros_like(self.theta)
        #: what the model writes its gradients into, by name
        self.grads = self.views(self.grad)
        self.params = self.views(self.theta)
        self.slots: Slots = {
            slot: self.flatten({name: slots[name][slot] for name in params})
            for slot in optimizer._slot_names()
        }

    def flatten(self, arrays: Mapping[str, Array]) -> Array:
        """The arrays of every name, in layout order, as one new float64 vector."""
        return np.concatenate(
            [np.asarray(arrays[name], dtype=np.float64).reshape(-1) for name, _, _ in self.layout]
        )

    def views(self, flat: Array) -> dict[str, Array]:
        """Each parameter's part of ``flat``, in its own shape (views, no copy)."""
        return {
            name: flat[part] if shape is None else flat[part].reshape(shape)
            for name, part, shape in self.layout
        }

    def by_name(self, slots: Slots) -> dict[str, Slots]:
        """Flat slots as ``{param_name: {slot_name: array}}`` (copies)."""
        parts = {slot: self.views(flat) for slot, flat in slots.items()}
        return {
            name: {slot: parts[slot][name].copy() for slot in slots} for name, _, _ in self.layout
        }

    def step(self, slots: Slots, lr: float, t: int) -> tuple[dict[str, Array], Slots]:
        """Update ``t`` (1-based) from the gradients in :attr:`grads`.

        ``lr`` may also be a 0-d float64 array: ``fit`` passes a constant rate
        as one, which numpy multiplies by faster than by a Python float.
        """
        theta, slots = self._update_one(self.theta, self.grad, slots, lr, t)
        # Into the one parameter vector: the views in `params` stay valid, and
        # copying 8 bytes a number is cheaper than making new views every update.
        self.theta[...] = theta
        return self.params, slots


class PerParameterUpdate:
    """The same interface, one parameter at a time (for rules that are not elementwise).

    Examples
    --------
    >>> import numpy as np
    >>> from minigd.optim import SGD
    >>> params = {"w": np.array([1.0, 2.0])}
    >>> each = PerParameterUpdate(SGD(lr=0.5), params, {"w": {}})
    >>> each.grads["w"][:] = [1.0, 1.0]
    >>> each.step(each.slots, 0.5, 1)[0]["w"].tolist()
    [0.5, 1.5]
    """

    def __init__(
        self, optimizer: Optimizer, params: Mapping[str, Array], slots: Mapping[str, Slots]
    ) -> None:
        self._step = optimizer._step
        self.params = dict(params)
        self.grads = {name: np.zeros_like(value) for name, value in params.items()}
        self.slots = dict(slots)

    def by_name(self, slots: dict[str, Slots]) -> dict[str, Slots]:
        """The slots, already by name (copies, as :meth:`FlatUpdate.by_name` gives)."""
        return {name: {slot: v.copy() for slot, v in s.items()} for name, s in slots.items()}

    def step(
        self, slots: dict[str, Slots], lr: float, t: int
    ) -> tuple[dict[str, Array], dict[str, Slots]]:
        """Update ``t`` (1-based) from the gradients in :attr:`grads`."""
        # copies: the buffers are rewritten next update, and a rule may keep its input
        grads = {name: g.copy() for name, g in self.grads.items()}
        self.params, slots = self._step(self.params, grads, slots, lr, t)
        return self.params, slots


def updater_for(
    optimizer: Optimizer, params: Mapping[str, Array], slots: Mapping[str, Slots]
) -> FlatUpdate | PerParameterUpdate:
    """Flat for minigd's elementwise rules, per parameter otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from minigd.optim import SGD
    >>> type(updater_for(SGD(), {"w": np.zeros(2)}, {"w": {}})).__name__
    'FlatUpdate'
    """
    kind = FlatUpdate if optimizer._elementwise else PerParameterUpdate
    return kind(optimizer, params, slots)
