"""Checkpoints that cannot destroy or be weaponised.

Saving replaces only a minigd checkpoint, or nothing; the path is checked
before training. Loading checks a file's structure (zip directory, metadata,
member list, every ``.npy`` header) before reading any array, and fit checks
every array against the run before using it. Every malformed file is a
``ValueError`` naming the path. Whatever could allocate without bound runs in a
subprocess with a timeout and ``RLIMIT_AS``; nothing here touches ``/dev``.
"""

from __future__ import annotations

import io
import json
import os
import pathlib
import stat
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from typing import Any

import numpy as np
import pytest

import minigd
from minigd import Schedule, StepInfo, fit
from minigd.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from minigd.models import LinearRegression
from minigd.optim import SGD, Adam

X, Y = minigd.datasets.make_regression(24, 3, noise=0.1, seed=3)
MODEL = LinearRegression(3)
SCHEDULE = Schedule(24, 5, 2)
ROOT = pathlib.Path(__file__).resolve().parent.parent


def run(path: Any, **kw: Any) -> minigd.FitResult:
    opt = kw.pop("optimizer", Adam(lr=0.05))
    return fit(MODEL, X, Y, SCHEDULE, opt, seed=0, checkpoint=path, **kw)


class Count:
    """Counts updates: a refusal must come before the first."""

    def __init__(self) -> None:
        self.steps = 0

    def on_step_end(self, info: StepInfo) -> None:
        self.steps += 1


# --- only a minigd checkpoint, or nothing, is replaced ----------------------------


def test_a_users_file_is_never_replaced(tmp_path: pathlib.Path) -> None:
    for name, content in [("train.csv", b"x,y\n1,2\n"), ("empty.npz", b""),
                          ("numbers.npz", None), ("notes.txt", b"mine")]:  # fmt: skip
        path = tmp_path / name
        if content is None:
            np.savez(path, a=np.ones(3))  # an .npz, but not a minigd checkpoint
        else:
            path.write_bytes(content)
        before = path.read_bytes()
        counter = Count()
        with pytest.raises(ValueError, match=r"'checkpoint' .* not a minigd checkpoint"):
            run(path, callbacks=[counter])
        assert counter.steps == 0
        with pytest.raises(ValueError, match=r"Refusing to save .* not a minigd checkpoint"):
            save_checkpoint(path, Checkpoint({"step": 0}, {}))
        assert path.read_bytes() == before
    # a minigd checkpoint is replaced, of this version or an older one
    ours = tmp_path / "ours.npz"
    run(ours)
    run(ours, optimizer=SGD(lr=0.1))
    assert load_checkpoint(ours).meta["optimizer"]["optimizer"] == "SGD"
    old = tmp_path / "old.npz"
    old.write_bytes((ROOT / "tests" / "data" / "checkpoint-v1.npz").read_bytes())
    run(old)
    assert load_checkpoint(old).meta["version"] == 2


