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

from .lr import Lambda

__all__ = [
    "FORMAT",
    "ROW_ORDER",
    "VERSION",
    "Checkpoint",
    "check_lr_identity",
    "load_checkpoint",
    "lr_identity",
    "save_checkpoint",
]

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


def lr_identity(lr: Any, schedule: Any) -> dict[str, Any] | None:
    """How a checkpoint identifies a learning-rate function: its name and a few of its values.

    A :class:`~minigd.lr.Lambda` (a plain function given as ``lr``) cannot be
    saved, so the checkpoint keeps its qualified name and its values at the
    counts 0, 1, half and last of the run (updates or epochs, as its
    ``unit`` says). Any other learning rate is identified by the optimizer's
    configuration: ``None``.

    Examples
    --------
    >>> from minigd import Schedule
    >>> from minigd.lr import Lambda
    >>> def halving(epoch):
    ...     return 0.5**epoch
    >>> lr_identity(Lambda(halving, unit="epoch"), Schedule(10, 5, 5))
    {'function': 'minigd.checkpoint.halving', 'unit': 'epoch', 'counts': [0, 1, 2, 4], 'values': [1.0, 0.5, 0.25, 0.0625]}
    """  # noqa: E501
    if not isinstance(lr, Lambda):
        return None
    last = (schedule.total_steps if lr.unit == "step" else schedule.epochs_run) - 1
    counts = sorted({0, min(1, last), last // 2, last})
    return {
        "function": lr.name,
        "unit": lr.unit,
        "counts": counts,
        "values": [lr(c) for c in counts],
    }


def check_lr_identity(saved: Any, current: dict[str, Any] | None, path: str) -> None:
    """Refuse to resume with a learning-rate function other than the checkpoint's.

    Raises
    ------
    ValueError
        The names or the values differ; the message names the first
        differing value.

    Examples
    --------
    >>> made = {"function": "f", "unit": "step", "counts": [0, 1], "values": [0.1, 0.05]}
    >>> check_lr_identity(made, made, "run.npz")
    >>> check_lr_identity(made, {**made, "values": [0.1, 0.04]}, "run.npz")
    Traceback (most recent call last):
    ...
    ValueError: The checkpoint 'run.npz' was made with a learning-rate function f that gave 0.05 at step 1; f gives 0.04 there. Refusing to resume from it; use the same function, a new checkpoint path or resume=False.
    """  # noqa: E501
    if saved == current:
        return
    end = (
        "Refusing to resume from it; use the same function, a new checkpoint path or resume=False."
    )
    if isinstance(saved, dict) and current is not None and saved.get("counts") == current["counts"]:
        pairs = zip(current["counts"], saved.get("values", []), current["values"], strict=False)
        for count, before, now in pairs:
            if before != now:
                raise ValueError(
                    f"The checkpoint {path!r} was made with a learning-rate function "
                    f"{saved.get('function')} that gave {before!r} at {current['unit']} {count}; "
                    f"{current['function']} gives {now!r} there. {end}"
                )
    made = "no learning-rate function" if not saved else f"the function {saved.get('function')}"
    now_text = "none" if current is None else current["function"]
    raise ValueError(
        f"The checkpoint {path!r} was made with {made} as the learning rate; this run has "
        f"{now_text}. {end}"
    )
