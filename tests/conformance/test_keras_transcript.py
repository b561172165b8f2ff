"""The Keras transcript on the Q&A pages against what Keras 3 really prints.

The pages show what a student sees after ``model.fit(X, y, batch_size=5,
epochs=30)``: ``Epoch 3/30`` headers and ``20/20`` bars. Here the pages' own
code blocks are run, and their transcript is compared line by line with the
output of a real Keras 3 run (torch backend, CPU), timings and losses elided.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from minigd.frameworks import ELIDED
from tests.conftest import require

pytestmark = pytest.mark.conformance
DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```python exec=\"on\"[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S)
TEXT = re.compile(r"```text\n(?P<body>.*?)```", re.S)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMING = re.compile(r"\d+s \d+(?:\.\d+)?(?:us|ms|s)/step")
LOSS = re.compile(r"loss: [-+0-9.eE]+|loss: nan")


def normalise(raw: str) -> list[str]:
    """What stays on screen: the text after the last carriage return, no colours or timings."""
    lines = []
    for line in ANSI.sub("", raw).split("\n"):
        line = line.split("\r")[-1].replace("\b", "").rstrip()
        line = TIMING.sub(ELIDED, line)
        line = LOSS.sub(f"loss: {ELIDED}", line)
        if line:
            lines.append(line)
    return lines


@pytest.fixture(scope="module")
def keras_output() -> list[str]:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras: Any = require("keras")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2)).astype("float32")
    y = X.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.fit(X, y, batch_size=5, epochs=30, verbose=1)
        print(">>> int(model.optimizer.iterations)")
        print(int(model.optimizer.iterations))
    return normalise(out.getvalue())


def page_transcripts(page: str) -> list[list[str]]:
    """Run each block of ``page`` that prints a Keras transcript; return its lines."""
    found = []
    for match in BLOCK.finditer((DOCS / page).read_text(encoding="utf-8")):
        body = match.group("body")
        if "keras_log(" not in body:
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(body, {"__name__": "page"})
        for text in TEXT.finditer(out.getvalue()):
            found.append(text.group("body").rstrip("\n").split("\n"))
    return found


def matches(shown: list[str], real: list[str]) -> bool:
    """``shown`` is ``real`` with runs of lines replaced by a lone ``...`` line."""
    chunks: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == "...":
            chunks.append([])
        else:
            chunks[-1].append(line)
    if real[: len(chunks[0])] != chunks[0] or real[len(real) - len(chunks[-1]) :] != chunks[-1]:
        return False
    position = len(chunks[0])
    for chunk in chunks[1:-1]:
        for start in range(position, len(real) - len(chunk) + 1):
            if real[start : start + len(chunk)] == chunk:
                position = start + len(chunk)
                break
        else:
            return False
    if len(chunks) == 1:
        return shown == real
    return position <= len(real) - len(chunks[-1])


def test_normalise_keeps_what_stays_on_screen() -> None:
    raw = (
        "Epoch 1/2\n\r\x1b[1m 1/20\x1b[0m ━ 0s 4ms/step - loss: 0.17\b\b"
        "\r20/20 ━━ 0s 2ms/step - loss: 1.34\n"
    )
    assert normalise(raw) == ["Epoch 1/2", f"20/20 ━━ {ELIDED} - loss: {ELIDED}"]


@pytest.mark.parametrize("page", ["qa.md", "qa.ko.md"])
def test_page_transcript_is_what_keras_prints(page: str, keras_output: list[str]) -> None:
    transcripts = page_transcripts(page)
    assert transcripts, f"{page} shows no Keras transcript"
    assert "Epoch 3/30" in keras_output
    assert keras_output[-1] == "600"  # model.optimizer.iterations counts batches
    for shown in transcripts:
        assert matches(shown, keras_output), (
            f"{page}'s transcript no longer matches Keras:\n" + "\n".join(shown)
        )