def test_a_fifo_a_link_and_a_device_are_refused(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.npz"
    run(tmp_path / "real.npz")
    link.symlink_to(tmp_path / "real.npz")
    device = tmp_path / "tty"  # never created: a stub says it is a character device
    real_lstat = os.lstat

    def lstat(path: Any, *args: Any, **kw: Any) -> os.stat_result:
        if os.fspath(path) == str(device):
            return os.stat_result((stat.S_IFCHR | 0o666, 0, 0, 1, 0, 0, 0, 0, 0, 0))
        return real_lstat(path, *args, **kw)

    monkeypatch.setattr(os, "lstat", lstat)
    for path, kind in [
        (fifo, r"a FIFO \(named pipe\)"),
        (link, "a symbolic link"),
        (device, "a character device"),
    ]:
        counter = Count()
        with pytest.raises(ValueError, match=rf"'checkpoint' .* it is {kind}, not a checkpoint"):
            run(path, callbacks=[counter])
        assert counter.steps == 0
        with pytest.raises(ValueError, match=rf"Refusing to save .* it is {kind}"):
            save_checkpoint(path, Checkpoint({"step": 0}, {}))
    assert stat.S_ISFIFO(real_lstat(fifo).st_mode)
    assert link.is_symlink()
    assert device.name not in os.listdir(tmp_path)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("folder", "it is a folder"),
        ("missing/run.npz", "its folder .* does not exist"),
        ("", "it names no file"),
        ("folder/", "it names no file"),
        ("file.txt/run.npz", "its folder .*file.txt' does not exist"),
    ],
)
def test_the_path_is_checked_before_training(
    tmp_path: pathlib.Path, where: str, message: str
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("mine")
    path = str(tmp_path / where) + ("/" if where.endswith("/") else "") if where else ""
    for resume in (False, True):
        counter = Count()
        with pytest.raises(ValueError, match=rf"'checkpoint' parameter of fit .* {message}"):
            run(path, resume=resume, callbacks=[counter], checkpoint_every=1)
        assert counter.steps == 0


def test_a_folder_that_cannot_be_written_is_refused_before_training(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as root, chmod cannot make a folder unwritable: a stub says so instead
    def refuse(*args: Any, **kw: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    run(tmp_path / "old.npz")  # a checkpoint to resume from, saved before the folder locks
    before = (tmp_path / "old.npz").read_bytes()
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    for path, resume in [(tmp_path / "run.npz", False), (tmp_path / "old.npz", True)]:
        counter = Count()
        with pytest.raises(ValueError, match=r"its folder .* cannot be written \(Permission"):
            run(path, callbacks=[counter], resume=resume, optimizer=SGD(lr=0.1))
        assert counter.steps == 0
    assert [p.name for p in tmp_path.iterdir()] == ["old.npz"]
    assert (tmp_path / "old.npz").read_bytes() == before


def test_a_killed_saves_temporary_files_are_removed_by_the_next_save(
    tmp_path: pathlib.Path,
) -> None:
    path = tmp_path / "run.npz"
    # what a save killed between mkstemp and the rename leaves behind
    stale = [tmp_path / ".run.npz.k3j_9x0a.tmp", tmp_path / ".run.npz.00000000.tmp"]
    kept = [tmp_path / ".other.npz.k3j_9x0a.tmp", tmp_path / "run.npz.notes.tmp",
            tmp_path / ".run.npz.mine.tmp"]  # fmt: skip
    for p in stale + kept:
        p.write_bytes(b"partial")
    (tmp_path / ".run.npz.abcdefgh.tmp").mkdir()  # a folder of that name is not ours
    run(path)
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in kept)
    assert (tmp_path / ".run.npz.abcdefgh.tmp").is_dir()


# --- hostile files: every malformed file is a ValueError naming the path ----------


def _checkpoint_bytes(tmp: pathlib.Path) -> bytes:
    path = tmp / "good.npz"
    run(path)
    return path.read_bytes()


def _patch_headers(data: bytes, member: str, field: str, value: int) -> bytes:
    """Set a 2-byte field of ``member``'s local and central headers (zip APPNOTE 4.3.7, 4.3.12)."""
    local_offset, central_offset = {"flags": (6, 8), "method": (8, 10)}[field]
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    start = info.header_offset
    out[start + local_offset : start + local_offset + 2] = value.to_bytes(2, "little")
    name = member.encode()
    central = out.find(b"PK\x01\x02")
    while central != -1:
        name_len = int.from_bytes(out[central + 28 : central + 30], "little")
        if out[central + 46 : central + 46 + name_len] == name:
            out[central + central_offset : central + central_offset + 2] = value.to_bytes(
                2, "little"
            )
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def _npz(path: pathlib.Path, meta: Any, arrays: dict[str, np.ndarray]) -> None:
    """An .npz written by numpy itself, with any metadata and arrays."""
    raw = meta if isinstance(meta, bytes) else json.dumps(meta).encode()
    np.savez(path, __meta__=np.frombuffer(raw, dtype=np.uint8), **arrays)  # type: ignore[arg-type]


def _good(tmp: pathlib.Path) -> Checkpoint:
    run(tmp / "base.npz")
    return load_checkpoint(tmp / "base.npz")


def _hostile_files(tmp: pathlib.Path) -> dict[str, tuple[bytes, str]]:
    """name: (file bytes, what the message says)."""
    good = _checkpoint_bytes(tmp)
    ck = _good(tmp)
    files: dict[str, tuple[bytes, str]] = {
        "encrypted": (
            _patch_headers(good, "params/weight.npy", "flags", 0x1), "is encrypted"),
        "unknown compression": (
            _patch_headers(good, "params/weight.npy", "method", 97), "is compressed"),
        "truncated": (good[: len(good) // 2], "not a readable"),
        "empty": (b"", "not a readable"),
        "text": (b"hello", "not a readable"),
    }  # fmt: skip
    plain = tmp / "plain.npy"
    np.save(plain, np.ones(3))
    files["plain .npy"] = (plain.read_bytes(), "not a readable")
    nested = tmp / "nested.npz"
    _npz(nested, b'{"format": "minigd-checkpoint", "a": ' + b"[" * 100_000 + b"]" * 100_000
         + b"}", {})  # fmt: skip
    files["deeply nested JSON"] = (nested.read_bytes(), "RecursionError")
    pickled = tmp / "pickled.npz"
    np.savez(pickled, __meta__=np.array([{"format": "minigd-checkpoint"}], dtype=object))
    files["pickled metadata"] = (pickled.read_bytes(), "dtype object")
    big_meta = tmp / "big-meta.npz"
    _npz(big_meta, {**ck.meta, "pad": "x" * (1 << 20)}, {})
    files["metadata over 1 MiB"] = (big_meta.read_bytes(), "its metadata declares")
    no_meta = tmp / "no-meta.npz"
    np.savez(no_meta, a=np.ones(2))
    files["no metadata"] = (no_meta.read_bytes(), "no metadata")
    complex_ = tmp / "complex.npz"
    _npz(complex_, ck.meta, {**ck.arrays, "params/weight": ck.arrays["params/weight"] + 0j})
    files["complex array"] = (complex_.read_bytes(), "has dtype complex128")
    compressed = tmp / "compressed.npz"
    raw = json.dumps(ck.meta).encode()
    np.savez_compressed(compressed, __meta__=np.frombuffer(raw, np.uint8), **ck.arrays)
    files["compressed members"] = (compressed.read_bytes(), "is compressed")
    return files


def test_every_hostile_file_is_a_value_error_naming_the_path(tmp_path: pathlib.Path) -> None:
    for name, (data, message) in _hostile_files(tmp_path).items():
        path = tmp_path / f"{name}.npz"
        path.write_bytes(data)
        with pytest.raises(ValueError, match=message) as info:
            load_checkpoint(path)
        assert str(path) in str(info.value), name
        with pytest.raises(ValueError, match=message):
            run(path, resume=True)
        assert path.read_bytes() == data, name  # refused, never replaced


_BOUNDED = """
import resource
resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
"""


def bounded(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a Python with 512 MiB of address space and a timeout."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", _BOUNDED + textwrap.dedent(code)],
        capture_output=True, text=True, timeout=timeout, env=env, check=False, cwd=ROOT,
    )  # fmt: skip


def test_huge_declared_shapes_and_a_zip_bomb_are_refused_before_inflating(
    tmp_path: pathlib.Path,
) -> None:
    result = bounded(
        f"""
        import io, pathlib, struct, time, zipfile, zlib
        import numpy as np
        from minigd.checkpoint import load_checkpoint
        tmp = pathlib.Path({str(tmp_path)!r})
        good = tmp / "good.npz"
        np.savez(good, __meta__=np.frombuffer(b'{{"format": "minigd-checkpoint", "version": 2, '
                 b'"row_order": "pcg64-advance-v2"}}', np.uint8))
        # a member that declares 10**12 float64 values (8 TB) in 100 bytes
        header = {{"descr": "<f8", "fortran_order": False, "shape": (10**12,)}}
        huge = tmp / "huge.npz"
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(huge, "w") as dst:
            for item in src.infolist():
                dst.writestr(item, src.read(item))
            with dst.open("params/w.npy", "w") as fp:
                np.lib.format.write_array_header_1_0(fp, header)
                fp.write(bytes(100))
        # a member of 1 GiB of zeros, deflated to about 1 MB, written by hand: deflate
        # one MiB with a full flush and repeat its bytes (no 1 GiB is ever built)
        co = zlib.compressobj(1, zlib.DEFLATED, -15)
        head = io.BytesIO()
        np.lib.format.write_array_header_1_0(head, dict(header, shape=(1 << 27,)))
        chunk = bytes(1 << 20)
        data = co.compress(head.getvalue()) + co.flush(zlib.Z_FULL_FLUSH)
        block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
        data += block * 1024 + co.flush()
        crc = zlib.crc32(head.getvalue())
        for _ in range(1024):
            crc = zlib.crc32(chunk, crc)
        meta = zipfile.ZipFile(good).read("__meta__.npy")
        members = [(b"__meta__.npy", 0, zlib.crc32(meta), len(meta), meta),
                   (b"params/w.npy", 8, crc, len(head.getvalue()) + (1 << 30), data)]
        out, central = bytearray(), bytearray()
        for name, method, crc, size, body in members:
            central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\\x01\\x02", 20, 20, 0, method,
                                   0, 0, crc, len(body), size, len(name), 0, 0, 0, 0, 0,
                                   len(out)) + name
            out += struct.pack("<4sHHHHHIIIHH", b"PK\\x03\\x04", 20, 0, method, 0, 0, crc,
                               len(body), size, len(name), 0) + name + body
        out += central + struct.pack("<4sHHHHIIH", b"PK\\x05\\x06", 0, 0, 2, 2, len(central),
                                     len(out), 0)
        bomb = tmp / "bomb.npz"
        bomb.write_bytes(out)
        assert zipfile.ZipFile(bomb).getinfo("params/w.npy").file_size > 1 << 30
        print("bomb bytes", bomb.stat().st_size)
        assert bomb.stat().st_size < 5 << 20
        for path in (huge, bomb):
            start = time.perf_counter()
            try:
                load_checkpoint(path)
            except ValueError as exc:
                print(type(exc).__name__, round(time.perf_counter() - start, 3), exc)
        """
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("ValueError"), lines
    assert "declares the shape (1000000000000,)" in lines[1]
    assert lines[2].startswith("ValueError"), lines
    assert "is compressed" in lines[2]
    assert all(float(line.split()[1]) < 1.0 for line in lines[1:]), lines


# --- every array is checked against the run before use ----------------------------


def _tampered(ck: Checkpoint) -> dict[str, tuple[dict[str, Any], dict[str, np.ndarray], str]]:
    """name: (meta, arrays, what the message says); written with numpy.savez, unchecked."""
    meta, arrays = ck.meta, ck.arrays
    w = arrays["params/weight"]
    return {
        "slots of the wrong type": ({**meta, "slots": "exp_avg"}, arrays, "names"),
        "slots as a list": ({**meta, "slots": ["x"]}, arrays, "names"),
        "a slot missing": (meta, {k: v for k, v in arrays.items() if k != "state/bias/exp_avg"},
                           r"lacks the arrays \['state/bias/exp_avg'\]"),
        "an extra array": (meta, {**arrays, "evil": np.ones(1)}, r"no use for: \['evil'\]"),
        "wrong shape": (meta, {**arrays, "params/weight": np.ones(1)},
                        r"'weight' of shape \(3,\)\. Got shape \(1,\)"),
        "wrong shape, broadcastable": (meta, {**arrays, "state/weight/exp_avg": np.ones((1, 3))},
                                       r"shape \(1, 3\)"),
        "float32": (meta, {**arrays, "params/weight": w.astype(np.float32)}, "float32"),
        "integers": (meta, {**arrays, "params/weight": w.astype(np.int64)}, "int64"),
        "NaN parameters": (meta, {**arrays, "params/weight": w * np.nan}, "not all finite"),
        "infinite slot": (meta, {**arrays, "state/weight/exp_avg_sq": w * np.inf},
                          "finite slots"),
        "negative square": (meta, {**arrays, "state/bias/exp_avg_sq": -np.ones(1)}, ">= 0"),
        "step as a float": ({**meta, "step": 5.0}, arrays, "not a position"),
        "step as a bool": ({**meta, "step": True}, arrays, "not a position"),
        "step past the end": ({**meta, "step": 99}, arrays, "not a position"),
        "negative step": ({**meta, "step": -1}, arrays, "not a position"),
        "history longer than step": ({**meta, "step": 3}, arrays, r"\(3,\)"),
        "relabelled epochs": (meta, {**arrays, "epochs/epoch": arrays["epochs/epoch"] + 1},
                              "not this schedule's"),
        "NaN batch loss": (meta, {**arrays, "history/loss": arrays["history/loss"] * np.nan},
                           "history/loss is not all finite"),
        "history of another dtype": (
            meta, {**arrays, "history/step": arrays["history/step"].astype(np.float64)},
            "'history/step' is float64"),
        "param names": ({**meta, "param_names": ["bias", "weight", "x"]}, arrays, "names"),
    }  # fmt: skip


def test_every_array_is_checked_against_the_run(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "run.npz"
    run(path, checkpoint_every=5)  # step 10: the end
    ck = load_checkpoint(path)
    for name, (meta, arrays, message) in _tampered(ck).items():
        bad = tmp_path / f"{name}.npz"
        _npz(bad, meta, arrays)
        data = bad.read_bytes()
        with pytest.raises(ValueError, match=message) as info:
            run(bad, resume=True, checkpoint_every=5)
        assert not isinstance(info.value, minigd.DivergenceError), name
        assert str(bad) in str(info.value), name
        assert bad.read_bytes() == data, name


# --- fuzz: byte flips and truncations of a valid file -----------------------------

FUZZ = """
import json, os, pathlib, sys
import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st
import minigd
from minigd.checkpoint import load_checkpoint

tmp = pathlib.Path(sys.argv[1])
examples, stress = int(sys.argv[2]), sys.argv[3] == "stress"
X, Y = minigd.datasets.make_regression(24, 3, noise=0.1, seed=3)
ARGS = (minigd.models.LinearRegression(3), X, Y, minigd.Schedule(24, 5, 2),
        minigd.optim.Adam(lr=0.05))
good = tmp / "good.npz"
minigd.fit(*ARGS, seed=0, checkpoint=good, checkpoint_every=3)  # step 9 of 10
full = minigd.fit(*ARGS, seed=0)
DATA = good.read_bytes()
seen = {"tried": 0, "loaded": 0, "refused": 0, "resumed": 0}

@settings(max_examples=examples, derandomize=not stress, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(
    flips=st.lists(st.tuples(st.integers(0, len(DATA) - 1), st.integers(1, 255)), max_size=4),
    cut=st.one_of(st.none(), st.integers(0, len(DATA) - 1)),
)
def fuzz(flips, cut):
    data = bytearray(DATA)
    for at, mask in flips:
        data[at] ^= mask
    if cut is not None:
        data = data[:cut]
    path = tmp / "fuzzed.npz"
    path.write_bytes(bytes(data))
    seen["tried"] += 1
    try:
        load_checkpoint(path)
    except ValueError as exc:
        assert str(path) in str(exc)
        seen["refused"] += 1
    else:
        seen["loaded"] += 1
    try:
        resumed = minigd.fit(*ARGS, seed=0, checkpoint=path, checkpoint_every=3, resume=True)
    except ValueError as exc:
        assert str(path) in str(exc), exc
        return
    seen["resumed"] += 1
    for k in full.params:
        assert np.array_equal(full.params[k], resumed.params[k])
    assert np.array_equal(full.history["loss"], resumed.history["loss"])

fuzz()
print(json.dumps(seen))
"""


def run_fuzz(tmp: pathlib.Path, examples: int, timeout: float) -> dict[str, int]:
    """Byte flips and truncations of a valid checkpoint, in a bounded subprocess."""
    stress = os.environ.get("MINIGD_HYPOTHESIS") == "stress"
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", _BOUNDED + FUZZ, str(tmp), str(examples),
         "stress" if stress else "derandomized"],
        capture_output=True, text=True, timeout=timeout, env=env, check=False, cwd=tmp,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    counts: dict[str, int] = json.loads(result.stdout.splitlines()[-1])
    return counts


def test_fuzzed_files_load_as_a_checkpoint_or_fail_with_a_value_error(
    tmp_path: pathlib.Path,
) -> None:
    stress = os.environ.get("MINIGD_HYPOTHESIS") == "stress"
    counts = run_fuzz(tmp_path, 5000 if stress else 200, timeout=1200 if stress else 120)
    assert counts["tried"] == counts["loaded"] + counts["refused"]
    assert counts["refused"] > counts["tried"] // 2
    print(counts)


# --- a process killed while it saves ----------------------------------------------

KILLED = """
import sys
import minigd
X, Y = minigd.datasets.make_regression(24, 3, noise=0.1, seed=3)
minigd.fit(minigd.models.LinearRegression(3), X, Y, minigd.Schedule(24, 1, 60),
           minigd.optim.Adam(lr=0.01), seed=0, checkpoint=sys.argv[1], checkpoint_every=1)
"""


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2])
def test_a_run_killed_while_saving_resumes_and_its_next_save_cleans_up(
    tmp_path: pathlib.Path, delay: float
) -> None:
    import signal
    import time

    path = tmp_path / "run.npz"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-c", KILLED, str(path)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not path.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(delay)  # most of a run's time is in its saves (each one fsyncs)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    assert load_checkpoint(path).meta["step"] >= 1  # whatever the moment, a whole checkpoint
    args = (MODEL, X, Y, Schedule(24, 1, 60), Adam(lr=0.01))
    resumed = fit(*args, seed=0, checkpoint=path, resume=True)  # saves at each epoch's end
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]  # no temporary file is left
    full = fit(*args, seed=0)
    for name in full.params:
        np.testing.assert_array_equal(resumed.params[name], full.params[name], strict=True)
    np.testing.assert_array_equal(resumed.history["loss"], full.history["loss"], strict=True)
