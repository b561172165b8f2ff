"""Lightning's and Hugging Face's counters, from real single-process runs.

Data-parallel runs (several processes) are in tests/conformance/test_live_ddp.py,
one launch per table.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from minigd import Schedule
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")

RNG = np.random.default_rng(7)


def cases() -> list[tuple[int, int, int, int, bool, int | None]]:
    fixed = [
        (100, 3, 2, 4, False, None),
        (100, 5, 3, 1, False, 50),
        (100, 3, 2, 4, True, None),
        (100, 3, 2, 1, True, None),
        (60, 7, 2, 3, False, 10),
        (100, 5, 10, 1, False, 50),  # max_steps ends the run in the 3rd of 10 epochs
    ]
    for _ in range(5):
        n = int(RNG.integers(5, 80))
        drop = bool(RNG.integers(0, 2))
        b = int(RNG.integers(1, n + 1 if drop else n + 6))
        fixed.append((n, b, int(RNG.integers(1, 4)), int(RNG.integers(1, 6)), drop, None))
    return fixed


def data(n: int) -> Any:
    x = torch.randn(n, 2, dtype=torch.float32, generator=torch.Generator().manual_seed(0))
    return torch.utils.data.TensorDataset(x, x.sum(dim=1, keepdim=True))


def lightning_module() -> Any:
    """A one-layer LightningModule (SGD, lr 0.01), Lightning's logs quieted."""
    pl = require("lightning.pytorch")
    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

    class Tiny(pl.LightningModule):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.layer = torch.nn.Linear(2, 1)

        def training_step(self, batch: Any, _: int) -> Any:
            x, y = batch
            return torch.nn.functional.mse_loss(self.layer(x), y)

        def configure_optimizers(self) -> Any:
            return torch.optim.SGD(self.parameters(), lr=0.01)

    return Tiny()


def huggingface_model_and_rows(n: int) -> tuple[Any, Any]:
    """A one-layer model the Trainer can train, and ``n`` rows of ``{"x", "labels"}``."""

    class Tiny(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layer = torch.nn.Linear(2, 1)

        def forward(self, x: Any, labels: Any) -> dict[str, Any]:
            return {"loss": torch.nn.functional.mse_loss(self.layer(x), labels)}

    class Rows(torch.utils.data.Dataset):  # type: ignore[type-arg]
        def __init__(self) -> None:
            self.inner = data(n)

        def __len__(self) -> int:
            return n

        def __getitem__(self, i: int) -> dict[str, Any]:
            x, y = self.inner[i]
            return {"x": x, "labels": y}

    return Tiny(), Rows()


@pytest.mark.parametrize(("n", "b", "e", "k", "drop", "max_steps"), cases())
def test_lightning(
    n: int, b: int, e: int, k: int, drop: bool, max_steps: int | None, tmp_path: Path
) -> None:
    pl = require("lightning.pytorch")
    loader = torch.utils.data.DataLoader(data(n), batch_size=b, shuffle=True, drop_last=drop)
    trainer = pl.Trainer(
        max_epochs=e,
        max_steps=-1 if max_steps is None else max_steps,
        accumulate_grad_batches=k,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=tmp_path,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.fit(lightning_module(), loader)
    s = Schedule.from_framework(
        "lightning",
        n,
        batch_size=b,
        max_epochs=e,
        shuffle=True,
        drop_last=drop,
        accumulate_grad_batches=k,
        max_steps=-1 if max_steps is None else max_steps,
    )
    c = s.counters("lightning")
    assert trainer.global_step == c["trainer.global_step"]
    assert trainer.num_training_batches == c["trainer.num_training_batches"]
    assert trainer.estimated_stepping_batches == c["trainer.estimated_stepping_batches"]
    assert trainer.current_epoch == c["trainer.current_epoch"]


@pytest.mark.parametrize(("n", "b", "e", "k", "drop", "max_steps"), cases())
def test_huggingface(
    n: int, b: int, e: int, k: int, drop: bool, max_steps: int | None, tmp_path: Path
) -> None:
    transformers = require("transformers")
    transformers.logging.set_verbosity_error()
    model, rows = huggingface_model_and_rows(n)
    args = transformers.TrainingArguments(
        output_dir=str(tmp_path),
        per_device_train_batch_size=b,
        gradient_accumulation_steps=k,
        num_train_epochs=e,
        max_steps=-1 if max_steps is None else max_steps,
        dataloader_drop_last=drop,
        report_to=[],
        save_strategy="no",
        logging_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
        learning_rate=0.01,
    )
    trainer = transformers.Trainer(model=model, args=args, train_dataset=rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.train()
    s = Schedule.from_framework(
        "huggingface",
        n,
        per_device_train_batch_size=b,
        gradient_accumulation_steps=k,
        num_train_epochs=e,
        max_steps=-1 if max_steps is None else max_steps,
        dataloader_drop_last=drop,
    )
    c = s.counters("huggingface")
    assert trainer.state.global_step == c["state.global_step"]
    assert trainer.state.max_steps == c["max_steps"]
    assert trainer.state.epoch == pytest.approx(c["state.epoch"])
    # given max_steps, the Trainer ignores num_train_epochs and counts its own epochs:
    # the Schedule's are those (what the round trip through its arguments preserves)
    assert trainer.state.num_train_epochs == s.epochs
