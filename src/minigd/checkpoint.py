"""Checkpoints: atomic saves, pickle-free loads, files checked before they are read.

A checkpoint is a ``.npz`` archive (a zip file of ``.npy`` members, stored
uncompressed) of plain float and int arrays plus one JSON document (stored as
bytes) that names what the arrays are.

- **Loading runs nothing and inflates nothing unchecked.** The zip directory,
  the metadata, the member list and every member's ``.npy`` header (dtype and
  shape) are read and checked against the file's own size, and against what
  the caller expects, before any array is read; a compressed, encrypted or
  overlapping member is refused, so a file can never ask for more memory than
  it occupies on disk. No pickle is ever read. Every malformed file is a
  ``ValueError`` that names the path.
- **Saving replaces only a minigd checkpoint, or nothing.** It writes a
  temporary file in the same folder, flushes it to disk, then renames it over
  the target: a crash leaves the previous checkpoint or the new one, never half
  of one. The temporary files a killed save left behind are removed by the
  next save of the same checkpoint.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import stat
from collections.abc import Callable, Mapping
from typing import IO, Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._validation import PATH, InstanceOf, validate_params
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
#: the JSON metadata is small: a larger one is refused before it is read
_META_MAX_BYTES = 1 << 20
#: the dtypes a checkpoint's arrays may have (little-endian, as ``numpy.savez`` writes them)
_DTYPES = (np.dtype("<f8"), np.dtype("<i8"), np.dtype("|u1"))


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

    Parameters
    ----------
    path : str or os.PathLike
        A file path. Only a minigd checkpoint, or nothing, may be at it.
    checkpoint : Checkpoint
        JSON-safe ``meta`` and float64, int64 or uint8 ``arrays``.

    Raises
    ------
    ValueError
        Something other than a minigd checkpoint is at ``path`` (a user's
        file, a folder, a FIFO, a device node, a link): it is left alone.
    TypeError
        An array is not float64, int64 or uint8.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> save_checkpoint(folder / "run.npz", Checkpoint({"step": 3}, {"params/w": np.ones(2)}))
    >>> load_checkpoint(folder / "run.npz").meta["step"]
    3
    >>> (folder / "notes.txt").write_text("mine")
    4
    >>> save_checkpoint(folder / "notes.txt", Checkpoint({"step": 3}, {}))
    Traceback (most recent call last):
    ...
    ValueError: Refusing to save a checkpoint at '.../notes.txt': it is a file that is not a minigd checkpoint, and saving would replace it.
    """  # noqa: E501
    validate_params(
        "save_checkpoint",
        {"path": [PATH], "checkpoint": [InstanceOf(Checkpoint, "a Checkpoint")]},
        {"path": path, "checkpoint": checkpoint},
    )
    import json
    from pathlib import Path

    target = Path(path)
    problem = path_problem(target)
    if problem is not None:
        raise ValueError(f"Refusing to save a checkpoint at {str(target)!r}: {problem}.")
    meta = {"format": FORMAT, "version": VERSION, "row_order": ROW_ORDER, **checkpoint.meta}
    encoded = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    arrays = {_META: encoded, **checkpoint.arrays}
    for key, value in arrays.items():
        if value.dtype not in _DTYPES:
            raise TypeError(
                f"Checkpoint array {key!r} has dtype {value.dtype}; only float64, int64 "
                f"and uint8 arrays are saved."
            )
    fd, tmp = _temporary(target)
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
    _remove_stale_temporaries(target)


def _temporary(target: Any) -> tuple[int, str]:
    """A new temporary file ``.name.XXXXXXXX.tmp`` beside ``target``: ``(fd, path)``."""
    import tempfile

    folder = str(target.parent) if str(target.parent) else "."
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)


def _remove_stale_temporaries(target: Any) -> None:
    """Remove the temporary files of saves of ``target`` that were killed before the rename."""
    import re

    pattern = re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.tmp")
    for entry in os.scandir(target.parent if str(target.parent) else "."):
        if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):  # removed meanwhile
                os.unlink(entry.path)


