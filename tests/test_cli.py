"""The command line: tables, JSON, the Q&A, and one-line errors."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import minigd as minigd_package
from minigd.cli import get_parser, main


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # these tests read the content; the layout at 80 columns has its own tests
    monkeypatch.setenv("COLUMNS", "250")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "explain", "--n-samples", "100", "--batch-size", "5", "--epochs", "30"
    )
    assert code == 0
    assert "steps per epoch" in out
    assert " 600 " in out
    assert "3,000" in out


def test_explain_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "explain",
        "-n",
        "100",
        "-b",
        "3",
        "-e",
        "4",
        "--drop-last",
        "--sampling",
        "sequential",
        "--iteration",
        "epoch",
        "--steps-per-epoch",
        "10",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["drop_last"] is True
    assert data["sampling"] == "sequential"
    assert data["steps_per_epoch"] == 10
    assert data["total_steps"] == 40
    assert data["iterations"] == 4


def test_explain_draw_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "explain", "-n", "100", "-b", "1", "-e", "500", "--epoch", "draw", "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["total_steps"] == 500
    assert data["exposures"]["mean"] == 5.0


def test_explain_korean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "-n", "100", "-b", "5", "-e", "30", "--lang", "ko")
    assert code == 0
    assert "에포크당 스텝" in out
    assert "이터레이션" in out


def test_qa(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "--qa")
    assert code == 0
    assert "MIXED" in out
    assert "10,000" in out
    assert "need batch size 1" in out
    assert "Keras model.optimizer.iterations" in out
    code, out, _ = run(capsys, "explain", "--qa", "--lang", "ko")
    assert code == 0
    assert "섞임" in out
    assert "Keras의 model.optimizer.iterations" in out
    code, out, _ = run(capsys, "explain", "--qa", "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) >= {"student", "follow_up"}


#: a small schedule for the explain options' error cases
TEN = ["explain", "-n", "10", "-b", "2", "-e", "1"]


@pytest.mark.parametrize(
    ("sharding", "per_replica"),
    # 101 rows, batches of 5, 2 replicas: by hand, ceil(101/2) = 51, floor(101/2) = 50,
    # and 21 batches dealt in turn, 11 each (the last round completed): 55 rows
    [(None, 51), ("pad", 51), ("drop", 50), ("batches", 55)],
)
def test_explain_world_size_and_sharding(
    capsys: pytest.CaptureFixture[str], sharding: str | None, per_replica: int
) -> None:
    argv = ["explain", "-n", "101", "-b", "5", "-e", "3", "--world-size", "2"]
    argv += [] if sharding is None else ["--sharding", sharding]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("sharding"))
    assert row.split()[4:7] == [sharding or "pad", str(per_replica), "rows"]
    code, out, _ = run(capsys, *argv, "--json")
    assert (code, json.loads(out)["sharding"]) == (0, sharding or "pad")
    code, out, _ = run(capsys, *argv, "--lang", "ko")
    row = next(line for line in out.splitlines() if line.startswith("샤딩"))
    assert f"복제본마다 {per_replica}행" in row


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explain", "-n", "0", "-b", "1", "-e", "1"], "-n/--n-samples: must be a whole number"),
        (["explain", "-n", "x"], "-n/--n-samples: must be a whole number from 1 to"),
        (["explain", "-n", "10", "-b", "2"], "explain needs --epochs"),
        (["explain", "-n", "10", "-b", "2", "-e", "1", "--epoch", "steps"], "invalid choice"),
        (["explain", "--qa", "-n", "10"], "--qa uses the Q&A's own numbers"),
        (["explain", "--qa", "--sharding", "drop"], "drop --sharding"),
        ([*TEN, "--sharding", "drop"],
         "--sharding drop: one replica takes every row; give --world-size 2 or more"),
        ([*TEN, "--world-size", "1", "--sharding", "pad"], "--sharding pad: one replica"),
        ([*TEN, "--world-size", "2", "--epoch", "draw", "--sharding", "batches"],
         "under --epoch draw each replica draws its own batch"),
        ([*TEN, "--world-size", "2", "--sharding", "cut"],
         "argument --sharding: invalid choice: 'cut'"),
        ([*TEN, "--world-size", "0"], "--world-size: must be a whole number from 1 to"),
        ([*TEN, "--world-size", "11", "--sharding", "drop"],
         "'world_size' parameter of Schedule must be <= n_samples=10 when sharding='drop'"),
        (["explain", "-n", "10", "-b", "20", "-e", "1", "--drop-last"], "drop_last=True"),
        (["bogus"], "invalid choice: 'bogus'"),
        ([], None),
    ],
)  # fmt: skip
def test_bad_flags_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str | None
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    if message is not None:
        assert err.count("\n") == 1
        assert err.startswith("minigd: error: ")
        assert message in err
        assert "Traceback" not in err + out


def test_parser_is_public() -> None:
    assert get_parser().prog == "minigd"


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "minigd", "explain", "-n", "100", "-b", "5", "-e", "30", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["total_steps"] == 600
    bad = subprocess.run(
        [sys.executable, "-m", "minigd", "explain", "-n", "-1", "-b", "5", "-e", "30"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr


def test_demo_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--epochs", "20")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Linear regression, 100 samples")
    assert len(lines) == 3 + 6 + 4  # title, headings, rule, six runs, what to notice
    assert lines[9] == "What to notice:"
    assert "wall time: batch-1 SGD" in out
    assert "2,000" in out  # SGD, pass: 100 updates per epoch x 20


def test_demo_korean_and_plot(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    pytest.importorskip("matplotlib")
    target = f"{tmp_path}/curves.png"
    code, out, _ = run(capsys, "demo", "--epochs", "3", "--lang", "ko", "--plot", target)
    assert code == 0 and "확률적 경사 하강법" in out  # noqa: PT018
    with open(target, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def significant_digits(cell: str) -> int:
    # the oracle, by hand: digits after the leading zeros, trailing zeros included
    return len(cell.replace(".", "").lstrip("0"))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("epochs", ["20", "333", "7"])
def test_demo_columns_keep_one_number_format(
    capsys: pytest.CaptureFixture[str], epochs: str, lang: str
) -> None:
    # a student saw 0.0082 beside 0.00821 and 0.01 beside 0.011 in one column
    code, out, _ = run(capsys, "demo", "--epochs", epochs, "--lang", lang)
    assert code == 0
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    rows = [line.split() for line in lines[rule + 1 : rule + 7]]
    for cells in rows:
        seen, uses, loss, seconds = cells[-4:]
        assert significant_digits(loss) == 3, loss
        assert len(seconds.partition(".")[2]) == 3, seconds
        assert float(uses.replace(",", "")) == int(seen.replace(",", "")) / 100  # exact


def test_one_epoch_is_singular(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--epochs", "1")
    assert code == 0
    words = " ".join(out.split())
    assert out.startswith("Linear regression, 100 samples, 5 features, SGD lr=0.02, 1 epoch\n")
    assert "the original one just stops after 1 sample" in words
    _, out, _ = run(capsys, "demo", "--epochs", "2")
    assert out.startswith("Linear regression, 100 samples, 5 features, SGD lr=0.02, 2 epochs\n")
    code, out, _ = run(capsys, "translate", "--from", "keras", "-n", "5", "batch_size=5")
    assert "1 step per epoch, 1 step, 5 samples seen" in " ".join(out.split())


@pytest.mark.parametrize(
    "argv", [["demo", "--epochs", "0"], ["demo", "--seed", "-2"], ["demo", "--lang", "fr"]]
)
def test_demo_bad_flags(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1  # noqa: PT018


def test_translate_from_huggingface(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "translate",
        "--from",
        "huggingface",
        "--n-samples",
        "50000",
        "per_device_train_batch_size=8",
        "gradient_accumulation_steps=4",
        "num_train_epochs=3",
        "world_size=2",
        "--to",
        "keras",
        "lightning",
    )
    assert code == 0
    flat = " ".join(out.split())  # the arguments wrap at the terminal's width
    assert (
        "lightning: DataLoader(batch_size=8, shuffle=True, drop_last=False), "
        "Trainer(max_epochs=3, accumulate_grad_batches=4, devices=2)"
    ) in flat
    assert "keras cannot run this schedule exactly" in out
    assert "trainer.global_step" in out and "2,346" in out  # noqa: PT018


def test_translate_in_korean_keeps_codes_out_of_the_reasons(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys,
        "translate",
        "--from",
        "keras",
        "-n",
        "100",
        "batch_size=3",
        "epochs=2",
        "--lang",
        "ko",
    )
    assert code == 0
    assert "프레임워크마다 보고할 값" in out
    assert "sklearn-sgd에서는 이 스케줄을 정확히 실행할 수 없습니다: SGDRegressor는" in out
    assert "cannot run" not in out


def test_translate_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "translate", "--from", "keras", "-n", "100", "batch_size=5", "epochs=30", "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["counters"]["lightning"]["trainer.global_step"] == 600
    assert data["to"]["pytorch"]["DataLoader"]["batch_size"] == 5  # keyed by who takes it


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["translate", "--from", "keras", "-n", "100", "batchsize=5"], "does not know"),
        (["translate", "--from", "keras", "-n", "100", "batch_size"], "NAME=VALUE"),
        (["translate", "--from", "jax", "-n", "100"], "invalid choice: 'jax'"),
        (["translate", "--from", "keras"], "required: -n/--n-samples"),
    ],
)
def test_translate_bad_input(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1
    assert message in err


# --- the terminal: 80 columns, every language ---------------------------------------

WIDE_COMMANDS = [
    ["demo", "--epochs", "3"],
    ["explain", "-n", "100", "-b", "5", "-e", "30"],
    ["explain", "-n", "50000", "-b", "8", "-e", "3", "--epoch", "draw"],
    ["explain", "-n", "100", "-b", "7", "-e", "3", "--steps-per-epoch", "4", "--drop-last"],
    ["explain", "--qa"],
    ["explain", "-n", "101", "-b", "5", "-e", "3", "--world-size", "2", "--sharding", "batches"],
    ["explain", "-n", "101", "-b", "5", "-e", "3", "--world-size", "3", "--sharding", "drop",
     "--drop-last"],
    ["translate", "--from", "huggingface", "-n", "50000", "per_device_train_batch_size=8",
     "gradient_accumulation_steps=4", "num_train_epochs=3", "world_size=2"],
    ["translate", "--from", "keras", "-n", "100", "batch_size=3", "epochs=2",
     "steps_per_epoch=7"],
]  # fmt: skip


def display_width(line: str) -> int:
    # the oracle: terminals draw East Asian wide and full-width characters in two columns
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("argv", WIDE_COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_every_line_fits_80_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, *argv, "--lang", lang)
    assert code == 0
    assert shutil.get_terminal_size().columns == 80
    widest = max(out.splitlines(), key=display_width)
    assert display_width(widest) <= 80, widest


def test_a_narrow_table_keeps_its_numbers_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run(capsys, "demo", "--epochs", "20")
    rows = [line.split() for line in out.splitlines() if line.startswith(("GD ", "SGD "))]
    assert rows[1][:7] == ["SGD", "framework", "definition", "1", "2,000", "2,000", "20"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_qa_json_keys_do_not_change_with_the_language(
    capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    _, out, _ = run(capsys, "explain", "--qa", "--json", "--lang", lang)
    data = json.loads(out)
    assert list(data["student"]["rows"][0]) == [
        "method", "batch_size", "quantity", "claimed", "under_draw", "under_pass", "matches"
    ]  # fmt: skip
    assert list(data["instructor"]["rows"][0]) == ["count", "value", "meaning"]


def test_translate_to_prints_only_the_frameworks_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["translate", "--from", "keras", "-n", "100", "batch_size=5", "--to", "lightning"]
    _, out, _ = run(capsys, *argv)
    assert "lightning" in out
    assert not {"pytorch", "optax", "tf1", "huggingface"} & set(out.split())
    _, out, _ = run(capsys, *argv, "--json")
    data = json.loads(out)
    assert list(data["to"]) == list(data["counters"]) == ["lightning"]


# --- bad input: one line, exit 2, the argument as typed, before any work ------------

HUGE = str(10**400)
HOSTILE = [
    ["translate", "--from", "huggingface", "-n", "100", "num_train_epochs=inf"],
    ["translate", "--from", "huggingface", "-n", "100", "num_train_epochs=1e308"],
    ["translate", "--from", "huggingface", "-n", "100", "num_train_epochs=nan"],
    ["translate", "--from", "huggingface", "-n", "100", "num_train_epochs=-1"],
    ["translate", "--from", "huggingface", "-n", "100", "max_steps=abc"],
    ["translate", "--from", "huggingface", "-n", "100", "gradient_accumulation_steps=0"],
    ["translate", "--from", "huggingface", "-n", "100", "dataloader_drop_last=maybe"],
    ["translate", "--from", "keras", "-n", "100", "gradient_accumulation_steps=0"],
    ["translate", "--from", "keras", "-n", "100", "shuffle=no"],
    ["translate", "--from", "keras", "-n", "100", "shuffle=maybe"],
    ["translate", "--from", "keras", "-n", "100", "epochs=" + HUGE],
    ["translate", "--from", "keras", "-n", "100", "epochs=-1e400"],
    ["translate", "--from", "keras", "-n", "100", "batch_size=5", "batch_size=6"],
    ["translate", "--from", "keras", "-n", "100", "=5"],
    ["translate", "--from", "keras", "-n", "100", "epochs=" + "9" * 5000],
    ["translate", "--from", "lightning", "-n", "100", "max_steps=0"],
    ["translate", "--from", "lightning", "-n", "100", "max_epochs=x", "max_steps=x"],
    ["translate", "--from", "pytorch", "-n", "100", "epochs=-3"],
    ["translate", "--from", "pytorch", "-n", "100", "world_size=1.5"],
    ["translate", "--from", "optax", "-n", "100", "sampling=sideways"],
    ["translate", "--from", "sklearn-mlp", "-n", "100", "batch_size=big"],
    ["translate", "--from", "sklearn-sgd", "-n", "1e3"],
    ["translate", "--from", "tf1", "-n", HUGE],
    ["explain", "-n", HUGE, "-b", "5", "-e", "3"],
    ["explain", "-n", "100", "-b", "5", "-e", HUGE],
    ["explain", "-n", "100", "-b", HUGE, "-e", "3"],
    ["explain", "-n", "100", "-b", "5", "-e", "3", "--steps-per-epoch", HUGE],
    ["explain", "-n", "100", "-b", "5", "-e", "nan"],
    ["explain", "-n", "100", "-b", "5", "-e", "-0"],
    ["explain", "-n", "100", "-b", "5", "-e", "1e3"],
    ["explain", "-n", "100", "-b", "5", "-e", "3", "--epoch", "draw", "--drop-last"],
    ["explain", "-n", "100", "-b", "5", "-e", "3", "--lang", "한국어"],
    ["demo", "--epochs", "100000000"],
    ["demo", "--epochs", "inf"],
    ["demo", "--seed", HUGE],
    ["demo", "--seed", "-1"],
    ["demo", "--epochs", "2", "--plot", "x.pgf"],
    ["demo", "--epochs", "2", "--plot", ""],
    ["demo", "--epochs", "2", "--plot", "no-such-folder/x.png"],
    ["--bad\nflag"],
    ["explain", "--n-samples\tx"],
]  # fmt: skip


#: the subprocesses import the minigd under test, whatever their working folder
HERE = {"PYTHONPATH": str(Path(minigd_package.__file__).parents[1])}


def _limited() -> None:
    # a command that allocated without bound would hit this, not the machine
    resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))


def minigd(
    *argv: str,
    cwd: object,
    env: dict[str, str] | None = None,
    limits: Any = _limited,
    timeout: float = 10,
) -> Any:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "minigd", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, **HERE, "PYTHONIOENCODING": "utf-8", **(env or {})},
        preexec_fn=limits,
        check=False,
    )
    done.seconds = time.perf_counter() - started
    return done


@pytest.mark.parametrize("argv", HOSTILE, ids=lambda a: repr(" ".join(a))[:60])
def test_hostile_arguments_exit_2_in_one_line_within_2_seconds(
    tmp_path: Path, argv: list[str]
) -> None:
    done = minigd(*argv, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr.startswith("minigd: error: ")
    assert done.stderr.count("\n") == 1, done.stderr
    for internal in ("Traceback", "not supported between", "unary", "convert float", "Error:"):
        assert internal not in done.stderr
    assert done.seconds < 2, done.seconds
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["translate", "--from", "huggingface", "-n", "100", "num_train_epochs=1e308"],
         "num_train_epochs=1e308"),
        (["translate", "--from", "huggingface", "-n", "100", "gradient_accumulation_steps=0"],
         "gradient_accumulation_steps=0"),
        (["translate", "--from", "huggingface", "-n", "100", "per_device_train_batch_size=0"],
         "per_device_train_batch_size=0"),
        (["translate", "--from", "keras", "-n", "100", "shuffle=no"], "shuffle=no"),
        (["translate", "--from", "lightning", "-n", "100", "max_steps=0"], "max_steps=0"),
        (["explain", "-n", "100", "-b", "5", "-e", HUGE], "-e/--epochs"),
        (["demo", "--epochs", "100000000"], "--epochs"),
        (["--bad\nflag"], "--bad\\nflag"),
    ],
)  # fmt: skip
def test_the_message_names_the_argument_as_typed(
    capsys: pytest.CaptureFixture[str], argv: list[str], named: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert named in err, err


def test_huggingface_takes_its_own_boolean_spellings(capsys: pytest.CaptureFixture[str]) -> None:
    # transformers' HfArgumentParser reads booleans with string_to_bool: yes/no, t/f, y/n, 1/0
    for typed, value in [("no", False), ("YES", True), ("0", False), ("t", True)]:
        argv = ["translate", "--from", "huggingface", "-n", "100", "--json"]
        code, out, _ = run(capsys, *argv, f"dataloader_drop_last={typed}")
        assert code == 0
        assert json.loads(out)["schedule"]["drop_last"] is value


def test_huge_epochs_with_a_keras_cap_return_in_2_seconds(tmp_path: Path) -> None:
    # Keras's rule is O(1) in the epochs (issue 17): endless data runs every capped step;
    # finite data cuts epochs short, which a Schedule cannot express: one line, exit 2
    argv = ["translate", "--from", "keras", "-n", "100", "epochs=1000000000000"]
    done = minigd(*argv, "steps_per_epoch=3", "data=endless", cwd=tmp_path, timeout=3)
    assert done.returncode == 0 and done.seconds < 2  # noqa: PT018
    assert "3,000,000,000,000 steps" in " ".join(done.stdout.split())
    done = minigd(*argv, "steps_per_epoch=3", cwd=tmp_path, timeout=3)
    assert done.returncode == 2 and done.seconds < 2  # noqa: PT018
    assert done.stderr.count("\n") == 1 and "data='endless'" in done.stderr  # noqa: PT018


def test_korean_on_an_ascii_terminal_says_so(tmp_path: Path) -> None:
    done = minigd(
        "explain", "--qa", "--lang", "ko", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"}
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "--lang ko" in done.stderr and "PYTHONIOENCODING=utf-8" in done.stderr  # noqa: PT018


READER = """
import subprocess, sys
head = int(sys.argv[1])
minigd = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
for _ in range(head):  # head: read that many lines (none: close before minigd writes)
    minigd.stdout.readline()
