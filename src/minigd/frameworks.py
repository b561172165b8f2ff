"""What each framework's counters will read, and its arguments to and from a Schedule.

Every framework counts a run its own way; the conformance tests
(``tests/conformance`` in the repository) check each row against the real
framework:

| framework | what its counter counts |
| --- | --- |
| `"pytorch"` | your loop: `len(loader)` batches per epoch and replica |
| `"keras"` | `optimizer.iterations`: updates; accumulation carries over epochs |
| `"sklearn-sgd"` | `t_`: samples seen + 1 (batch size is always 1) |
| `"sklearn-mlp"` | `n_iter_`: epochs; `t_`: samples seen |
| `"lightning"` | `global_step`: optimizer steps; the last partial group steps |
| `"huggingface"` | `state.global_step`: updates; `state.epoch` is fractional |
| `"tf1"` | `global_step`: train-op runs, one per batch |
| `"optax"` | `count`: calls to `update`; `MultiSteps` carries over epochs |

Where a framework cannot run a schedule exactly, `FrameworkError` says
why (never a wrong number); where it runs the same arguments differently
(Keras's `steps_per_epoch` on finite data), the counters are Keras's and a
`"note"` says how they differ from the schedule's, while `to_framework`
refuses. Keras's counts depend on the kind of input, which `data="finite"`
or `data="endless"` states. Counters and translations name the release they
model (`"release"`); a translation's arguments are keyed by the object or call
that takes them, and go back into `from_framework` as they are.

Each framework is one class below (`Framework`), holding all it knows:
what it can run, what its counters read, and its arguments to and from a
Schedule, so each can be read against that framework's own documentation.
`REGISTRY` maps a framework's name to it. This module sees a Schedule
only through its public attributes, and returns plain values:
`from_framework` gives the keyword arguments that
`Schedule.from_framework` builds.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

from ._text import check_lang, text
from ._validation import (
    BOOL,
    NONE,
    Interval,
    check_memory,
    check_option,
    is_int,
    ratio,
    validate_params,
)
from .counting import counting_for

if TYPE_CHECKING:
    from .schedule import Schedule

__all__ = [
    "ELIDED",
    "FRAMEWORKS",
    "KERAS_BAR",
    "REGISTRY",
    "Framework",
    "FrameworkError",
    "counter_notes",
    "counters",
    "flat_arguments",
    "from_framework",
    "keras_log",
    "to_framework",
]

#: Keras 3's finished progress bar (``verbose=1``): twenty heavy box-drawing lines.
KERAS_BAR = "\u2501" * 20
#: What stands for the timings and the loss, which differ from run to run.
ELIDED = "\u2026"


class FrameworkError(ValueError):
    """A framework cannot express this schedule exactly.

    The message is English, as every raised exception's is. The reason is also
    kept as data, so that a page or ``minigd translate --lang ko`` can show it
    in the reader's language (:meth:`describe`).

    A reason found while reading a framework's own arguments
    (``from_framework``) says what the framework does with them, and that no
    Schedule states it ("no Schedule states what keras runs with these
    arguments: ..."); the others say that the framework cannot run the
    schedule.

    Attributes
    ----------
    framework : str
        The framework that cannot run the schedule.
    code : str
        Which reason, a stable key (``"draw_epochs"``, ``"keras_drop_last"``, ...).
    fields : dict
        The values the reason's words mention.

    Examples
    --------
    >>> from minigd import Schedule
    >>> try:
    ...     Schedule(100, 5, 3, epoch="draw").counters("keras")
    ... except FrameworkError as exc:
    ...     print(exc.code)
    ...     print(str(exc)[:46])
    ...     print(exc.describe("ko")[:30])
    draw_epochs
    keras cannot run this schedule exactly: its ep
    keras에서는 이 스케줄을 정확히 실행할 수 없습니다
    """

    def __init__(self, framework: str, code: str, **fields: Any) -> None:
        self.framework = framework
        self.code = code
        self.fields = fields
        super().__init__(self.describe("en"))

    def reason(self, lang: str = "en") -> str:
        """The reason alone, in ``lang`` (``"en"`` or ``"ko"``).

        Examples
        --------
        >>> FrameworkError("keras", "keras_max_steps").reason("ko")
        'Keras의 fit에는 max_steps가 없습니다'
        """
        lang = check_lang(lang, "FrameworkError.reason")
        return _words(f"fw_{self.code}", lang, self.fields)

    def describe(self, lang: str = "en") -> str:
        """The whole message in ``lang``; ``describe("en")`` is ``str(self)``.

        Examples
        --------
        >>> FrameworkError("keras", "keras_max_steps").describe()
        'keras cannot run this schedule exactly: Keras fit has no max_steps'
        """
        lang = check_lang(lang, "FrameworkError.describe")
        key = "fw_from_arguments" if self.code in _FROM_ARGUMENTS else "fw_cannot"
        return text(key, lang, framework=self.framework, reason=self.reason(lang))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_error, (self.framework, self.code, self.fields))


#: Reasons found reading a framework's arguments: what it runs with them has no Schedule.
_FROM_ARGUMENTS = frozenset({"keras_runs_short", "keras_endless_steps", "pytorch_num_samples"})


def _rebuild_error(framework: str, code: str, fields: dict[str, Any]) -> FrameworkError:
    return FrameworkError(framework, code, **fields)


def _words(key: str, lang: str, fields: dict[str, Any]) -> str:
    """A reason's or note's words; a ``why`` field names a shared clause (``fw_why_...``)."""
    if "why" in fields:
        fields = {**fields, "why": text(f"fw_why_{fields['why']}", lang)}
    return text(key, lang, **fields)


Notes = list[tuple[str, dict[str, Any]]]
Report = tuple[dict[str, Any], Notes]


def _need(ok: bool, framework: str, code: str, **fields: Any) -> None:
    if not ok:
        raise FrameworkError(framework, code, **fields)


def _cap(s: Schedule) -> int | None:
    """The ``steps_per_epoch`` argument (``None``: epochs are not capped)."""
    cap: int | None = s.arguments()["steps_per_epoch"]
    return cap


def _sampling(shuffle: Any) -> str:
    return "shuffle" if shuffle else "sequential"


#: arguments that are flags, or counts of at least one, wherever a framework takes
#: them: checked by name before any framework reads them, so that ``shuffle="no"``
#: is refused (a non-empty string is true) and a message names what the user typed
_FLAGS_AND_COUNTS: dict[str, tuple[Any, ...]] = {
    **dict.fromkeys(
        ("accumulate_across_epochs", "dataloader_drop_last", "draw", "drop_last",
         "drop_remainder", "replacement", "sampler_drop_last", "shard_batches", "shuffle"),
        (BOOL,),
    ),
    **dict.fromkeys(
        ("accumulate", "accumulate_grad_batches", "every_k_schedule",
         "gradient_accumulation_steps", "num_replicas", "world_size"),
        (Interval(int, 1, None), NONE),
    ),
}  # fmt: skip


class _Arguments:
    """A framework's arguments, taken one by one with its defaults; leftovers are typos.

    ``owner`` is what the user called, for messages: ``"from_framework('keras')"``,
    ``"Schedule.from_framework('keras')"``, or the command line's
    ``"translate --from keras"``.
    """

    def __init__(self, framework: str, arguments: dict[str, Any], owner: str) -> None:
        self.framework = framework
        self.owner = owner
        known = {k: v for k, v in arguments.items() if k in _FLAGS_AND_COUNTS}
        self.left = {**arguments, **validate_params(owner, _FLAGS_AND_COUNTS, known)}
        self.taken: set[str] = set()  # every name the framework reads: the names it takes

    def pop(self, name: str, default: Any) -> Any:
        self.taken.add(name)
        return self.left.pop(name) if name in self.left else default

    def check_all_used(self) -> None:
        if self.left:
            raise TypeError(
                f"{self.owner} got arguments it does not know: {sorted(self.left)}; "
                f"{self.framework!r} takes {sorted(self.taken)}."
            )


def _batches_per_pass(
    n_samples: Any, batch_size: Any, epochs: Any = 1, drop_last: Any = False, **_: Any
) -> int | None:
    """``len(loader)`` of one process, ``None`` for values the Schedule will refuse itself."""
    if not all(is_int(v) and v >= 1 for v in (n_samples, batch_size, epochs)):
        return None
    n, b = int(n_samples), int(batch_size)
    return n // b if drop_last is True else -(-n // b)


def _no_options_but(framework: str, owner: str, options: dict[str, Any], *known: str) -> None:
    unknown = sorted(set(options) - set(known))
    if unknown:
        takes = f"takes only {list(known)}" if known else "takes none"
        raise TypeError(f"{owner} got options it does not know: {unknown}; {framework!r} {takes}.")


def _epoch_updates(n_samples: Any, batch_size: Any, **options: Any) -> int:
    """Updates in one epoch of the schedule these arguments make (at least 1).

    Values the Schedule would refuse give 1 here: the Schedule built from the
    arguments then says what is wrong, in its own words.
    """
    numbers = [n_samples, batch_size, options.get("accumulate", 1), options.get("world_size", 1)]
    if not all(is_int(v) and v >= 1 for v in numbers):
        return 1
    return max(
        counting_for(n_samples=n_samples, batch_size=batch_size, epochs=1, **options).total_steps, 1
    )


class Framework:
    """One framework's rules: what it can run, what it reports, its arguments both ways.

    Subclasses set :attr:`name`, :attr:`where` (which object takes each
    argument) and :attr:`lr_scheduler` (the cadence a learning-rate scheduler
    needs there), and define the four methods.

    Examples
    --------
    >>> from minigd import Schedule
    >>> keras = REGISTRY["keras"]
    >>> keras.report(Schedule(100, 5, 30))[0]["model.optimizer.iterations"]
    600
    >>> keras.arguments(Schedule(100, 5, 30))
    {'batch_size': 5, 'epochs': 30, 'shuffle': True}
    >>> keras.schedule_arguments(100, {"batch_size": 5, "epochs": 30})["epochs"]
    30
    """

    name: ClassVar[str]
    #: The release whose behaviour the rules below were checked against.
    release: ClassVar[str]
    where: ClassVar[dict[str, str]] = {}
    #: The object or call each argument is passed to (the keys of ``to(...)["arguments"]``).
    part_of: ClassVar[dict[str, str]] = {}
    lr_scheduler: ClassVar[str]

    #: flat keywords that their object names otherwise: ``{flat: (part, name there)}``
    renamed: ClassVar[dict[str, tuple[str, str]]] = {}

    def place(self, name: str, arguments: dict[str, Any]) -> tuple[str, str]:
        """The object or call that takes the argument ``name`` (of ``arguments``), and
        the name it has there."""
        return self.renamed[name] if name in self.renamed else (self.part_of[name], name)

    def flat_name(self, part: str, name: str) -> str:
        """The flat keyword of argument ``name`` of ``part`` (:meth:`place` reversed)."""
        back = {place: flat for flat, place in self.renamed.items()}
        return back.get((part, name), name)

    def configured(self, owner: str, **options: Any) -> Framework:
        """These rules for the options ``counters``/``to`` got (most frameworks take none)."""
        _no_options_but(self.name, owner, options)
        return self

    def report(self, s: Schedule) -> Report:
        """Its counters after running ``s``, and remarks; FrameworkError if it cannot."""
        raise NotImplementedError

    def arguments(self, s: Schedule) -> dict[str, Any]:
        """The arguments, under its names, that run ``s`` there."""
        raise NotImplementedError

    def places(self, arguments: dict[str, Any]) -> dict[str, str]:
        """Which object takes each argument."""
        return {k: self.where[k] for k in arguments if k in self.where}

    def schedule_arguments(
        self, n_samples: int, arguments: dict[str, Any], owner: str | None = None
    ) -> dict[str, Any]:
        """The Schedule arguments its ``arguments`` (its names and defaults) make.

        ``owner`` names, in messages, what the user called (default
        ``"from_framework('<name>')"``).
        """
        args = _Arguments(self.name, arguments, owner or f"from_framework({self.name!r})")
        out = self.read(n_samples, args)
        args.check_all_used()
        return {"n_samples": n_samples, **out}

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        """Take its arguments one by one (``args.pop(name, its default)``)."""
        raise NotImplementedError

    # rules several frameworks share
    def pass_only(self, s: Schedule) -> None:
        _need(s.epoch == "pass", self.name, "draw_epochs")

    def no_cap(self, s: Schedule, why: str) -> None:
        _need(_cap(s) is None, self.name, "cap", why=why)

    def groups(self, s: Schedule, flushes: bool) -> None:
        """Require the framework's way with a last partial group of micro-batches."""
        nb = s.batches_per_pass
        assert nb is not None
        if s.accumulate == 1 or nb % s.accumulate == 0:
            return  # no partial group: both ways agree
        if flushes:
            _need(not s.accumulate_across_epochs, self.name, "flushes")
        else:
            _need(s.accumulate_across_epochs, self.name, "carries")

    def one_process(self, s: Schedule, code: str) -> None:
        _need(s.accumulate == 1 and s.world_size == 1, self.name, code)

    def shards(self, s: Schedule, runs: tuple[str, ...], why: str) -> Notes:
        """Require the framework's sharding (the first of ``runs``) to give the schedule's counts.

        Where it runs another ``sharding`` that gives the same batches per
        process, the counters hold; a note says which rows differ.
        """
        if s.world_size == 1 or s.sharding in runs:
            return []
        theirs = counting_for(**{**s.arguments(), "sharding": runs[0]})
        fields = {"why": why, "sharding": runs[0]}
        nb, ours = theirs.batches_per_pass, s.batches_per_pass
        _need(nb == ours, self.name, "sharding", theirs=nb, ours=ours, **fields)
        rows, ours = theirs.samples_per_pass, s.samples_per_pass
        return (
            [] if rows == ours else [("note_shard_rows", {"theirs": rows, "ours": ours, **fields})]
        )


class PyTorch(Framework):
    """Your own loop over a ``DataLoader``: it counts what you count."""

    name = "pytorch"
    release = "torch 2.13"
    part_of: ClassVar[dict[str, str]] = {
        "batch_size": "DataLoader",
        "shuffle": "DataLoader",
        "drop_last": "DataLoader",
        "replacement": "RandomSampler",
        "num_samples": "RandomSampler",
        "num_replicas": "DistributedSampler",
        "epochs": "loop",
        "accumulate": "loop",
        "accumulate_across_epochs": "loop",
        "steps_per_epoch": "loop",
        "max_steps": "loop",
    }
    where: ClassVar[dict[str, str]] = {
        "batch_size": "DataLoader",
        "shuffle": "DataLoader (DistributedSampler when there are replicas)",
        "drop_last": "DataLoader",
        "replacement": "RandomSampler(replacement=...)",
        "num_replicas": "DistributedSampler(num_replicas=...); accelerate launch --num_processes",
        "sampler_drop_last": "DistributedSampler(drop_last=...): cut the shards, not pad them",
        "shard_batches": "accelerate: Accelerator().prepare(DataLoader(...)) deals whole batches",
        "epochs": "your loop",
        "accumulate": "your loop: optimizer.step() every k batches",
        "steps_per_epoch": "your loop, over one endless iterator of the loader",
        "max_steps": "your loop: stop after this many optimizer steps",
        "num_samples": "RandomSampler(num_samples=batch_size * batches per epoch)",
    }
    lr_scheduler = (
        "call scheduler.step() after each optimizer.step() for per-update schedules "
        "(OneCycleLR), once per epoch for per-epoch ones (StepLR)"
    )

    def report(self, s: Schedule) -> Report:
        if s.epoch == "draw":
            ok = s.sampling != "sequential" and s.accumulate == 1 and s.world_size == 1
            _need(ok, self.name, "pytorch_draw")
        loader = s.steps_per_epoch if s.epoch == "draw" else s.batches_per_pass
        out = {
            "len(loader)": loader,
            "batches": s.micro_batches,
            "optimizer.step() calls": s.total_steps,
            "scheduler.last_epoch (stepped per update)": s.total_steps,
            "scheduler.last_epoch (stepped per epoch)": s.epochs_run,
        }
        notes: Notes = []
        if s.world_size > 1:
            ranks = "note_ranks_batches" if s.sharding == "batches" else "note_ranks"
            notes.append((ranks, {"r": s.world_size, "n": loader}))
        if s.micro_batches_unapplied:
            notes.append(("note_unapplied", {"k": s.micro_batches_unapplied}))
        return out, notes

    def arguments(self, s: Schedule) -> dict[str, Any]:
        args: dict[str, Any] = {"batch_size": s.batch_size, "drop_last": s.drop_last}
        if s.epoch == "draw" or s.sampling == "replacement":
            args["replacement"] = s.sampling == "replacement"
            if s.epoch == "draw":  # an epoch of S batches drawn at random
                args["num_samples"] = s.batch_size * s.steps_per_epoch
        else:  # the DistributedSampler shuffles when there is one
            args["shuffle"] = s.sampling == "shuffle"
        if s.world_size > 1:
            args["num_replicas"] = s.world_size
            if s.sharding != "pad":
                args["shard_batches" if s.sharding == "batches" else "sampler_drop_last"] = True
        args.update({"epochs": s.epochs, "accumulate": s.accumulate})
        if s.accumulate_across_epochs:
            args["accumulate_across_epochs"] = True
        if _cap(s) is not None and s.epoch == "pass":
            args["steps_per_epoch"] = _cap(s)
        if s.max_steps is not None:
            args["max_steps"] = s.max_steps
        return args

    renamed: ClassVar[dict[str, tuple[str, str]]] = {
        "sampler_drop_last": ("DistributedSampler", "drop_last"),
        "shard_batches": ("accelerate", "shard_batches"),
    }

    def place(self, name: str, arguments: dict[str, Any]) -> tuple[str, str]:
        dealt = "shard_batches" in arguments  # accelerate deals whole batches: no sampler
        if name == "num_replicas" and dealt:
            return "accelerate", "num_processes"  # accelerate launch --num_processes
        if name == "shuffle" and "num_replicas" in arguments and not dealt:
            return "DistributedSampler", "shuffle"  # DataLoader(shuffle=...) refuses a sampler
        return super().place(name, arguments)

    def flat_name(self, part: str, name: str) -> str:
        if (part, name) == ("accelerate", "num_processes"):
            return "num_replicas"
        return super().flat_name(part, name)

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        shuffle, replacement = args.pop("shuffle", False), args.pop("replacement", False)
        out = {
            "batch_size": args.pop("batch_size", 1),
            "epochs": args.pop("epochs", 1),
            "drop_last": args.pop("drop_last", False),
            "accumulate": args.pop("accumulate", 1),
            "world_size": args.pop("num_replicas", 1),
            "accumulate_across_epochs": args.pop("accumulate_across_epochs", False),
            "max_steps": args.pop("max_steps", None),
            "steps_per_epoch": args.pop("steps_per_epoch", None),
            "sampling": "replacement" if replacement else _sampling(shuffle),
        }
        sharding = _pytorch_sharding(
            args.pop("sampler_drop_last", False), args.pop("shard_batches", False), args.owner
        )
        if sharding != "pad":
            out["sharding"] = sharding
        num_samples = args.pop("num_samples", None)
        if num_samples is not None:  # RandomSampler(num_samples=B*S): epochs of S draws
            b = out["batch_size"]
            ok = is_int(num_samples) and is_int(b) and b >= 1 and num_samples % b == 0
            _need(ok, self.name, "pytorch_num_samples", k=num_samples, b=b)
            out["epoch"] = "draw"
            per_epoch = num_samples // b
            out["steps_per_epoch"] = None if per_epoch == 1 else per_epoch
            if not replacement:
                out["sampling"] = "shuffle"
        return out


def _pytorch_sharding(sampler_drop_last: Any, shard_batches: Any, owner: str) -> str:
    if shard_batches and sampler_drop_last:
        raise ValueError(
            f"{owner} got sampler_drop_last=True and shard_batches=True: accelerate deals "
            f"whole batches and replaces the DistributedSampler, so pass one of them."
        )
    return "batches" if shard_batches else "drop" if sampler_drop_last else "pad"


def _keras_epochs(nb: int, cap: int | None, epochs: int) -> tuple[int, int, int]:
    """Keras 3 on finite data: ``(updates, epochs cut short, updates in one cut short)``.

    Keras keeps one iterator across epochs when ``steps_per_epoch=S`` is given
    and stops an epoch where a pass over the data ends ("Your input ran out of
    data"); the next epoch starts a new pass (``EpochIterator._enumerate_iterator``
    in ``keras/src/trainers/epoch_iterator.py``, Keras 3.15). A pass of ``nb``
    batches is then ``q = nb // S`` epochs of ``S`` and, when ``r = nb % S`` is
    not 0, one epoch of ``r``: a cycle of ``q + 1`` epochs, counted in O(1).
    """
    if cap is None or cap >= nb:  # every epoch is one whole pass
        return epochs * nb, (epochs if cap is not None and cap > nb else 0), nb
    q, r = divmod(nb, cap)
    short = 0 if r == 0 else epochs // (q + 1)
    return (epochs - short) * cap + short * r, short, r


class Keras(Framework):
    """Keras 3 ``model.fit``: ``optimizer.iterations`` counts updates.

    ``data`` says what kind of input ``fit`` gets, which matters once
    ``steps_per_epoch`` is set: ``"finite"`` (arrays, a ``PyDataset``, a torch
    ``DataLoader``: Keras knows their length and restarts them) cuts an epoch
    short where a pass ends; ``"endless"`` (a generator that never stops, a
    repeated dataset) runs every step of every epoch. A one-shot generator
    (``"one-shot"``) is refused: Keras caches its first two batches to read
    their shapes and, once it is exhausted, replays only those two in every
    later epoch (``peek_and_restore`` in
    ``keras/src/trainers/data_adapters/generator_data_adapter.py``).
    """

    name = "keras"
    release = "keras 3.15"
    where: ClassVar[dict[str, str]] = {
        "batch_size": "model.fit (arrays); your generator's batches (endless data)",
        "epochs": "model.fit",
        "shuffle": "model.fit (arrays); your generator (endless data)",
        "steps_per_epoch": "model.fit",
        "gradient_accumulation_steps": "the optimizer, e.g. keras.optimizers.SGD(...)",
        "data": "what you pass as x: 'finite' (arrays, PyDataset) or 'endless' (a generator "
        "that never stops)",
        "drop_last": "your generator (endless data)",
    }
    part_of: ClassVar[dict[str, str]] = {
        "batch_size": "fit",
        "epochs": "fit",
        "shuffle": "fit",
        "steps_per_epoch": "fit",
        "gradient_accumulation_steps": "optimizer",
    }
    lr_scheduler = (
        "keras.optimizers.schedules.* get the raw batch counter (per micro-batch); "
        "the LearningRateScheduler callback gets the epoch index"
    )
    data_kinds = ("finite", "endless", "one-shot")

    def __init__(self, data: str = "finite") -> None:
        self.data = data

    def place(self, name: str, arguments: dict[str, Any]) -> tuple[str, str]:
        if self.data == "endless" and name in ("batch_size", "shuffle"):
            return "input", name  # the generator makes the batches
        return self.part_of.get(name, "input"), name

    def configured(self, owner: str, **options: Any) -> Keras:
        _no_options_but(self.name, owner, options, "data")
        data = check_option(options.get("data", "finite"), "data", owner, self.data_kinds)
        _need(data != "one-shot", self.name, "keras_one_shot")
        return Keras(data)

    def check(self, s: Schedule) -> None:
        self.pass_only(s)
        _need(s.world_size == 1, self.name, "keras_replicas")
        _need(s.max_steps is None, self.name, "keras_max_steps")
        _need(s.sampling != "replacement", self.name, "keras_replacement")
        if self.data == "finite":
            ragged = s.drop_last and s.n_samples % s.batch_size != 0
            _need(not ragged, self.name, "keras_drop_last")
        self.groups(s, flushes=False)

    def report(self, s: Schedule) -> Report:
        self.check(s)
        nb, cap = s.batches_per_pass, _cap(s)
        assert nb is not None
        notes: Notes = []
        if self.data == "endless":  # every step of every epoch runs
            per_epoch = nb if cap is None else cap
            raw, short, cut = s.epochs * per_epoch, 0, per_epoch
        else:
            per_epoch = nb if cap is None else cap
            raw, short, cut = _keras_epochs(nb, cap, s.epochs)
        out: dict[str, Any] = {
            "model.optimizer.iterations": raw // s.accumulate,
            "len(history.history['loss'])": s.epochs,
            "progress_bar": f"{per_epoch}/{per_epoch}",
        }
        if short:
            out["epochs cut short"] = short
            out["updates in an epoch cut short"] = cut
        if raw // s.accumulate != s.total_steps:
            notes.append(("note_keras_cap", {"cap": cap, "total": s.total_steps}))
        if s.accumulate > 1:
            out["optimizer._iterations (batches)"] = raw
            notes.append(("note_keras_raw", {}))
        return out, notes

    def arguments(self, s: Schedule) -> dict[str, Any]:
        self.check(s)
        nb, cap = s.batches_per_pass, _cap(s)
        assert nb is not None
        if self.data == "finite":
            _, short, cut = _keras_epochs(nb, cap, s.epochs)
            _need(short == 0, self.name, "keras_cut_short", cap=cap, nb=nb, cut=cut, short=short)
        args: dict[str, Any] = {"batch_size": s.batch_size, "epochs": s.epochs}
        args["shuffle"] = s.sampling != "sequential"
        if self.data == "endless":
            args.update({"data": "endless", "drop_last": s.drop_last})
            args["steps_per_epoch"] = nb if cap is None else cap
        elif cap is not None:
            args["steps_per_epoch"] = cap
        if s.accumulate > 1:
            args["gradient_accumulation_steps"] = s.accumulate
        return args

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        data = check_option(args.pop("data", "finite"), "data", args.owner, self.data_kinds)
        _need(data != "one-shot", self.name, "keras_one_shot")
        k = args.pop("gradient_accumulation_steps", None) or 1
        out = {
            "batch_size": args.pop("batch_size", 32),
            "epochs": args.pop("epochs", 1),
            "sampling": _sampling(args.pop("shuffle", True)),
            "steps_per_epoch": args.pop("steps_per_epoch", None),
            "accumulate": k,
            "accumulate_across_epochs": k > 1,
        }
        if data == "endless":
            _need(out["steps_per_epoch"] is not None, self.name, "keras_endless_steps")
            out["drop_last"] = args.pop("drop_last", False)
        cap = out["steps_per_epoch"]
        nb = _batches_per_pass(n_samples, **out)
        if cap is None or nb is None:
            return out  # no cap, or values the Schedule refuses in its own words
        if data == "endless":
            if cap == nb:  # every epoch is one whole pass
                out["steps_per_epoch"] = None
            return out
        epochs = out["epochs"]
        _, short, cut = _keras_epochs(nb, cap, epochs)
        if cap >= nb:  # every epoch stops where its pass ends
            out["steps_per_epoch"] = None
        else:  # Keras's own arguments: say what Keras does with them
            fields = {"cap": cap, "nb": nb, "cut": cut, "short": short, "epochs": epochs}
            _need(short == 0, self.name, "keras_runs_short", **fields)
        return out


class SklearnSGD(Framework):
    """scikit-learn's ``SGDRegressor``/``SGDClassifier``: one sample per update."""

    name = "sklearn-sgd"
    release = "scikit-learn 1.9"
    part_of: ClassVar[dict[str, str]] = dict.fromkeys(
        ("max_iter", "shuffle", "tol"), "SGDRegressor"
    )
    lr_scheduler = "learning_rate='invscaling' and 'optimal' count samples (t_), not epochs"

    def report(self, s: Schedule) -> Report:
        _need(s.batch_size == 1, self.name, "sgd_batch", b=s.batch_size)
        self.pass_only(s)
        self.one_process(s, "no_accumulation")
        _need(s.sampling != "replacement", self.name, "no_replacement")
        self.no_cap(s, "max_iter")
        _need(s.max_steps is None, self.name, "max_iter")
        out = {"n_iter_": s.epochs, "t_": s.epochs * s.n_samples + 1}
        return out, [("note_sgd_tol", {})]

    def arguments(self, s: Schedule) -> dict[str, Any]:
        return {"max_iter": s.epochs, "shuffle": s.sampling != "sequential", "tol": None}

    def places(self, arguments: dict[str, Any]) -> dict[str, str]:
        return {k: "SGDRegressor / SGDClassifier" for k in arguments}

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        args.pop("tol", None)
        return {
            "batch_size": 1,
            "epochs": args.pop("max_iter", 1000),
            "sampling": _sampling(args.pop("shuffle", True)),
        }


class SklearnMLP(Framework):
    """scikit-learn's ``MLPRegressor``/``MLPClassifier``: ``n_iter_`` counts epochs."""

    name = "sklearn-mlp"
    release = "scikit-learn 1.9"
    part_of: ClassVar[dict[str, str]] = dict.fromkeys(
        ("batch_size", "max_iter", "shuffle", "n_iter_no_change"), "MLPRegressor"
    )
    lr_scheduler = "learning_rate='adaptive' divides the rate by 5 per plateau (per epoch)"

    def report(self, s: Schedule) -> Report:
        self.pass_only(s)
        self.one_process(s, "no_accumulation")
        _need(s.sampling != "replacement", self.name, "no_replacement")
        _need(not s.drop_last or s.n_samples % s.batch_size == 0, self.name, "mlp_drop_last")
        self.no_cap(s, "max_iter")
        _need(s.max_steps is None, self.name, "max_iter")
        out = {
            "n_iter_": s.epochs,
            "t_": s.samples_seen,
            "len(loss_curve_)": s.epochs,
            "updates": s.total_steps,
        }
        return out, [("note_mlp", {})]

    def arguments(self, s: Schedule) -> dict[str, Any]:
        return {
            "batch_size": s.batch_size,
            "max_iter": s.epochs,
            "shuffle": s.sampling != "sequential",
            "n_iter_no_change": s.epochs,
        }

    def places(self, arguments: dict[str, Any]) -> dict[str, str]:
        return {k: "MLPRegressor / MLPClassifier" for k in arguments}

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        batch_size = args.pop("batch_size", "auto")
        args.pop("n_iter_no_change", None)
        return {
            "batch_size": min(200, n_samples) if batch_size == "auto" else batch_size,
            "epochs": args.pop("max_iter", 200),
            "sampling": _sampling(args.pop("shuffle", True)),
        }


class Lightning(Framework):
    """Lightning's ``Trainer``: ``global_step`` counts optimizer steps.

    With ``devices=r`` it injects ``DistributedSampler(dataset, num_replicas,
    rank)`` (``sharding="pad"``) and keeps the loader's ``drop_last``; a
    ``DistributedSampler`` of your own, say with ``drop_last=True``
    (``sharding="drop"``), it keeps (``trainer/connectors/data_connector.py``,
    ``_requires_distributed_sampler``; lightning 2.6.6).
    """

    name = "lightning"
    release = "lightning 2.6.6"
    renamed: ClassVar[dict[str, tuple[str, str]]] = {
        "sampler_drop_last": ("DistributedSampler", "drop_last"),  # DataLoader(sampler=...)
    }
    part_of: ClassVar[dict[str, str]] = {
        "batch_size": "DataLoader",
        "shuffle": "DataLoader",
        "drop_last": "DataLoader",
        "max_epochs": "Trainer",
        "accumulate_grad_batches": "Trainer",
        "devices": "Trainer",
        "max_steps": "Trainer",
    }
    where: ClassVar[dict[str, str]] = {
        "batch_size": "DataLoader",
        "shuffle": "DataLoader",
        "drop_last": "DataLoader",
        "max_epochs": "Trainer",
        "accumulate_grad_batches": "Trainer",
        "devices": "Trainer (strategy='ddp')",
        "max_steps": "Trainer",
        "sampler_drop_last": (
            "DataLoader(sampler=DistributedSampler(dataset, drop_last=True)) in "
            "train_dataloader(): Lightning keeps a DistributedSampler you pass"
        ),
    }
    lr_scheduler = (
        "configure_optimizers: {'interval': 'step'} for per-update schedules; the "
        "default 'epoch' steps once per epoch"
    )
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "max_epochs": [Interval(int, -1, None), NONE],  # None or -1: no limit
        "max_steps": [Interval(int, -1, None), NONE],
    }

    def report(self, s: Schedule) -> Report:
        self.pass_only(s)
        self.no_cap(s, "lightning")
        self.groups(s, flushes=True)
        notes = self.shards(s, ("pad", "drop"), "shard_lightning")
        out = {
            "trainer.num_training_batches": s.batches_per_pass,
            "trainer.global_step": s.total_steps,
            "trainer.estimated_stepping_batches": s.total_steps,
            "trainer.current_epoch": s.epochs_run,
        }
        return out, notes

    def arguments(self, s: Schedule) -> dict[str, Any]:
        args: dict[str, Any] = {
            "batch_size": s.batch_size,
            "max_epochs": s.epochs,
            "shuffle": s.sampling != "sequential",
            "drop_last": s.drop_last,
            "accumulate_grad_batches": s.accumulate,
            "devices": s.world_size,
        }
        if s.world_size > 1 and s.sharding == "drop":
            args["sampler_drop_last"] = True
        if s.max_steps is not None:
            args["max_steps"] = s.max_steps
        return args

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        batch_size = args.pop("batch_size", 1)
        limits = {
            "max_epochs": args.pop("max_epochs", None),
            "max_steps": args.pop("max_steps", -1),
        }
        limits = validate_params(args.owner, self._parameter_constraints, limits)
        epochs, max_steps = (
            None if v in (None, -1) else v for v in limits.values()
        )  # -1: no limit
        out = {
            "batch_size": batch_size,
            "sampling": _sampling(args.pop("shuffle", False)),
            "drop_last": args.pop("drop_last", False),
            "accumulate": args.pop("accumulate_grad_batches", 1),
            "world_size": args.pop("devices", 1),
            "max_steps": max_steps,
        }
        if args.pop("sampler_drop_last", False):  # your own DistributedSampler(drop_last=True)
            out["sharding"] = "drop"
        if epochs is not None:
            out["epochs"] = epochs
        elif max_steps is None:
            out["epochs"] = 1000  # Lightning's default max_epochs
        else:  # only max_steps: as many epochs as it takes
            per_epoch = _epoch_updates(n_samples, **{**out, "max_steps": None})
            out["epochs"] = max(-(-max_steps // per_epoch), 1)
        return out


class HuggingFace(Framework):
    """Hugging Face's ``Trainer``: ``state.global_step`` counts updates.

    With several processes accelerate's ``BatchSamplerShard`` deals whole
    batches of the loader to them in turn (``sharding="batches"``), the last
    round completed with the first rows, or dropped with
    ``dataloader_drop_last`` (``accelerate/data_loader.py``; accelerate 1.15,
    transformers 5.24).

    Its arguments carry the run, not every argument of a Schedule. A
    ``max_steps`` above 0 replaces ``num_train_epochs``: the Trainer ignores
    the latter and runs ``ceil(max_steps / updates per epoch)`` epochs, its
    ``state.num_train_epochs`` (``Trainer.set_initial_training_values`` in
    ``transformers/trainer.py``). So ``Schedule(100, 5, 10, max_steps=50)``,
    whose ``max_steps`` ends the run in its third epoch, goes there and comes
    back as ``Schedule(100, 5, 3, max_steps=50)``: the same run, the same
    counters in every framework, not an equal Schedule. A ``max_steps`` that
    ends nothing early is not passed (it would replace ``num_train_epochs``),
    and the Trainer always shuffles (``sampling="shuffle"``).

    Examples
    --------
    >>> from minigd import Schedule
    >>> s = Schedule(100, 5, 10, max_steps=50)
    >>> back = Schedule.from_framework("huggingface", 100, **s.to("huggingface")["arguments"])
    >>> back.epochs, back.total_steps == s.total_steps, back.epochs_run == s.epochs_run
    (3, True, True)
    """

    name = "huggingface"
    release = "transformers 5.24"
    part_of: ClassVar[dict[str, str]] = {
        "per_device_train_batch_size": "TrainingArguments",
        "gradient_accumulation_steps": "TrainingArguments",
        "num_train_epochs": "TrainingArguments",
        "dataloader_drop_last": "TrainingArguments",
        "max_steps": "TrainingArguments",
        "world_size": "torchrun",
    }
    lr_scheduler = "the Trainer steps its scheduler once per update; warmup_steps count updates"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "num_train_epochs": [Interval(float, 0.0, None, closed="neither")],
        "max_steps": [Interval(int, None, None), NONE],  # None, -1 (or <= 0): not set
    }

    def report(self, s: Schedule) -> Report:
        self.pass_only(s)
        self.no_cap(s, "huggingface")
        _need(s.sampling != "replacement", self.name, "sampler_no_replacement")
        self.groups(s, flushes=True)
        notes = self.shards(s, ("batches",), "shard_huggingface")
        out = {
            "len(train_dataloader)": s.batches_per_pass,
            "state.global_step": s.total_steps,
            "max_steps": s.total_steps,
            "state.epoch": _hf_final_epoch(s),
            "total_train_batch_size": s.effective_batch_size,
        }
        return out, notes

    def arguments(self, s: Schedule) -> dict[str, Any]:
        args: dict[str, Any] = {
            "per_device_train_batch_size": s.batch_size,
            "gradient_accumulation_steps": s.accumulate,
            "num_train_epochs": float(s.epochs),
            "dataloader_drop_last": s.drop_last,
            "world_size": s.world_size,
        }
        if s.max_steps is not None and s.max_steps < s.replace(max_steps=None).total_steps:
            # max_steps replaces num_train_epochs in the Trainer: pass it only when it binds
            args["max_steps"] = s.total_steps
        return args

    def places(self, arguments: dict[str, Any]) -> dict[str, str]:
        where = {"world_size": "torchrun --nproc_per_node=...", "shuffle": "always"}
        where.update({k: "TrainingArguments" for k in arguments if k != "world_size"})
        return where

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        batch_size = args.pop("per_device_train_batch_size", 8)
        num_epochs = args.pop("num_train_epochs", 3.0)
        max_steps = args.pop("max_steps", -1)  # -1: not set
        out = {
            "batch_size": batch_size,
            "accumulate": args.pop("gradient_accumulation_steps", 1),
            "world_size": args.pop("world_size", 1),
            "drop_last": args.pop("dataloader_drop_last", False),
        }
        if is_int(out["world_size"]) and out["world_size"] > 1:
            out["sharding"] = "batches"  # accelerate deals whole batches
        owner = args.owner
        checked = {"max_steps": max_steps}
        steps = validate_params(owner, self._parameter_constraints, checked)["max_steps"]
        per_epoch = _epoch_updates(n_samples, **out)
        if steps is not None and steps > 0:  # max_steps, when set, overrides num_train_epochs
            return {**out, "epochs": -(-steps // per_epoch), "max_steps": steps}
        checked = {"num_train_epochs": num_epochs}
        num_epochs = validate_params(owner, self._parameter_constraints, checked)[
            "num_train_epochs"
        ]
        # a fractional epoch count stops after that fraction of the last epoch's updates
        steps, epochs = math.ceil(num_epochs * per_epoch), math.ceil(num_epochs)
        return {
            **out,
            "epochs": epochs,
            "max_steps": None if steps == epochs * per_epoch else steps,
        }


def _hf_final_epoch(s: Schedule) -> float:
    # state.epoch = epoch + (micro-batches of this epoch done) / len(dataloader)
    nb = s.batches_per_pass
    assert nb is not None
    last = s.total_steps - 1
    epoch = s.counting.epoch_of(last)
    done = s.counting.micro_through(last + 1) - epoch * nb
    return ratio(epoch * nb + done, nb, "state.epoch", "counters('huggingface')")


class TF1(Framework):
    """TensorFlow 1.x: ``global_step`` counts train-op runs, one per batch."""

    name = "tf1"
    release = "TensorFlow 1.x (tf.compat.v1 in 2.15)"
    part_of: ClassVar[dict[str, str]] = {
        "batch_size": "Dataset",
        "epochs": "Dataset",
        "shuffle": "Dataset",
        "drop_remainder": "Dataset",
        "max_steps": "Estimator.train",
    }
    where: ClassVar[dict[str, str]] = {
        "batch_size": "ds.batch(B, drop_remainder=...)",
        "epochs": "ds.repeat(E)",
        "shuffle": "ds.shuffle(N, reshuffle_each_iteration=True)",
        "drop_remainder": "ds.batch",
        "max_steps": "Estimator.train(max_steps=...)",
        "pipeline": "shuffle, then batch, then repeat",
    }
    lr_scheduler = "tf.compat.v1.train.*_decay(global_step, ...) counts batches"

    def report(self, s: Schedule) -> Report:
        self.pass_only(s)
        self.one_process(s, "tf1_accumulation")
        _need(s.sampling != "replacement", self.name, "tf1_no_replacement")
        self.no_cap(s, "tf1")
        # repeat(E) before batch(B) streams E*N rows: batches run across epochs
        rows = s.epochs * s.n_samples
        streamed = rows // s.batch_size if s.drop_last else -(-rows // s.batch_size)
        if s.max_steps is not None:
            streamed = min(streamed, s.max_steps)
        out = {"global_step": s.total_steps, "global_step with repeat(E).batch(B)": streamed}
        return out, [("note_tf1", {})] if streamed != s.total_steps else []

    def arguments(self, s: Schedule) -> dict[str, Any]:
        args: dict[str, Any] = {
            "batch_size": s.batch_size,
            "epochs": s.epochs,
            "shuffle": s.sampling != "sequential",
            "drop_remainder": s.drop_last,
        }
        if s.max_steps is not None:
            args["max_steps"] = s.max_steps
        return args

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        return {
            "batch_size": args.pop("batch_size", 1),
            "epochs": args.pop("epochs", 1),
            "sampling": _sampling(args.pop("shuffle", True)),
            "drop_last": args.pop("drop_remainder", False),
            "max_steps": args.pop("max_steps", None),
        }


class Optax(Framework):
    """optax: ``count`` counts calls to ``update``; ``MultiSteps`` carries groups over epochs."""

    name = "optax"
    release = "optax 0.2.8"
    part_of: ClassVar[dict[str, str]] = {
        "every_k_schedule": "MultiSteps",
        "batch_size": "loop",
        "epochs": "loop",
        "sampling": "loop",
        "drop_last": "loop",
        "steps_per_epoch": "loop",
        "draw": "loop",
        "accumulate_across_epochs": "loop",
        "max_steps": "loop",
    }
    where: ClassVar[dict[str, str]] = {
        "every_k_schedule": "optax.MultiSteps",
        "batch_size": "your data loop",
        "epochs": "your data loop",
        "sampling": "your data loop",
        "drop_last": "your data loop",
        "steps_per_epoch": "your data loop: updates per epoch",
        "max_steps": "your data loop",
    }
    lr_scheduler = "schedules are functions of the update count: pass total_steps to them"

    def report(self, s: Schedule) -> Report:
        _need(s.world_size == 1, self.name, "optax_replicas")
        if s.accumulate == 1:
            return {"state.count": s.total_steps}, []
        if s.epoch == "pass":
            self.groups(s, flushes=False)
        out = {
            "MultiSteps gradient_step": s.total_steps,
            "MultiSteps mini_step": s.micro_batches_unapplied,
            "inner state.count": s.total_steps,
        }
        return out, []

    def arguments(self, s: Schedule) -> dict[str, Any]:
        args: dict[str, Any] = {
            "batch_size": s.batch_size,
            "epochs": s.epochs,
            "sampling": s.sampling,
            "drop_last": s.drop_last,
            "every_k_schedule": s.accumulate,
        }
        if s.epoch == "draw":
            args["draw"] = True
        if _cap(s) is not None:  # updates per epoch, in your data loop
            args["steps_per_epoch"] = _cap(s)
        if s.max_steps is not None:
            args["max_steps"] = s.max_steps
        return args

    def read(self, n_samples: int, args: _Arguments) -> dict[str, Any]:
        k = args.pop("every_k_schedule", 1)
        out = {
            "batch_size": args.pop("batch_size", 1),
            "epochs": args.pop("epochs", 1),
            "steps_per_epoch": args.pop("steps_per_epoch", None),
            "sampling": args.pop("sampling", "shuffle"),
            "drop_last": args.pop("drop_last", False),
            "max_steps": args.pop("max_steps", None),
            "accumulate": k,
            "accumulate_across_epochs": k > 1,
        }
        if args.pop("draw", False):
            out["epoch"] = "draw"
            out["accumulate_across_epochs"] = False  # draws have no epoch boundary to carry over
        return out


#: Every framework by the name the functions below take.
REGISTRY: dict[str, Framework] = {
    fw.name: fw
    for fw in (
        PyTorch(),
        Keras(),
        SklearnSGD(),
        SklearnMLP(),
        Lightning(),
        HuggingFace(),
        TF1(),
        Optax(),
    )
}
FRAMEWORKS = tuple(REGISTRY)


def _rules(framework: str, owner: str, options: dict[str, Any]) -> Framework:
    fw = check_option(framework, "framework", owner, FRAMEWORKS)
    return REGISTRY[fw].configured(owner, **options)


def counters(schedule: Schedule, framework: str, **options: Any) -> dict[str, Any]:
    """What ``framework`` will report after running ``schedule``.

    Keys are the expressions a user types there (``"model.optimizer.iterations"``,
    ``"trainer.global_step"``, ...). A ``"note"`` key explains differences;
    ``"release"`` names the release whose behaviour is modelled.

    Parameters
    ----------
    schedule : Schedule
    framework : str
        One of :data:`FRAMEWORKS`.
    **options
        Keras takes ``data="finite"`` (default: arrays, a ``PyDataset``, a torch
        ``DataLoader``, which Keras restarts when a pass ends) or
        ``data="endless"`` (an input that never runs out); ``data="one-shot"``
        (a generator that runs dry) raises FrameworkError with the reason.
        The other frameworks take none.

    Raises
    ------
    FrameworkError
        When the framework cannot run the schedule exactly.
    TypeError
        An option the framework does not take.

    Examples
    --------
    >>> from minigd import Schedule
    >>> s = Schedule(100, 5, 30)
    >>> counters(s, "keras")["model.optimizer.iterations"]
    600
    >>> counters(s, "sklearn-mlp")["t_"]
    3000
    >>> counters(Schedule(100, 3, 2, accumulate=4), "lightning")["trainer.global_step"]
    18
    >>> counters(Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True), "keras")
    ... # doctest: +ELLIPSIS
    {'model.optimizer.iterations': 17, ...}
    >>> capped = Schedule(100, 5, 4, steps_per_epoch=7)
    >>> counters(capped, "keras")["model.optimizer.iterations"]
    27
    >>> counters(capped, "keras", data="endless")["model.optimizer.iterations"]
    28
    """
    return _counters(schedule, framework, options, "counters")


def _counters(
    schedule: Schedule, framework: str, options: dict[str, Any], owner: str
) -> dict[str, Any]:
    """:func:`counters`, whose messages name ``owner``: the call the user made.

    ``Schedule.counters`` and ``Schedule.to`` pass their own names, so that a
    message names the method the user called, not this module's function.
    """
    rules = _rules(framework, owner, options)
    out, notes = rules.report(schedule)
    if notes:
        out["note"] = "; ".join(_words(key, "en", fields) for key, fields in notes)
    out["release"] = rules.release
    return out


def counter_notes(
    schedule: Schedule, framework: str, lang: str = "en", **options: Any
) -> list[str]:
    """The remarks that go with :func:`counters`, in ``lang`` (``"en"`` or ``"ko"``).

    ``counters(...)["note"]`` holds the English ones joined by ``"; "``.

    Raises
    ------
    FrameworkError
        When the framework cannot run the schedule exactly.

    Examples
    --------
    >>> from minigd import Schedule
    >>> counter_notes(Schedule(100, 1, 3), "sklearn-sgd", lang="ko")
    ['tol=None으로 학습할 때의 값입니다 (아니면 일찍 멈출 수 있습니다). t_의 자료형은 float입니다']
    """
    rules = _rules(framework, "counter_notes", options)
    lang = check_lang(lang, "counter_notes")
    return [_words(key, lang, fields) for key, fields in rules.report(schedule)[1]]


def keras_log(schedule: Schedule) -> list[str]:
    """The lines Keras 3's ``model.fit(..., verbose=1)`` leaves on screen for ``schedule``.

    One ``Epoch e/E`` header per epoch, then the finished progress bar, whose
    ``k/k`` counts the epoch's *steps* (batches), not samples or epochs. The
    timings and the loss change from run to run and are shown as ``…``. The
    conformance tests run Keras and compare its output with these lines.

    Parameters
    ----------
    schedule : Schedule
        A schedule Keras can run (see :func:`counters`).

    Returns
    -------
    list of str

    Raises
    ------
    FrameworkError
        If Keras cannot run the schedule exactly.

    Examples
    --------
    >>> from minigd import Schedule
    >>> print("\\n".join(keras_log(Schedule(100, 5, 30))[:4]))
    Epoch 1/30
    20/20 ━━━━━━━━━━━━━━━━━━━━ … - loss: …
    Epoch 2/30
    20/20 ━━━━━━━━━━━━━━━━━━━━ … - loss: …
    """
    check_memory(2 * schedule.epochs, 100, "lines", "keras_log")
    bar = counters(schedule, "keras")["progress_bar"]
    lines = []
    for epoch in range(schedule.epochs):
        lines.append(f"Epoch {epoch + 1}/{schedule.epochs}")
        lines.append(f"{bar} {KERAS_BAR} {ELIDED} - loss: {ELIDED}")
    return lines


def to_framework(schedule: Schedule, framework: str, **options: Any) -> dict[str, Any]:
    """The arguments that produce ``schedule`` in ``framework``.

    Parameters
    ----------
    schedule : Schedule
    framework : str
        One of :data:`FRAMEWORKS`.
    **options
        As for :func:`counters` (Keras's ``data``).

    Returns
    -------
    dict
        ``"arguments"``: keyed by where each argument goes, the object or call
        that takes it (``{"DataLoader": {...}, "loop": {...}}``,
        ``{"fit": {...}}``, ...); :func:`flat_arguments` merges the parts into
        the flat keywords :func:`from_framework` also takes.
        ``"where"``: which object takes each argument, in words.
        ``"lr_scheduler"``: the cadence a learning-rate scheduler needs there.
        ``"counters"``: what it will report. ``"release"``: the release modelled.

    Raises
    ------
    FrameworkError
        When the framework cannot run the schedule exactly.

    Examples
    --------
    >>> from minigd import Schedule
    >>> to_framework(Schedule(100, 5, 30), "keras")["arguments"]
    {'fit': {'batch_size': 5, 'epochs': 30, 'shuffle': True}}
    >>> to_framework(Schedule(100, 5, 30), "keras", data="endless")["arguments"]
    ... # doctest: +NORMALIZE_WHITESPACE
    {'input': {'batch_size': 5, 'shuffle': True, 'data': 'endless', 'drop_last': False},
     'fit': {'epochs': 30, 'steps_per_epoch': 20}}
    """
    return _to_framework(schedule, framework, options, "to_framework")


def _to_framework(
    schedule: Schedule, framework: str, options: dict[str, Any], owner: str
) -> dict[str, Any]:
    """:func:`to_framework`, whose messages name ``owner`` (``"Schedule.to"``)."""
    rules = _rules(framework, owner, options)
    report = _counters(schedule, rules.name, options, owner)  # FrameworkError first
    args = rules.arguments(schedule)
    parts: dict[str, dict[str, Any]] = {}
    for name, value in args.items():
        part, there = rules.place(name, args)
        parts.setdefault(part, {})[there] = value
    return {
        "arguments": parts,
        "where": rules.places(args),
        "lr_scheduler": rules.lr_scheduler,
        "counters": report,
        "release": rules.release,
    }


def flat_arguments(framework: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Merge the parts of ``to_framework(...)["arguments"]`` into flat keywords.

    An entry whose value is a dict is a part (the arguments of one object or
    call); each of its entries becomes the flat keyword :func:`from_framework`
    takes (the same name, except where two objects share one: PyTorch's
    ``DistributedSampler`` ``drop_last`` is ``sampler_drop_last``). Other
    entries are already flat.

    Raises
    ------
    TypeError
        When two parts give the same keyword.

    Examples
    --------
    >>> flat_arguments("pytorch", {"DataLoader": {"batch_size": 5}, "loop": {"epochs": 3}})
    {'batch_size': 5, 'epochs': 3}
    >>> flat_arguments("pytorch", {"DistributedSampler": {"num_replicas": 2, "drop_last": True}})
    {'num_replicas': 2, 'sampler_drop_last': True}
    >>> flat_arguments("keras", {"batch_size": 5})
    {'batch_size': 5}
    """
    fw = check_option(framework, "framework", "flat_arguments", FRAMEWORKS)
    return _flat(fw, arguments, "flat_arguments")


def _flat(framework: str, arguments: dict[str, Any], owner: str) -> dict[str, Any]:
    """:func:`flat_arguments` of a checked ``framework``; messages name ``owner``."""
    rules = REGISTRY[framework]
    flat: dict[str, Any] = {}
    for key, value in arguments.items():
        items = value.items() if isinstance(value, dict) else [(key, value)]
        for name, v in items:
            name = rules.flat_name(key, name) if isinstance(value, dict) else name
            if name in flat:
                raise TypeError(f"{owner} got the argument {name!r} twice.")
            flat[name] = v
    return flat


def from_framework(framework: str, n_samples: int, **arguments: Any) -> dict[str, Any]:
    """The Schedule arguments that ``framework`` runs with these arguments.

    Arguments use the framework's own names and defaults (Keras's
    ``batch_size=32``, Hugging Face's ``num_train_epochs=3.0``, ...).
    :meth:`Schedule.from_framework` builds
    the Schedule from them (and checks them).

    The arguments of :func:`to_framework` come back as the same run, with the
    same counters; as the same Schedule for PyTorch, Keras and optax, up to
    arguments that change nothing in the run (``iteration``, a ``drop_last``
    with nothing to drop). Where a
    framework's arguments carry less, the Schedule is the one they carry: the
    Hugging Face Trainer, given ``max_steps``, runs
    ``ceil(max_steps / updates per epoch)`` epochs whatever
    ``num_train_epochs`` says (see :class:`HuggingFace`).

    Returns
    -------
    dict
        Keyword arguments of :class:`~minigd.Schedule`.

    Raises
    ------
    TypeError
        An argument the framework does not take.

    Examples
    --------
    >>> from_framework("huggingface", n_samples=100, per_device_train_batch_size=3,
    ...                gradient_accumulation_steps=4, num_train_epochs=1.5)
    ... # doctest: +NORMALIZE_WHITESPACE
    {'n_samples': 100, 'batch_size': 3, 'accumulate': 4, 'world_size': 1,
     'drop_last': False, 'epochs': 2, 'max_steps': 14}
    >>> from_framework("keras", n_samples=100, batch_size=5, epochs=30)["accumulate"]
    1
    """
    return _from_framework(framework, n_samples, arguments, "from_framework")


def _from_framework(
    framework: str, n_samples: int, arguments: dict[str, Any], call: str
) -> dict[str, Any]:
    """:func:`from_framework`; messages name ``call`` (``"Schedule.from_framework"``)."""
    fw = check_option(framework, "framework", call, FRAMEWORKS)
    owner = f"{call}({fw!r})"
    return REGISTRY[fw].schedule_arguments(n_samples, _flat(fw, arguments, owner), owner)
