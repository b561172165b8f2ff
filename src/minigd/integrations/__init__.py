"""Bridges that make the real engines run a :class:`~minigd.Schedule`.

- :mod:`minigd.integrations.torch`: :class:`~minigd.integrations.torch.ScheduleBatchSampler`,
  a ``torch.utils.data.Sampler`` for ``DataLoader(batch_sampler=...)``, one
  process or one per replica under ``DistributedDataParallel``, and
  :func:`~minigd.integrations.torch.updates`, which groups a loader's batches
  into updates.
- :mod:`minigd.integrations.keras`: :class:`~minigd.integrations.keras.ScheduleDataset`,
  a ``keras.utils.PyDataset`` for ``model.fit``.

Nothing here is imported by ``import minigd``: each submodule imports its
framework when it is itself imported (``pip install 'minigd[torch]'`` or
``'minigd[keras]'``).

Examples
--------
>>> import minigd.integrations
>>> minigd.integrations.__all__
['keras', 'torch']
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["keras", "torch"]


def __getattr__(name: str) -> ModuleType:
    # ``minigd.integrations.torch`` imports torch only when it is asked for
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