def path_problem(
    path: str | os.PathLike[str], *, probe: bool = False, contents: bool = True
) -> str | None:
    """Why a checkpoint cannot be saved at ``path``, or ``None`` if it can.

    A save may replace only a minigd checkpoint, or nothing. ``probe=True``
    also creates and removes a temporary file beside ``path``, to find a
    folder that cannot be written before any work starts. ``contents=False``
    skips reading a regular file at ``path`` (``fit`` resumes from it, and
    says then what is wrong with it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path_problem(folder / "run.npz") is None, path_problem(folder)
    (True, 'it is a folder')
    """
    from pathlib import Path

    target = Path(path)
    if not target.name or os.fspath(path).endswith(os.sep):
        return "it names no file"
    try:
        mode: int | None = os.lstat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as exc:
        return f"it cannot be looked at ({exc.strerror or exc})"
    folder = target.parent
    if mode is not None and stat.S_ISDIR(mode):
        return "it is a folder"
    if mode is not None and not stat.S_ISREG(mode):
        return f"it is {_kind(mode)}, not a checkpoint file, and saving would replace it"
    if mode is None and not os.path.isdir(folder):
        return f"its folder {str(folder)!r} does not exist"
    if mode is not None and contents and not _is_checkpoint(target):
        return "it is a file that is not a minigd checkpoint, and saving would replace it"
    if probe:
        try:
            fd, tmp = _temporary(target)
        except OSError as exc:
            return f"its folder {str(folder)!r} cannot be written ({exc.strerror or exc})"
        os.close(fd)
        os.unlink(tmp)
    return None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"  # pragma: no cover


def _is_checkpoint(path: Any) -> bool:
    """Whether the regular file at ``path`` is a minigd checkpoint (of any version)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            meta = _read_meta(archive, _members(archive, os.stat(path).st_size))
    except _malformed_errors():
        return False
    return meta.get("format") == FORMAT


Expected = Mapping[str, tuple[Any, tuple[int, ...]]]


def load_checkpoint(
    path: str | os.PathLike[str],
    *,
    expected: Expected | Callable[[dict[str, Any]], Expected] | None = None,
    renamed: Mapping[str, str] | None = None,
) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint`, checking it before reading it.

    Parameters
    ----------
    path : str or os.PathLike
    expected : dict of str to (dtype, shape), or a function of the metadata, optional
        The arrays the file must hold, no more and no fewer; each with this
        dtype, this number of dimensions and at most this size in each. It is
        checked against the members' headers before any array is read. A
        function gets the metadata first and returns that dict (a
        ``ValueError`` it raises refuses the file with its own message).
    renamed : dict of str to str, optional
        Old member names to read under their new names (a file written before
        a rename), applied before ``expected`` is checked.

    Returns
    -------
    Checkpoint

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        Anything else: not a regular file, truncated, corrupt, not a zip of
        uncompressed ``.npy`` members, an encrypted or compressed member, an
        array of another dtype than float64, int64 or uint8, a declared shape
        that the file's size does not hold, members other than ``expected``,
        unreadable metadata, or not a minigd checkpoint of a known version.
        The message names the path.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.npz"
    >>> save_checkpoint(path, Checkpoint({"step": 7}, {"params/w": np.zeros(2)}))
    >>> c = load_checkpoint(path)
    >>> c.meta["step"], c.meta["format"], c.arrays["params/w"].tolist()
    (7, 'minigd-checkpoint', [0.0, 0.0])
    >>> load_checkpoint(path, expected={"params/w": (np.float64, (3,)), "params/b": (np.float64, (1,))})
    Traceback (most recent call last):
    ...
    ValueError: The checkpoint '.../c.npz' is incomplete or inconsistent (it lacks the arrays ['params/b']); refusing it.
    """  # noqa: E501
    validate_params("load_checkpoint", {"path": [PATH]}, {"path": path})
    import zipfile
    from pathlib import Path

    target = Path(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"No checkpoint at {str(target)!r}.") from None
    except OSError as exc:
        raise ValueError(f"{str(target)!r} cannot be read as a checkpoint ({exc}).") from None
    if not stat.S_ISREG(mode):
        raise ValueError(f"{str(target)!r} is {_kind(mode)}, not a checkpoint file.")
    try:
        with zipfile.ZipFile(target) as archive:
            members = _members(archive, os.stat(target).st_size)
            members = {(renamed or {}).get(k, k): info for k, info in members.items()}
            meta = _read_meta(archive, members)
            _check_version(meta, str(target))
            headers = {key: _read_header(archive, info) for key, info in members.items()}
            if callable(expected):
                try:
                    expected = expected(meta)
                except ValueError as exc:
                    raise _RefusedError(str(exc)) from None
            if expected is not None:
                _check_expected(headers, expected, str(target))
            arrays = {
                key: _read_array(archive, info, headers[key])
                for key, info in members.items()
                if key != _META
            }
    except _RefusedError as exc:
        raise ValueError(str(exc)) from None
    except _malformed_errors() as exc:
        reason = str(exc) if isinstance(exc, _MalformedError) else f"{type(exc).__name__}: {exc}"
        reason = reason if len(reason) <= 200 else reason[:197] + "..."
        raise ValueError(
            f"{str(target)!r} is not a readable minigd checkpoint ({reason}). It may be "
            f"truncated, corrupt or another kind of file; it was not loaded, and nothing in "
            f"it was run."
        ) from None
    return Checkpoint(meta=meta, arrays=arrays)


