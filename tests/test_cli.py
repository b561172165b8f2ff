"""The command line: tables, JSON, the Q&A, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from minigd.cli import get_parser, main


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


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explain", "-n", "0", "-b", "1", "-e", "1"], "'n_samples' parameter of Schedule"),
        (["explain", "-n", "x"], "invalid int value: 'x'"),
        (["explain", "-n", "10", "-b", "2"], "explain needs --epochs"),
        (["explain", "-n", "10", "-b", "2", "-e", "1", "--epoch", "steps"], "invalid choice"),
        (["explain", "--qa", "-n", "10"], "--qa uses the Q&A's own numbers"),
        (["explain", "-n", "10", "-b", "20", "-e", "1", "--drop-last"], "drop_last=True"),
        (["bogus"], "invalid choice: 'bogus'"),
        ([], None),
    ],
)
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
    assert "lightning: batch_size=8, shuffle=True, drop_last=False, max_epochs=3" in out
    assert "accumulate_grad_batches=4, devices=2" in out
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
    assert data["to"]["pytorch"]["batch_size"] == 5


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
