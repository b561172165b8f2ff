"""Lightning ``Trainer(strategy="ddp", devices=2)`` on CPU, one case after another.

Each case: ``n`` rows, ``DataLoader(batch_size=b, shuffle=True, drop_last=drop)``,
``max_epochs=e``, ``accumulate_grad_batches=k``, ``max_steps``, and with
``sampler_drop`` the user's own ``DistributedSampler(drop_last=True)`` (which
Lightning keeps; otherwise it injects ``DistributedSampler(dataset,
num_replicas, rank)``). Each rank reports its counters, its batches per epoch
and the rows it computed. Run by tests/conformance/test_live_ddp.py::

    python -m tests.conformance.live.lightning_ddp CASES.json OUT.json
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from typing import Any

from tests.conformance.live import _ranks


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    import lightning.pytorch as pl
    import torch

    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
    logging.getLogger("lightning.fabric").setLevel(logging.ERROR)
    n, b = case["n"], case["b"]

    class Tiny(pl.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.layer = torch.nn.Linear(2, 1)
            self.rows = 0
            self.per_epoch: list[int] = []

        def on_train_epoch_start(self) -> None:
            self.per_epoch.append(0)

        def training_step(self, batch: Any, _: int) -> Any:
            x, y = batch
            self.rows += len(x)
            self.per_epoch[-1] += 1
            return torch.nn.functional.mse_loss(self.layer(x), y)

        def configure_optimizers(self) -> Any:
            return torch.optim.SGD(self.parameters(), lr=0.01)

    x = torch.randn(n, 2, generator=torch.Generator().manual_seed(0))
    data = torch.utils.data.TensorDataset(x, x.sum(dim=1, keepdim=True))
    if case.get("sampler_drop"):
        sampler = torch.utils.data.distributed.DistributedSampler(data, drop_last=True)
        loader = torch.utils.data.DataLoader(
            data, batch_size=b, sampler=sampler, drop_last=case["drop"]
        )
    else:
        loader = torch.utils.data.DataLoader(
            data, batch_size=b, shuffle=True, drop_last=case["drop"]
        )
    model = Tiny()
    with tempfile.TemporaryDirectory() as root:
        trainer = pl.Trainer(
            accelerator="cpu",
            devices=2,
            strategy="ddp",
            max_epochs=case["e"],
            max_steps=case.get("max_steps") or -1,
            accumulate_grad_batches=case["k"],
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            default_root_dir=root,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trainer.fit(model, loader)
    return {
        "world_size": trainer.world_size,
        "strategy": type(trainer.strategy).__name__,
        "global_step": trainer.global_step,
        "num_training_batches": trainer.num_training_batches,
        "estimated_stepping_batches": trainer.estimated_stepping_batches,
        "current_epoch": trainer.current_epoch,
        "batches_per_epoch": model.per_epoch,
        "rows": model.rows,
    }


if __name__ == "__main__":
    _ranks.main("tests.conformance.live.lightning_ddp", run_case)
