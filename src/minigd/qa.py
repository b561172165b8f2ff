"""Deprecated: moved to :mod:`minigd.content.qa` (this name goes in the next minor release)."""

from __future__ import annotations

import warnings

from .content.qa import *  # noqa: F403
from .content.qa import __all__ as __all__

warnings.warn(
    "minigd.qa moved to minigd.content.qa; the old name goes in the next minor release.",
    DeprecationWarning,
    stacklevel=2,
)
