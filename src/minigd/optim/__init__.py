"""Optimizers with torch.optim's names, defaults and formulas, as pure functions.

Examples
--------
>>> import numpy as np
>>> from minigd.optim import Adam
>>> opt = Adam(lr=1e-2)
>>> params = {"w": np.zeros(3)}
>>> state = opt.init(params)
>>> params, state = opt.update(params, {"w": np.ones(3)}, state)
>>> state.step
1
"""

from __future__ import annotations

from ._base import Optimizer, OptimizerState
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "OptimizerState", "RMSprop"]
