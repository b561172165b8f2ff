"""Hugging Face ``Trainer`` on 2 CPU processes (accelerate, gloo), one case after another.

Each case: ``n`` rows, ``per_device_train_batch_size=b``,
``num_train_epochs=e``, ``gradient_accumulation_steps=k``, ``max_steps``,
``dataloader_drop_last=drop``. Each rank reports the trainer's state, the
length of its training dataloader, its batches per epoch and the rows it
computed. Run by tests/conformance/test_live_ddp.py::

    python -m tests.conformance.live.huggingface_ddp CASES.json OUT.json
"""

from __future__ import annotations

import itertools
import tempfile
import warnings
from typing import Any

from tests.conformance.live import _ranks


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    import torch
    import transformers

    transformers.logging.set_verbosity_error()
    n = case["n"]
    seen = {"rows": 0, "batches": 0, "per_epoch": [], "len": None}

    class Tiny(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layer = torch.nn.Linear(2, 1)

        def forward(self, x: Any, labels: Any) -> dict[str, Any]:
            if self.training:
                seen["rows"] += len(x)
                seen["batches"] += 1
            return {"loss": torch.nn.functional.mse_loss(self.layer(x), labels)}

    class Rows(torch.utils.data.Dataset):  # type: ignore[type-arg]
        def __init__(self) -> None:
            self.x = torch.randn(n, 2, generator=torch.Generator().manual_seed(0))

        def __len__(self) -> int:
            return n

        def __getitem__(self, i: int) -> dict[str, Any]:
            return {"x": self.x[i], "labels": self.x[i].sum(dim=0, keepdim=True)}

    class Count(transformers.TrainerCallback):  # type: ignore[misc]
        def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            seen["len"] = len(kw["train_dataloader"])

        def on_epoch_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            seen["per_epoch"].append(seen["batches"])

    with tempfile.TemporaryDirectory() as root:
        args = transformers.TrainingArguments(
            output_dir=root,
            per_device_train_batch_size=case["b"],
            gradient_accumulation_steps=case["k"],
            num_train_epochs=case["e"],
            max_steps=case.get("max_steps") or -1,
            dataloader_drop_last=case["drop"],
            report_to=[],
            save_strategy="no",
            logging_strategy="no",
            use_cpu=True,
            disable_tqdm=True,
            learning_rate=0.01,
        )
        trainer = transformers.Trainer(
            model=Tiny(), args=args, train_dataset=Rows(), callbacks=[Count()]
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trainer.train()
    starts = [*seen["per_epoch"], seen["batches"]]
    return {
        "world_size": args.world_size,
        "global_step": trainer.state.global_step,
        "max_steps": trainer.state.max_steps,
        "epoch": trainer.state.epoch,
        "len_train_dataloader": seen["len"],
        "batches_per_epoch": [b - a for a, b in itertools.pairwise(starts)],
        "rows": seen["rows"],
    }


if __name__ == "__main__":
    _ranks.main("tests.conformance.live.huggingface_ddp", run_case)
