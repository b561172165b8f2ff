"""minigd: the vocabulary of training loops, executable.

How many updates do N samples, batches of B and E epochs make? What is a
step, an iteration, an epoch? A :class:`Schedule` answers under every
convention.

Examples
--------
>>> import minigd
>>> minigd.Schedule(n_samples=100, batch_size=5, epochs=30).total_steps
600
"""

from __future__ import annotations

from . import datasets, frameworks, lr, models, optim
from .batching import Batch
from .callbacks import Callback, EarlyStopping, EpochInfo, StepInfo, StopTraining
from .counting import batch_sizes_for
from .display import Table
from .exposures import ExposureSummary
from .history import History
from .schedule import (
    EPOCH_CONVENTIONS,
    ITERATION_CONVENTIONS,
    SAMPLING_METHODS,
    SHARDING_METHODS,
    Schedule,
    compare,
)
from .training import DivergenceError, FitResult, fit

__version__ = "0.2.0.dev0"

__all__ = [
    "EPOCH_CONVENTIONS",
    "ITERATION_CONVENTIONS",
    "SAMPLING_METHODS",
    "SHARDING_METHODS",
    "Batch",
    "Callback",
    "DivergenceError",
    "EarlyStopping",
    "EpochInfo",
    "ExposureSummary",
    "FitResult",
    "History",
    "Schedule",
    "StepInfo",
    "StopTraining",
    "Table",
    "__version__",
    "batch_sizes_for",
    "compare",
    "datasets",
    "fit",
    "frameworks",
    "lr",
    "models",
    "optim",
]