class _MalformedError(ValueError):
    """What is wrong with a checkpoint file (load_checkpoint adds the path)."""


class _RefusedError(ValueError):
    """A well-formed file that is not a checkpoint this minigd reads (the message is whole)."""


@functools.cache  # an except clause evaluates it only when an error is raised
def _malformed_errors() -> tuple[type[BaseException], ...]:
    """What a malformed file can raise while it is read (zipfile and json load with it)."""
    import json
    import struct
    import zipfile

    # RecursionError: deeply nested JSON; NotImplementedError and RuntimeError:
    # zipfile on unknown compression and encryption (refused first, but a flipped
    # byte can reach them); the rest: truncated or mangled bytes
    return (
        OSError, EOFError, ValueError, KeyError, IndexError, TypeError, OverflowError,
        RecursionError, NotImplementedError, RuntimeError, struct.error,
        zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError,
    )  # fmt: skip


def _members(archive: Any, file_size: int) -> dict[str, Any]:
    """The archive's members by array name, after checking what the zip directory says."""
    import zipfile

    members: dict[str, Any] = {}
    declared = 0
    for info in archive.infolist():
        key = info.filename.removesuffix(".npy")
        if key == info.filename or key in members:
            raise _MalformedError(f"member {info.filename!r} is not one .npy array")
        if info.flag_bits & 0x1:
            raise _MalformedError(f"member {info.filename!r} is encrypted")
        if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
            raise _MalformedError(f"member {info.filename!r} is compressed; checkpoints are not")
        declared += info.file_size
        members[key] = info
    if declared > file_size:  # overlapping members: more data than the file holds
        raise _MalformedError(f"its members declare {declared} bytes in a file of {file_size}")
    if _META not in members:
        raise _MalformedError("it has no metadata")
    return members


def _read_meta(archive: Any, members: dict[str, Any]) -> dict[str, Any]:
    import json

    info = members[_META]
    if info.file_size > _META_MAX_BYTES:
        raise _MalformedError(f"its metadata declares {info.file_size} bytes")
    header = _read_header(archive, info)
    if header[0] != np.dtype("|u1") or len(header[1]) != 1:
        raise _MalformedError("its metadata is not a byte string")
    meta = json.loads(_read_array(archive, info, header).tobytes().decode("utf-8"))
    if not isinstance(meta, dict):
        raise _MalformedError("its metadata is not a JSON object")
    return meta


