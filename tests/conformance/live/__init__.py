"""Live data-parallel runs: standalone scripts that train on 2 CPU processes and report counts.

tests/conformance/test_live_ddp.py starts each script once per table with
``subprocess.run(..., timeout=...)``; the script starts the ranks itself
(:mod:`._ranks`), never from inside pytest.
"""
