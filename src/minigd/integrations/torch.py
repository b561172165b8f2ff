"""PyTorch runs a minigd :class:`~minigd.Schedule`: a batch sampler and the updates it makes.

``ScheduleBatchSampler(schedule, seed, rank)`` gives ``DataLoader`` the rows
that replica ``rank`` computes in each micro-batch of one epoch, in the
order of ``schedule.batches(seed)``; :func:`updates` groups the loader's
batches into the updates they make. The loop on the "On real engines" page
trains ``torch.nn.Linear`` with ``torch.optim`` on them and gives the same
parameters as :func:`minigd.fit` (to ``rtol=1e-10`` in float64), in one
process and under ``DistributedDataParallel``.

Importing this module imports torch.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple

import torch.utils.data

from .._validation import (
    InstanceOf,
    Interval,
    Rule,
    check_int,
    describe_value,
    magnitude,
    message,
    validate_init,
)
from ..schedule import Schedule

__all__ = ["ScheduleBatchSampler", "Update", "updates"]


class _Piece(NamedTuple):
    """The micro-batches of one update that fall in the sampler's epoch."""

    step: int
    rows: list[list[int]]  # one list of row indices per micro-batch, in order
    micro_steps: int  # micro-batches of the whole update on one replica
    completes: bool  # the update's last micro-batch is in this epoch