minigd.stdout.close()
err = minigd.stderr.read()
print(minigd.wait(), len(err))
"""


@pytest.mark.parametrize("head", [0, 3])
@pytest.mark.parametrize(
    "argv",
    [["demo", "--epochs", "20"], ["explain", "--qa"], ["explain", "-n", "9", "-b", "2", "-e", "1"]],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_reader_that_closes_early_always_gets_status_0(
    tmp_path: Path, argv: list[str], head: int
) -> None:
    # `minigd demo | head -3` ended 0 or 1 by a race (whether head closed the pipe
    # before minigd's last write); a reader that quits before the first write and
    # one that reads 3 lines then quits must both see 0 and nothing on stderr
    reader = subprocess.run(
        [sys.executable, "-c", READER, str(head), sys.executable, "-m", "minigd", *argv],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        env={**os.environ, **HERE},
        preexec_fn=_limited,
        check=True,
    )
    assert reader.stdout.split() == ["0", "0"], reader.stdout


def test_plot_to_a_folder_is_refused_before_training(tmp_path: Path) -> None:
    done = minigd("demo", "--plot", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "it is a folder" in done.stderr  # noqa: PT018
    assert done.seconds < 2
    assert list(tmp_path.iterdir()) == []


def test_plot_to_an_unwritable_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # as root (CI) every folder can be written: os.access is made to see a read-only one
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: mode != os.W_OK and real(path, mode, **kw)
    )
    code, out, err = run(capsys, "demo", "--plot", str(tmp_path / "x.png"))
    assert code == 2
    assert "cannot be written" in err
    assert out == ""  # refused before any training
    assert list(tmp_path.iterdir()) == []


def test_plot_to_a_full_device_is_an_error_and_leaves_no_file(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")

    def full_device() -> None:  # files may not grow past 1 KiB: a write fails as on a full disk
        _limited()
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    target = tmp_path / "curves.png"
    done = minigd("demo", "--epochs", "2", "--plot", str(target), cwd=tmp_path, limits=full_device)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("minigd: error: cannot write --plot")
    assert done.stderr.count("\n") == 1
    assert not target.exists()


def test_an_argument_after_to_is_not_taken_for_a_framework(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # --to takes every word after it: foo=1 there was "an invalid choice" of framework
    code, _, err = run(
        capsys, "translate", "--from", "keras", "-n", "100", "--to", "keras", "foo=1"
    )
    assert code == 2
    assert "invalid choice: 'foo=1'" in err
    assert "NAME=VALUE arguments go before --to" in err
    code, _, err = run(capsys, "translate", "--from", "keras", "-n", "100", "--to", "jax")
    assert "NAME=VALUE" not in err  # a misspelled framework is only that


@pytest.mark.parametrize(
    ("assignments", "message"),
    [
        (
            ["foo=1"],
            "translate --from keras got arguments it does not know: ['foo']; 'keras' takes [",
        ),
        (
            ["gradient_accumulation_steps=0"],
            "gradient_accumulation_steps=0: The 'gradient_accumulation_steps' parameter of "
            "translate --from keras must be an int in the range [1, inf). Got 0 instead.",
        ),
    ],
)
def test_translate_names_the_command_not_a_python_call(
    capsys: pytest.CaptureFixture[str], assignments: list[str], message: str
) -> None:
    code, _, err = run(capsys, "translate", "--from", "keras", "-n", "100", *assignments)
    assert code == 2
    assert message in err
    for python in ("from_framework", "to_framework", "Schedule.", "(schedule"):
        assert python not in err
