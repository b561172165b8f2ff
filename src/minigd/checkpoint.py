"""Checkpoints: atomic saves, pickle-free loads.

A checkpoint is a ``.npz`` archive of plain float and int arrays plus one
JSON document (stored as bytes) that names what the arrays are. Loading uses
``numpy.load(..., allow_pickle=False)``, so a tampered or foreign file can be
refused but never run code. Saving writes a temporary file in the same
folder, flushes it to disk, then renames it over the target: a crash leaves
the previous checkpoint or the new one, never half of one.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._validation import PATH, InstanceOf, validate_params

__all__ = ["FORMAT", "ROW_ORDER", "VERSION", "Checkpoint", "load_checkpoint", "save_checkpoint"]

FORMAT = "minigd-checkpoint"
#: Version 2 (minigd 0.2): rows ordered by :data:`ROW_ORDER`. Version 1 files
#: (minigd 0.1) came from another row order and are refused.
VERSION = 2
#: The row-order definition a checkpoint's position refers to (see
#: :mod:`minigd.batching`); a resumed run must draw the same rows.
ROW_ORDER = "pcg64-advance-v2"
_META = "__meta__"


class Checkpoint(NamedTuple):
    """The contents of a checkpoint file.

    Attributes
    ----------
    meta : dict
        JSON-safe description: format, version, schedule, model and optimizer
        configurations, seed, step (updates applied), names.
    arrays : dict of str to ndarray
        ``params/<name>``, ``state/<name>/<slot>``, ``history/<column>``,
        ``epochs/<column>``.

    Examples
    --------
    >>> Checkpoint({"step": 0}, {}).meta
    {'step': 0}
    """

    meta: dict[str, Any]
    arrays: dict[str, NDArray[Any]]


def save_checkpoint(path: str | os.PathLike[str], checkpoint: Checkpoint) -> None:
    """Write ``checkpoint`` to ``path`` atomically.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> save_checkpoint(folder / "run.npz", Checkpoint({"step": 3}, {"params/w": np.ones(2)}))
    >>> load_checkpoint(folder / "run.npz").meta["step"]
    3
    """
    validate_params(
        "save_checkpoint",
        {"path": [PATH], "checkpoint": [InstanceOf(Checkpoint, "a Checkpoint")]},
        {"path": path, "checkpoint": checkpoint},
    )
    import json
    import tempfile  # imported here, as json and pathlib: most runs never checkpoint
    from pathlib import Path

    target = Path(path)
    meta = {"format": FORMAT, "version": VERSION, "row_order": ROW_ORDER, **checkpoint.meta}
    encoded = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    arrays = {_META: encoded, **checkpoint.arrays}
    for key, value in arrays.items():
        if value.dtype == object:
            raise TypeError(f"Checkpoint array {key!r} has dtype object; only plain arrays.")
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent if str(target.parent) else "."
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_checkpoint(path: str | os.PathLike[str]) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint`.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        The file is truncated, corrupt, not an ``.npz`` archive, holds
        pickled objects, or is not a minigd checkpoint of a known version.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.npz"
    >>> save_checkpoint(path, Checkpoint({"step": 7}, {"params/w": np.zeros(2)}))
    >>> c = load_checkpoint(path)
    >>> c.meta["step"], c.meta["format"], c.arrays["params/w"].tolist()
    (7, 'minigd-checkpoint', [0.0, 0.0])
    """
    validate_params("load_checkpoint", {"path": [PATH]}, {"path": path})
    import json
    import zipfile
    from pathlib import Path

    target = Path(path)
    if not target.is_file():
        raise FileNotFoundError(f"No checkpoint at {str(target)!r}.")
    try:
        with np.load(target, allow_pickle=False) as archive:
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError("not an .npz archive")
            arrays = {key: archive[key] for key in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError):
        raise ValueError(
            f"{str(target)!r} is not a readable minigd checkpoint (not an .npz archive of "
            f"plain arrays). It may be truncated, corrupt or another kind of file; it was not "
            f"loaded, and nothing in it was run."
        ) from None
    raw = arrays.pop(_META, None)
    if raw is None or raw.dtype != np.uint8 or raw.ndim != 1:
        raise ValueError(f"{str(target)!r} is not a minigd checkpoint: it has no metadata.")
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{str(target)!r} has unreadable checkpoint metadata ({exc}).") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"{str(target)!r} is not a minigd checkpoint.")
    if meta.get("version") == 1:
        raise ValueError(
            f"{str(target)!r} is a version-1 checkpoint, made by minigd 0.1, whose batches "
            f"came from another row order: resuming it would train on other rows than the run "
            f"it continues. Start the run again without resume (or delete the file), or finish "
            f"it with minigd 0.1 (pip install 'minigd==0.1.*')."
        )
    if meta.get("version") != VERSION or meta.get("row_order") != ROW_ORDER:
        raise ValueError(
            f"{str(target)!r} is a minigd checkpoint of version {meta.get('version')!r} with "
            f"row order {meta.get('row_order')!r}; this minigd reads version {VERSION} with "
            f"row order {ROW_ORDER!r}."
        )
    return Checkpoint(meta=meta, arrays=arrays)
