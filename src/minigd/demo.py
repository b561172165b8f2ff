"""Deprecated: moved to :mod:`minigd.content.demo` (this name goes in the next minor release)."""

from __future__ import annotations

import warnings

from .content.demo import *  # noqa: F403
from .content.demo import __all__ as __all__

warnings.warn(
    "minigd.demo moved to minigd.content.demo; the old name goes in the next minor release.",
    DeprecationWarning,
    stacklevel=2,
)
