"""Run the suite on the oldest and the newest Python this machine has.

minigd declares ``requires-python >= 3.10`` and a numpy floor in
``pyproject.toml``. A floor that is never run is a guess, so ``make test``
runs the suite without the conformance extra (the frameworks are pinned for
the main Python) in two more virtual environments:

- the oldest Python found (3.10 or newer), with numpy at its declared floor
  (``numpy>=2.0`` installs ``numpy==2.0.*``);
- the newest Python found, with the newest numpy pip picks.

Pythons are looked for on ``PATH`` (``python3.10`` ... ``python3.14``) and
under ``~/.pyenv/versions``. Where only one is found, the other run is skipped
with a notice. The environments live in ``build/pythons/`` and are reinstalled
only when ``pyproject.toml`` changes.

Run: ``python tools/test_pythons.py`` (``make test`` does).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
HOME = ROOT / "build" / "pythons"
MINORS = range(10, 15)  # 3.10 (requires-python) to 3.14
PYTEST = ("-m", "pytest", "-q", "-m", "not conformance and not site", "-p", "no:cacheprovider")


def version_of(python: str) -> tuple[int, int] | None:
    """``(major, minor)`` of an interpreter, or None when it does not run."""
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    major, minor = map(int, out.split())
    return major, minor


def pythons() -> dict[tuple[int, int], str]:
    """Every Python 3.10+ found, by version (the first found of each version)."""
    candidates = [shutil.which(f"python3.{minor}") for minor in MINORS]
    pyenv = Path.home() / ".pyenv" / "versions"
    if pyenv.is_dir():
        candidates += [str(p / "bin" / "python3") for p in sorted(pyenv.iterdir())]
    found: dict[tuple[int, int], str] = {}
    for python in filter(None, candidates):
        version = version_of(python)
        if version is not None and version >= (3, 10):
            found.setdefault(version, python)
    return found


def numpy_floor() -> str:
    """The pip requirement that installs numpy at its declared floor: ``numpy==2.0.*``."""
    match = re.search(r'"numpy>=(\d+)\.(\d+)[^"]*"', PYPROJECT.read_text())
    if match is None:
        sys.exit("test_pythons: no 'numpy>=X.Y' dependency in pyproject.toml")
    return f"numpy=={match[1]}.{match[2]}.*"


def environment(python: str, version: tuple[int, int], numpy: str | None) -> Path:
    """A virtual environment with minigd[dev] (and ``numpy``, when given) installed."""
    venv = HOME / f"py{version[0]}.{version[1]}"
    stamp = venv / ".installed"
    key = hashlib.sha256(PYPROJECT.read_bytes() + str(numpy).encode()).hexdigest()
    if stamp.is_file() and stamp.read_text() == key:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    pip += ["--disable-pip-version-check", "-e", f"{ROOT}[dev]"]
    subprocess.run([*pip, *([numpy] if numpy else [])], check=True)
    stamp.write_text(key)
    return venv


def main() -> int:
    found = pythons()
    if not found:
        print("test_pythons: no Python 3.10+ found: skipped", file=sys.stderr)
        return 0
    oldest, newest = min(found), max(found)
    runs = [(oldest, numpy_floor()), (newest, None)]
    if oldest == newest:
        print(f"test_pythons: only Python {oldest[0]}.{oldest[1]} found: one run", file=sys.stderr)
        runs = runs[:1]
    for version, numpy in runs:
        label = f"Python {version[0]}.{version[1]}" + (f" with {numpy}" if numpy else "")
        print(f"test_pythons: the suite on {label}", file=sys.stderr, flush=True)
        venv = environment(found[version], version, numpy)
        done = subprocess.run([str(venv / "bin" / "python"), *PYTEST], cwd=ROOT, check=False)
        if done.returncode != 0:
            print(f"test_pythons: the suite failed on {label}", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