class ScheduleBatchSampler(torch.utils.data.Sampler[list[int]]):
    """The row indices of one replica's micro-batches, one epoch per iteration.

    Pass it as ``DataLoader(dataset, batch_sampler=sampler)``. As with
    ``torch.utils.data.DistributedSampler``, one iteration is one epoch,
    chosen with :meth:`set_epoch`, and each replica (``rank``) builds its own
    sampler with the same ``seed``. An iteration yields, for each micro-batch
    of the epoch in training order, the rows that replica ``rank`` computes:
    exactly ``batch.parts[m * world_size + rank]`` for the micro-step ``m`` of
    each ``batch`` in ``schedule.batches(seed)`` that belongs to the epoch
    (pass and draw epochs, every sampling, ``drop_last``, the capped stream of
    ``steps_per_epoch``, ``max_steps``, accumulation and the shards of
    ``world_size`` replicas).

    Parameters
    ----------
    schedule : Schedule
        The training plan; ``schedule.world_size`` replicas.
    seed : int, default 0
        The root seed of the row order, as in ``minigd.fit(..., seed=seed)``.
        Every replica must use the same one (``None`` is refused for that
        reason).
    rank : int, default 0
        This replica, ``0 <= rank < schedule.world_size``
        (``torch.distributed.get_rank()``).

    Attributes
    ----------
    epoch : int
        The epoch the next iteration yields (0 until :meth:`set_epoch`).

    Raises
    ------
    TypeError
        ``schedule`` is not a :class:`~minigd.Schedule`; ``seed`` or
        ``rank`` is not an int.
    ValueError
        ``seed < 0``; ``rank`` outside ``[0, world_size - 1]``; an epoch of
        more micro-batches per replica than ``len()`` can return
        (``sys.maxsize``, ``2**63 - 1`` on 64-bit Python).

    Notes
    -----
    ``len(sampler)`` is the micro-batches this replica computes in the current
    epoch, so ``len(loader)`` is what ``schedule.counters("pytorch")`` calls
    ``len(loader)``. It is smaller in an epoch cut by ``max_steps``, 0 after
    the run's last update, and it varies from epoch to epoch when
    accumulation groups carry across epochs (micro-batches that no update
    applies are not yielded).

    As with ``DistributedSampler``, call :meth:`set_epoch` at the start of every
    epoch: without it each iteration yields epoch 0 again.

    Examples
    --------
    >>> from minigd import Schedule
    >>> s = Schedule(10, 2, 2, world_size=2, sampling="sequential")
    >>> sampler = ScheduleBatchSampler(s, seed=0, rank=1)
    >>> len(sampler), list(sampler)
    (3, [[1, 3], [5, 7], [9]])
    >>> [b.parts[1].tolist() for b in s.batches(0)][:3]
    [[1, 3], [5, 7], [9]]
    """

    schedule: Schedule
    seed: int
    rank: int

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "schedule": [InstanceOf(Schedule, "a minigd Schedule")],
        "seed": [Interval(int, 0, None)],
        "rank": [Interval(int, None, None)],  # its range depends on the schedule: the rule
    }
    _parameter_rules: ClassVar[list[Rule]] = [
        Rule(
            "rank", "in", lambda a: Interval(int, 0, a["schedule"].world_size - 1),
            "be {limit} (a replica of schedule.world_size)",
        ),
    ]  # fmt: skip

    def __init__(self, schedule: Schedule, seed: int = 0, rank: int = 0) -> None:
        validate_init(self, schedule=schedule, seed=seed, rank=rank)
        most = self._length(0)  # no later epoch is longer than the first
        if most > sys.maxsize:  # len() would raise OverflowError from Python's internals
            must = (
                f"have at most sys.maxsize = {sys.maxsize:,} micro-batches per epoch and "
                f"replica, the largest len(sampler) Python allows"
            )
            got = f"{most:,}" if most < 10**30 else magnitude(most)
            raise ValueError(message("schedule", "ScheduleBatchSampler", must, got))
        self.epoch = 0
        self._pieces: tuple[int, list[_Piece]] | None = None  # the last epoch's, kept

    def set_epoch(self, epoch: int) -> None:
        """Choose the epoch the next iteration yields (0-based), as ``DistributedSampler``.

        Raises
        ------
        TypeError, ValueError
            ``epoch`` is not an int in ``[0, schedule.epochs - 1]``.

        Examples
        --------
        >>> from minigd import Schedule
        >>> sampler = ScheduleBatchSampler(Schedule(4, 2, 2, sampling="sequential"))
        >>> sampler.set_epoch(1)
        >>> sampler.epoch, list(sampler)
        (1, [[0, 1], [2, 3]])
        """
        self.epoch = check_int(
            epoch,
            "epoch",
            "ScheduleBatchSampler.set_epoch",
            min_value=0,
            max_value=self.schedule.epochs - 1,
        )

    def _plan(self) -> list[_Piece]:
        """This epoch's micro-batches on this replica, grouped by the update they belong to."""
        s, e, r = self.schedule, self.epoch, self.schedule.world_size
        if self._pieces is not None and self._pieces[0] == e:  # updates() and the loader both ask
            return self._pieces[1]
        nb = s.batches_per_pass
        carried = nb is not None and s.accumulate_across_epochs
        found: list[_Piece] = []
        for batch in s.batches(self.seed, start=int(s.epoch_starts()[e])):
            micro_steps = len(batch.parts) // r
            if carried:  # a group may span two epochs: place each micro-batch
                assert nb is not None
                epochs = [(batch.step * s.accumulate + m) // nb for m in range(micro_steps)]
            else:
                epochs = [batch.epoch] * micro_steps
            if epochs[0] > e:
                break
            rows = [batch.parts[m * r + self.rank].tolist() for m in range(micro_steps)]
            mine = [part for part, epoch in zip(rows, epochs, strict=True) if epoch == e]
            found.append(_Piece(batch.step, mine, micro_steps, epochs[-1] == e))
        self._pieces = (e, found)
        return found

    def __iter__(self) -> Iterator[list[int]]:
        for piece in self._plan():
            yield from piece.rows

    def __len__(self) -> int:
        return self._length(self.epoch)

    def _length(self, e: int) -> int:
        """The micro-batches this replica computes in epoch ``e``."""
        s, k = self.schedule, self.schedule.accumulate
        nb = s.batches_per_pass
        if nb is not None and s.accumulate_across_epochs:
            # micro-batches e*nb .. (e+1)*nb - 1, of which the first total_steps*k are applied
            return max(0, min((e + 1) * nb, s.total_steps * k) - e * nb)
        updates = s.steps_in_epoch(e)
        if nb is None or k == 1:  # draw epochs, or one micro-batch per update
            return updates * k
        return min(updates * k, nb)  # the epoch's last group is flushed short

    def __repr__(self) -> str:
        return (
            f"ScheduleBatchSampler({self.schedule!r}, seed={self.seed}, rank={self.rank}) "
            f"at epoch {self.epoch}"
        )


class Update(NamedTuple):
    """One update's micro-batches from a ``DataLoader`` (see :func:`updates`).

    Attributes
    ----------
    step : int
        The update's 0-based global step (``batch.step`` in minigd).
    batches : list
        What the loader yielded for this update's micro-batches in this
        epoch, in order.
    micro_steps : int
        The micro-batches of the whole update on this replica: divide each
        micro-batch's loss by it, so the summed gradients are their mean.
    completes : bool
        True when this epoch holds the update's last micro-batch: call
        ``optimizer.step()``. False only for a group that carries into the
        next epoch (``accumulate_across_epochs=True``).

    Examples
    --------
    >>> Update(step=0, batches=[], micro_steps=1, completes=True).completes
    True
    """

    step: int
    batches: list[Any]
    micro_steps: int
    completes: bool


def updates(loader: torch.utils.data.DataLoader[Any]) -> Iterator[Update]:
    """Iterate ``loader`` for one epoch, grouping its batches into updates.

    The loader's ``batch_sampler`` must be a :class:`ScheduleBatchSampler`;
    call its ``set_epoch`` first. With ``accumulate=1`` every update has one
    batch.

    Parameters
    ----------
    loader : torch.utils.data.DataLoader
        Built with ``batch_sampler=ScheduleBatchSampler(...)``.

    Yields
    ------
    Update
        The update's global step, its batches in this epoch, the number of
        micro-batches it has on this replica, and whether it completes here.

    Raises
    ------
    TypeError
        ``loader`` is not a ``DataLoader`` over a ``ScheduleBatchSampler``.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from minigd import Schedule
    >>> s = Schedule(6, 2, 1, accumulate=2, sampling="sequential")
    >>> loader = DataLoader(TensorDataset(torch.arange(6)),
    ...                     batch_sampler=ScheduleBatchSampler(s))
    >>> [(u.step, [b[0].tolist() for b in u.batches], u.micro_steps) for u in updates(loader)]
    [(0, [[0, 1], [2, 3]], 2), (1, [[4, 5]], 1)]
    """
    sampler = getattr(loader, "batch_sampler", None)
    if not isinstance(loader, torch.utils.data.DataLoader) or not isinstance(
        sampler, ScheduleBatchSampler
    ):
        raise TypeError(
            f"The 'loader' parameter of updates must be a torch DataLoader built with "
            f"batch_sampler=ScheduleBatchSampler(...). Got {describe_value(loader)} "
            f"(batch_sampler {describe_value(sampler)}) instead."
        )
    batches = iter(loader)
    for piece in sampler._plan():
        mine = [next(batches) for _ in piece.rows]
        yield Update(piece.step, mine, piece.micro_steps, piece.completes)
