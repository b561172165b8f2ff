"""Tiny numpy models: hyperparameters in the object, parameters in a dict.

Examples
--------
>>> import numpy as np
>>> from minigd.models import LinearRegression
>>> model = LinearRegression(n_features=3)
>>> params = model.init_params(seed=0)
>>> sorted(params), params["weight"].dtype
(['bias', 'weight'], dtype('float64'))
"""

from __future__ import annotations

from ._base import Model, Params
from .linear import LinearRegression, LogisticRegression, SoftmaxRegression
from .losses import binary_cross_entropy_with_logits, cross_entropy, mean_squared_error, sigmoid
from .mlp import MLP

__all__ = [
    "MLP",
    "LinearRegression",
    "LogisticRegression",
    "Model",
    "Params",
    "SoftmaxRegression",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "mean_squared_error",
    "sigmoid",
]
