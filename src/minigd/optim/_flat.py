"""One call of an elementwise update rule for all parameters: fit's fast path.

Every rule in :mod:`minigd.optim` treats each number on its own (the step
count and the hyperparameters are shared scalars), so applying it once to all
parameters laid end to end gives, bit for bit, what applying it to each
parameter gives. With state to carry (momentum, Adam's averages) that saves
a dozen numpy calls per parameter and update; the price is gathering the
gradients into one vector, which is why plain SGD stays per parameter.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Array, Optimizer, Slots

__all__ = ["FlatUpdate", "flat_update_pays"]


def flat_update_pays(optimizer: Optimizer, params: Mapping[str, Array]) -> bool:
    """Whether fit should update ``params`` as one vector.

    Examples
    --------
    >>> import numpy as np
    >>> from minigd.optim import SGD, Adam
    >>> params = {"weight": np.zeros(3), "bias": np.zeros(1)}
    >>> flat_update_pays(Adam(), params), flat_update_pays(SGD(), params)
    (True, False)
    """
    return optimizer._elementwise and bool(optimizer._slot_names()) and len(params) > 1


class FlatUpdate:
    """Parameters, gradients and slots as flat vectors, with views by name.

    Examples
    --------
    >>> import numpy as np
    >>> from minigd.optim import Adam
    >>> opt = Adam(lr=0.1)
    >>> params = {"w": np.array([[1.0, 2.0]]), "b": np.array([3.0])}
    >>> flat = FlatUpdate(opt, params, opt.init(params).slots)
    >>> new, slots = flat(params, {"w": np.ones((1, 2)), "b": np.ones(1)}, flat.slots, 0.1, 1)
    >>> {k: v.round(6).tolist() for k, v in new.items()}
    {'w': [[0.9, 1.9]], 'b': [2.9]}
    >>> sorted(flat.by_name(slots)["w"])
    ['exp_avg', 'exp_avg_sq']
    """

    def __init__(
        self, optimizer: Optimizer, params: Mapping[str, Array], slots: Mapping[str, Slots]
    ) -> None:
        self._update_one = optimizer._update_one
        self.layout: list[tuple[str, slice, tuple[int, ...]]] = []
        offset = 0
        for name, value in params.items():
            self.layout.append((name, slice(offset, offset + value.size), value.shape))
            offset += value.size
        self.theta = self.flatten(params)
        self.slots: Slots = {
            slot: self.flatten({name: slots[name][slot] for name in params})
            for slot in optimizer._slot_names()
        }

    def flatten(self, arrays: Mapping[str, Array]) -> Array:
        """The arrays of every name, in layout order, as one new vector."""
        return np.concatenate([arrays[name].reshape(-1) for name, _, _ in self.layout])

    def views(self, flat: Array) -> dict[str, Array]:
        """Each parameter's part of ``flat``, in its own shape (views, no copy)."""
        return {name: flat[part].reshape(shape) for name, part, shape in self.layout}

    def by_name(self, slots: Slots) -> dict[str, Slots]:
        """Flat slots back to ``{param_name: {slot_name: array}}`` (copies)."""
        return {
            name: {slot: flat[part].reshape(shape).copy() for slot, flat in slots.items()}
            for name, part, shape in self.layout
        }

    def __call__(
        self,
        params: Mapping[str, Array],
        grads: Mapping[str, Array],
        slots: Slots,
        lr: float,
        t: int,
    ) -> tuple[dict[str, Array], Slots]:
        """One update: the same signature as :meth:`Optimizer._step`, flat slots."""
        self.theta, slots = self._update_one(self.theta, self.flatten(grads), slots, lr, t)
        return self.views(self.theta), slots
