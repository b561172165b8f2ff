"""Shared test settings.

``MINIGD_REQUIRE_CONFORMANCE=1`` (set by ``make test``) turns a missing
framework into a failure, so conformance tests are never silently skipped.
``MINIGD_CONFORMANCE=stress`` runs the live data-parallel tables
(tests/conformance/test_live_ddp.py) with 40 fresh random cases each.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

# derandomize: every run checks the same examples, so CI is reproducible
settings.register_profile(
    "minigd",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# MINIGD_HYPOTHESIS=stress: many fresh random examples, to hunt for new failures
settings.register_profile(
    "stress", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("stress" if os.environ.get("MINIGD_HYPOTHESIS") == "stress" else "minigd")


def require(module: str) -> ModuleType:
    """Import a framework for a conformance test; skip only outside ``make test``."""
    if os.environ.get("MINIGD_REQUIRE_CONFORMANCE") == "1":
        return importlib.import_module(module)
    return pytest.importorskip(module)