def _check_version(meta: dict[str, Any], path: str) -> None:
    if meta.get("format") != FORMAT:
        raise _RefusedError(f"{path!r} is not a minigd checkpoint.")
    if meta.get("version") == 1:
        raise _RefusedError(
            f"{path!r} is a version-1 checkpoint, made by minigd 0.1, whose batches "
            f"came from another row order: resuming it would train on other rows than the run "
            f"it continues. Start the run again without resume (or delete the file), or finish "
            f"it with minigd 0.1 (pip install 'minigd==0.1.*')."
        )
    if meta.get("version") != VERSION or meta.get("row_order") != ROW_ORDER:
        raise _RefusedError(
            f"{path!r} is a minigd checkpoint of version {meta.get('version')!r} with "
            f"row order {meta.get('row_order')!r}; this minigd reads version {VERSION} with "
            f"row order {ROW_ORDER!r}."
        )


def _read_header(archive: Any, info: Any) -> tuple[np.dtype[Any], tuple[int, ...], bool, int]:
    """A member's ``.npy`` header, ``(dtype, shape, fortran_order, header_bytes)``, checked
    against the member's size; nothing past the header is read."""
    fmt = np.lib.format
    with archive.open(info) as fp:
        version = fmt.read_magic(fp)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, fortran, dtype = fmt.read_array_header_2_0(fp)
        else:
            raise _MalformedError(f"member {info.filename!r} has .npy version {version}")
        offset = fp.tell()
    if dtype not in _DTYPES:
        raise _MalformedError(f"array {info.filename!r} has dtype {dtype}")
    if any(n < 0 for n in shape):
        raise _MalformedError(f"array {info.filename!r} declares the shape {shape}")
    if offset + math.prod(shape) * dtype.itemsize != info.file_size:
        raise _MalformedError(
            f"array {info.filename!r} declares the shape {shape}, which its "
            f"{info.file_size} bytes do not hold"
        )
    return dtype, shape, fortran, offset


def _check_expected(headers: dict[str, tuple[Any, ...]], expected: Expected, path: str) -> None:
    try:
        _compare(headers, expected)
    except _MalformedError as exc:
        raise _RefusedError(
            f"The checkpoint {path!r} is incomplete or inconsistent ({exc}); refusing it."
        ) from None


def _compare(headers: dict[str, tuple[Any, ...]], expected: Expected) -> None:
    names = set(headers) - {_META}
    if names != set(expected):
        missing, extra = sorted(set(expected) - names), sorted(names - set(expected))
        parts = [f"it lacks the arrays {missing}"] if missing else []
        parts += [f"it holds arrays this run has no use for: {extra}"] if extra else []
        raise _MalformedError("; ".join(parts))
    for key, (dtype, largest) in expected.items():
        found, shape = headers[key][0], headers[key][1]
        fits = len(shape) == len(largest) and all(
            n <= m for n, m in zip(shape, largest, strict=True)
        )
        if found != np.dtype(dtype) or not fits:
            raise _MalformedError(
                f"array {key!r} is {found} of shape {shape}, not {np.dtype(dtype)} of shape "
                f"{largest}{' or smaller' if len(largest) == 1 else ''}"
            )


def _read_array(
    archive: Any, info: Any, header: tuple[np.dtype[Any], tuple[int, ...], bool, int]
) -> NDArray[Any]:
    """A member's array, once its header was checked: exactly the bytes it declared."""
    dtype, shape, fortran, offset = header
    fp: IO[bytes]
    with archive.open(info) as fp:
        fp.read(offset)
        # reading to the member's end makes zipfile compare its CRC-32: a flipped byte fails
        data = fp.read(info.file_size - offset)
        if len(data) != info.file_size - offset or fp.read(1):
            raise _MalformedError(f"array {info.filename!r} is cut short")
    flat: NDArray[Any] = np.frombuffer(data, dtype=dtype)
    array: NDArray[Any] = flat.reshape(shape, order="F" if fortran else "C").copy()
    return array


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
