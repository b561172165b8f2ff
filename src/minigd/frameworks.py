"""What each framework's counters will read, and its arguments to and from a Schedule.

Every framework counts a run its own way (``../shared/reference`` in the
repository records how each was verified):

========================  ==============================================================
framework                 what its counter counts
========================  ==============================================================
``"pytorch"``             your loop: ``len(loader)`` batches per epoch and replica
``"keras"``               ``optimizer.iterations``: updates; accumulation carries over epochs
``"sklearn-sgd"``         ``t_``: samples seen + 1 (batch size is always 1)
``"sklearn-mlp"``         ``n_iter_``: epochs; ``t_``: samples seen
``"lightning"``           ``global_step``: optimizer steps; the last partial group steps
``"huggingface"``         ``state.global_step``: updates; ``state.epoch`` is fractional
``"tf1"``                 ``global_step``: train-op runs, one per batch
``"optax"``               ``count``: calls to ``update``; ``MultiSteps`` carries over epochs
========================  ==============================================================

Where a framework cannot run a schedule exactly, :class:`FrameworkError` says
why (never a wrong number); where it runs the same arguments differently
(Keras's ``steps_per_epoch``), the counters are Keras's and a ``"note"`` says
how they differ from the schedule's.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ._text import check_lang, text
from ._validation import check_option, describe_value

if TYPE_CHECKING:
    from .schedule import Schedule

__all__ = [
    "ELIDED",
    "FRAMEWORKS",
    "KERAS_BAR",
    "FrameworkError",
    "counter_notes",
    "counters",
    "from_framework",
    "keras_log",
    "to_framework",
]

#: Keras 3's finished progress bar (``verbose=1``): twenty heavy box-drawing lines.
KERAS_BAR = "\u2501" * 20
#: What stands for the timings and the loss, which differ from run to run.
ELIDED = "\u2026"

FRAMEWORKS = (
    "pytorch",
    "keras",
    "sklearn-sgd",
    "sklearn-mlp",
    "lightning",
    "huggingface",
    "tf1",
    "optax",
)


class FrameworkError(ValueError):
    """A framework cannot express this schedule exactly.

    The message is English, as every raised exception's is. The reason is also
    kept as data, so that a page or ``minigd translate --lang ko`` can show it
    in the reader's language (:meth:`describe`).

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
        fields = dict(self.fields)
        if "why" in fields:
            fields["why"] = text(f"fw_why_{fields['why']}", lang)
        return text(f"fw_{self.code}", lang, **fields)

    def describe(self, lang: str = "en") -> str:
        """The whole message in ``lang``; ``describe("en")`` is ``str(self)``.

        Examples
        --------
        >>> FrameworkError("keras", "keras_max_steps").describe()
        'keras cannot run this schedule exactly: Keras fit has no max_steps'
        """
        lang = check_lang(lang, "FrameworkError.describe")
        return text("fw_cannot", lang, framework=self.framework, reason=self.reason(lang))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_error, (self.framework, self.code, self.fields))


def _rebuild_error(framework: str, code: str, fields: dict[str, Any]) -> FrameworkError:
    return FrameworkError(framework, code, **fields)


def _need(ok: bool, framework: str, code: str, **fields: Any) -> None:
    if not ok:
        raise FrameworkError(framework, code, **fields)


def _pass_only(s: Schedule, fw: str) -> None:
    _need(s.epoch == "pass", fw, "draw_epochs")


def _no_cap(s: Schedule, fw: str, why: str) -> None:
    _need(s.steps_cap is None, fw, "cap", why=why)


def _groups_per_epoch(s: Schedule, fw: str, flushes: bool) -> None:
    nb = s.batches_per_pass
    assert nb is not None
    if s.accumulate == 1 or nb % s.accumulate == 0:
        return
    if flushes:
        _need(not s.accumulate_across_epochs, fw, "flushes")
    else:
        _need(s.accumulate_across_epochs, fw, "carries")


def _keras_capped_iterations(nb: int, cap: int, epochs: int) -> list[int]:
    # Keras 3 on arrays: one iterator across epochs; an epoch that reaches the
    # end of the data stops there ("Your input ran out of data"), and the next
    # one starts a new pass.
    done, position = [], 0
    for _ in range(epochs):
        steps = min(cap, nb - position)
        done.append(steps)
        position = 0 if position + steps == nb else position + steps
    return done


def _hf_final_epoch(s: Schedule) -> float:
    # state.epoch = epoch + (micro-batches of this epoch done) / len(dataloader)
    nb = s.batches_per_pass
    assert nb is not None
    last = s.total_steps - 1
    epoch = s._epoch_of(last)
    done = s._micro_through(last + 1) - epoch * nb
    return epoch + done / nb


def counters(schedule: Schedule, framework: str) -> dict[str, Any]:
    """What ``framework`` will report after running ``schedule``.

    Keys are the expressions a user types there (``"model.optimizer.iterations"``,
    ``"trainer.global_step"``, ...). A ``"note"`` key explains differences.

    Raises
    ------
    FrameworkError
        When the framework cannot run the schedule exactly.

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
    """
    fw = check_option(framework, "framework", "counters", FRAMEWORKS)
    out, notes = _report(schedule, fw)
    if notes:
        out["note"] = "; ".join(text(key, "en", **fields) for key, fields in notes)
    return out


def counter_notes(schedule: Schedule, framework: str, lang: str = "en") -> list[str]:
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
    fw = check_option(framework, "framework", "counter_notes", FRAMEWORKS)
    lang = check_lang(lang, "counter_notes")
    return [text(key, lang, **fields) for key, fields in _report(schedule, fw)[1]]


def _report(s: Schedule, fw: str) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    nb = s.batches_per_pass
    out: dict[str, Any] = {}
    notes: list[tuple[str, dict[str, Any]]] = []
    if fw == "pytorch":
        if s.epoch == "draw":
            _need(
                s.sampling != "sequential" and s.accumulate == 1 and s.world_size == 1,
                fw,
                "pytorch_draw",
            )
            out["len(loader)"] = s.steps_per_epoch
        else:
            out["len(loader)"] = nb
        out["batches"] = s.micro_batches
        out["optimizer.step() calls"] = s.total_steps
        out["scheduler.last_epoch (stepped per update)"] = s.total_steps
        out["scheduler.last_epoch (stepped per epoch)"] = s.epochs_run
        if s.world_size > 1:
            notes.append(("note_ranks", {"r": s.world_size, "n": out["len(loader)"]}))
        if s.micro_batches_unapplied:
            notes.append(("note_unapplied", {"k": s.micro_batches_unapplied}))
    elif fw == "keras":
        _pass_only(s, fw)
        _need(s.world_size == 1, fw, "keras_replicas")
        _need(s.max_steps is None, fw, "keras_max_steps")
        _need(s.sampling != "replacement", fw, "keras_replacement")
        _need(not s.drop_last or s.n_samples % s.batch_size == 0, fw, "keras_drop_last")
        assert nb is not None
        _groups_per_epoch(s, fw, flushes=False)
        if s.steps_cap is not None:
            per_epoch = _keras_capped_iterations(nb, s.steps_cap, s.epochs)
            out["model.optimizer.iterations"] = sum(per_epoch)
            out["len(history.history['loss'])"] = s.epochs
            out["progress_bar"] = f"{s.steps_cap}/{s.steps_cap}"
            out["updates per epoch"] = per_epoch
            if sum(per_epoch) != s.total_steps:
                notes.append(("note_keras_cap", {"cap": s.steps_cap, "total": s.total_steps}))
        else:
            out["model.optimizer.iterations"] = (s.epochs * nb) // s.accumulate
            out["len(history.history['loss'])"] = s.epochs
            out["progress_bar"] = f"{nb}/{nb}"
            if s.accumulate > 1:
                out["optimizer._iterations (batches)"] = s.epochs * nb
                notes.append(("note_keras_raw", {}))
    elif fw == "sklearn-sgd":
        _need(s.batch_size == 1, fw, "sgd_batch", b=s.batch_size)
        _pass_only(s, fw)
        _need(s.accumulate == 1 and s.world_size == 1, fw, "no_accumulation")
        _need(s.sampling != "replacement", fw, "no_replacement")
        _no_cap(s, fw, "max_iter")
        _need(s.max_steps is None, fw, "max_iter")
        out["n_iter_"] = s.epochs
        out["t_"] = s.epochs * s.n_samples + 1
        notes.append(("note_sgd_tol", {}))
    elif fw == "sklearn-mlp":
        _pass_only(s, fw)
        _need(s.accumulate == 1 and s.world_size == 1, fw, "no_accumulation")
        _need(s.sampling != "replacement", fw, "no_replacement")
        _need(not s.drop_last or s.n_samples % s.batch_size == 0, fw, "mlp_drop_last")
        _no_cap(s, fw, "max_iter")
        _need(s.max_steps is None, fw, "max_iter")
        out["n_iter_"] = s.epochs
        out["t_"] = s.samples_seen
        out["len(loss_curve_)"] = s.epochs
        out["updates"] = s.total_steps
        notes.append(("note_mlp", {}))
    elif fw == "lightning":
        _pass_only(s, fw)
        _no_cap(s, fw, "lightning")
        assert nb is not None
        _groups_per_epoch(s, fw, flushes=True)
        out["trainer.num_training_batches"] = nb
        out["trainer.global_step"] = s.total_steps
        out["trainer.estimated_stepping_batches"] = s.total_steps
        out["trainer.current_epoch"] = s.epochs_run
    elif fw == "huggingface":
        _pass_only(s, fw)
        _no_cap(s, fw, "huggingface")
        _need(s.sampling != "replacement", fw, "sampler_no_replacement")
        assert nb is not None
        _groups_per_epoch(s, fw, flushes=True)
        out["len(train_dataloader)"] = nb
        out["state.global_step"] = s.total_steps
        out["max_steps"] = s.total_steps
        out["state.epoch"] = _hf_final_epoch(s)
        out["total_train_batch_size"] = s.effective_batch_size
    elif fw == "tf1":
        _pass_only(s, fw)
        _need(s.accumulate == 1 and s.world_size == 1, fw, "tf1_accumulation")
        _need(s.sampling != "replacement", fw, "tf1_no_replacement")
        _no_cap(s, fw, "tf1")
        assert nb is not None
        streamed = (
            (s.epochs * s.n_samples) // s.batch_size
            if s.drop_last
            else -(-(s.epochs * s.n_samples) // s.batch_size)
        )
        if s.max_steps is not None:
            streamed = min(streamed, s.max_steps)
        out["global_step"] = s.total_steps
        out["global_step with repeat(E).batch(B)"] = streamed
        if streamed != s.total_steps:
            notes.append(("note_tf1", {}))
    else:  # optax
        _need(s.world_size == 1, fw, "optax_replicas")
        if s.accumulate > 1:
            if s.epoch == "pass":
                _groups_per_epoch(s, fw, flushes=False)
            out["MultiSteps gradient_step"] = s.total_steps
            out["MultiSteps mini_step"] = s.micro_batches_unapplied
            out["inner state.count"] = s.total_steps
        else:
            out["state.count"] = s.total_steps
    return out, notes


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
    bar = counters(schedule, "keras")["progress_bar"]
    lines = []
    for epoch in range(schedule.epochs):
        lines.append(f"Epoch {epoch + 1}/{schedule.epochs}")
        lines.append(f"{bar} {KERAS_BAR} {ELIDED} - loss: {ELIDED}")
    return lines


def to_framework(schedule: Schedule, framework: str) -> dict[str, Any]:
    """The arguments that produce ``schedule`` in ``framework``.

    Returns a dict with ``"arguments"`` (flat, what :func:`from_framework`
    accepts), ``"where"`` (which object takes each argument),
    ``"lr_scheduler"`` (the cadence a learning-rate scheduler needs there)
    and ``"counters"`` (what it will report).

    Examples
    --------
    >>> from minigd import Schedule
    >>> to_framework(Schedule(100, 5, 30), "keras")["arguments"]
    {'batch_size': 5, 'epochs': 30, 'shuffle': True}
    """
    fw = check_option(framework, "framework", "to_framework", FRAMEWORKS)
    s = schedule
    report = counters(s, fw)  # raises FrameworkError first when it cannot
    shuffle = s.sampling != "sequential"
    args: dict[str, Any]
    where: dict[str, str]
    if fw == "pytorch":
        args = {
            "batch_size": s.batch_size,
            "epochs": s.epochs,
            "shuffle": shuffle,
            "drop_last": s.drop_last,
            "replacement": s.sampling == "replacement",
            "accumulate": s.accumulate,
            "world_size": s.world_size,
        }
        if s.epoch == "draw":
            args.update({"draw": True, "steps_per_epoch": s.steps_per_epoch})
        if s.steps_cap is not None:
            args["steps_per_epoch"] = s.steps_cap
        if s.accumulate_across_epochs:
            args["accumulate_across_epochs"] = True
        if s.max_steps is not None:
            args["max_steps"] = s.max_steps
        where = {
            "batch_size": "DataLoader",
            "shuffle": "DataLoader (or RandomSampler)",
            "drop_last": "DataLoader",
            "replacement": "RandomSampler(replacement=True)",
            "world_size": "DistributedSampler(num_replicas=...)",
            "epochs": "your loop",
            "accumulate": "your loop: optimizer.step() every k batches",
            "steps_per_epoch": "your loop, over one endless iterator of the loader",
            "max_steps": "your loop: stop after this many optimizer steps",
            "draw": "RandomSampler(num_samples=batch_size * steps_per_epoch)",
        }
        lr = (
            "call scheduler.step() after each optimizer.step() for per-update schedules "
            "(OneCycleLR), once per epoch for per-epoch ones (StepLR)"
        )
    elif fw == "keras":
        args = {"batch_size": s.batch_size, "epochs": s.epochs, "shuffle": shuffle}
        if s.steps_cap is not None:
            args["steps_per_epoch"] = s.steps_cap
        if s.accumulate > 1:
            args["gradient_accumulation_steps"] = s.accumulate
        where = {
            "batch_size": "model.fit",
            "epochs": "model.fit",
            "shuffle": "model.fit",
            "steps_per_epoch": "model.fit",
            "gradient_accumulation_steps": "the optimizer, e.g. keras.optimizers.SGD(...)",
        }
        lr = (
            "keras.optimizers.schedules.* get the raw batch counter (per micro-batch); "
            "the LearningRateScheduler callback gets the epoch index"
        )
    elif fw == "sklearn-sgd":
        args = {"max_iter": s.epochs, "shuffle": shuffle, "tol": None}
        where = {k: "SGDRegressor / SGDClassifier" for k in args}
        lr = "learning_rate='invscaling' and 'optimal' count samples (t_), not epochs"
    elif fw == "sklearn-mlp":
        args = {
            "batch_size": s.batch_size,
            "max_iter": s.epochs,
            "shuffle": shuffle,
            "n_iter_no_change": s.epochs,
        }
        where = {k: "MLPRegressor / MLPClassifier" for k in args}
        lr = "learning_rate='adaptive' divides the rate by 5 per plateau (per epoch)"
    elif fw == "lightning":
        args = {
            "batch_size": s.batch_size,
            "max_epochs": s.epochs,
            "shuffle": shuffle,
            "drop_last": s.drop_last,
            "accumulate_grad_batches": s.accumulate,
            "devices": s.world_size,
        }
        if s.max_steps is not None:
            args["max_steps"] = s.max_steps
        where = {
            "batch_size": "DataLoader",
            "shuffle": "DataLoader",
            "drop_last": "DataLoader",
            "max_epochs": "Trainer",
            "accumulate_grad_batches": "Trainer",
            "devices": "Trainer (strategy='ddp')",
            "max_steps": "Trainer",
        }
        lr = (
            "configure_optimizers: {'interval': 'step'} for per-update schedules; the "
            "default 'epoch' steps once per epoch"
        )
    elif fw == "huggingface":
        epochs: float = float(s.epochs)
        args = {
            "per_device_train_batch_size": s.batch_size,
            "gradient_accumulation_steps": s.accumulate,
            "num_train_epochs": epochs,
            "dataloader_drop_last": s.drop_last,
            "world_size": s.world_size,
        }
        if s.total_steps < s._updates_before_epoch(s.epochs):
            # max_steps replaces num_train_epochs in the Trainer: pass it only when it binds
            args["max_steps"] = s.total_steps
        where = {"world_size": "torchrun --nproc_per_node=...", "shuffle": "always"}
        where.update({k: "TrainingArguments" for k in args if k != "world_size"})
        lr = "the Trainer steps its scheduler once per update; warmup_steps count updates"
    elif fw == "tf1":
        args = {
            "batch_size": s.batch_size,
            "epochs": s.epochs,
            "shuffle": shuffle,
            "drop_remainder": s.drop_last,
        }
        if s.max_steps is not None:
            args["max_steps"] = s.max_steps
        where = {
            "batch_size": "ds.batch(B, drop_remainder=...)",
            "epochs": "ds.repeat(E)",
            "shuffle": "ds.shuffle(N, reshuffle_each_iteration=True)",
            "drop_remainder": "ds.batch",
            "max_steps": "Estimator.train(max_steps=...)",
            "pipeline": "shuffle, then batch, then repeat",
        }
        lr = "tf.compat.v1.train.*_decay(global_step, ...) counts batches"
    else:  # optax
        args = {
            "batch_size": s.batch_size,
            "epochs": s.epochs,
            "sampling": s.sampling,
            "drop_last": s.drop_last,
            "every_k_schedule": s.accumulate,
        }
        if s.epoch == "draw":
            args["draw"] = True
        if s.max_steps is not None:
            args["max_steps"] = s.max_steps
        where = {
            "every_k_schedule": "optax.MultiSteps",
            "batch_size": "your data loop",
            "epochs": "your data loop",
            "sampling": "your data loop",
            "drop_last": "your data loop",
            "max_steps": "your data loop",
        }
        lr = "schedules are functions of the update count: pass total_steps to them"
    return {"arguments": args, "where": where, "lr_scheduler": lr, "counters": report}


def _pop(args: dict[str, Any], name: str, default: Any) -> Any:
    return args.pop(name) if name in args else default


def from_framework(framework: str, n_samples: int, **arguments: Any) -> Schedule:
    """Build the Schedule that ``framework`` runs with these arguments.

    Arguments use the framework's own names and defaults (Keras's
    ``batch_size=32``, Hugging Face's ``num_train_epochs=3.0``, ...).

    Examples
    --------
    >>> s = from_framework("huggingface", n_samples=100, per_device_train_batch_size=3,
    ...                    gradient_accumulation_steps=4, num_train_epochs=1.5)
    >>> s.epochs, s.total_steps, round(counters(s, "huggingface")["state.epoch"], 3)
    (2, 14, 1.588)
    >>> from_framework("keras", n_samples=100, batch_size=5, epochs=30).total_steps
    600
    """
    from .schedule import Schedule

    fw = check_option(framework, "framework", "from_framework", FRAMEWORKS)
    args = dict(arguments)
    n = n_samples
    options: dict[str, Any] = {}
    if fw == "pytorch":
        batch_size = _pop(args, "batch_size", 1)
        epochs = _pop(args, "epochs", 1)
        shuffle = _pop(args, "shuffle", False)
        replacement = _pop(args, "replacement", False)
        options = {
            "drop_last": _pop(args, "drop_last", False),
            "accumulate": _pop(args, "accumulate", 1),
            "world_size": _pop(args, "world_size", 1),
            "accumulate_across_epochs": _pop(args, "accumulate_across_epochs", False),
            "max_steps": _pop(args, "max_steps", None),
            "steps_per_epoch": _pop(args, "steps_per_epoch", None),
            "sampling": "replacement" if replacement else ("shuffle" if shuffle else "sequential"),
        }
        if _pop(args, "draw", False):
            options["epoch"] = "draw"
            if options["steps_per_epoch"] == 1:
                options["steps_per_epoch"] = None
    elif fw == "keras":
        batch_size = _pop(args, "batch_size", 32)
        epochs = _pop(args, "epochs", 1)
        k = _pop(args, "gradient_accumulation_steps", None) or 1
        options = {
            "sampling": "shuffle" if _pop(args, "shuffle", True) else "sequential",
            "steps_per_epoch": _pop(args, "steps_per_epoch", None),
            "accumulate": k,
            "accumulate_across_epochs": k > 1,
        }
    elif fw == "sklearn-sgd":
        batch_size, epochs = 1, _pop(args, "max_iter", 1000)
        _pop(args, "tol", None)
        options = {"sampling": "shuffle" if _pop(args, "shuffle", True) else "sequential"}
    elif fw == "sklearn-mlp":
        batch_size = _pop(args, "batch_size", "auto")
        if batch_size == "auto":
            batch_size = min(200, n)
        epochs = _pop(args, "max_iter", 200)
        _pop(args, "n_iter_no_change", None)
        options = {"sampling": "shuffle" if _pop(args, "shuffle", True) else "sequential"}
    elif fw == "lightning":
        batch_size = _pop(args, "batch_size", 1)
        epochs = _pop(args, "max_epochs", None)
        max_steps = _pop(args, "max_steps", -1)
        if epochs is None or epochs == -1:
            epochs = 1000 if max_steps in (None, -1) else None
        options = {
            "sampling": "shuffle" if _pop(args, "shuffle", False) else "sequential",
            "drop_last": _pop(args, "drop_last", False),
            "accumulate": _pop(args, "accumulate_grad_batches", 1),
            "world_size": _pop(args, "devices", 1),
            "max_steps": None if max_steps in (None, -1) else max_steps,
        }
        if epochs is None:  # only max_steps: as many epochs as it takes
            probe = Schedule(n, batch_size, 1, **{**options, "max_steps": None})
            epochs = -(-options["max_steps"] // probe.total_steps)
    elif fw == "huggingface":
        batch_size = _pop(args, "per_device_train_batch_size", 8)
        num_epochs = _pop(args, "num_train_epochs", 3.0)
        max_steps = _pop(args, "max_steps", -1)
        options = {
            "accumulate": _pop(args, "gradient_accumulation_steps", 1),
            "world_size": _pop(args, "world_size", 1),
            "drop_last": _pop(args, "dataloader_drop_last", False),
        }
        probe = Schedule(n, batch_size, 1, **options)
        per_epoch = max(probe.total_steps, 1)
        if max_steps is not None and max_steps > 0:
            epochs, options["max_steps"] = -(-max_steps // per_epoch), max_steps
        else:
            if (
                isinstance(num_epochs, bool)
                or not isinstance(num_epochs, (int, float))
                or (num_epochs <= 0)
            ):
                raise ValueError(
                    f"The 'num_train_epochs' parameter of from_framework('huggingface') must "
                    f"be a positive number. Got {describe_value(num_epochs)} instead."
                )
            steps = math.ceil(num_epochs * per_epoch)
            epochs = math.ceil(num_epochs)
            if steps != epochs * per_epoch:
                options["max_steps"] = steps
    elif fw == "tf1":
        batch_size = _pop(args, "batch_size", 1)
        epochs = _pop(args, "epochs", 1)
        options = {
            "sampling": "shuffle" if _pop(args, "shuffle", True) else "sequential",
            "drop_last": _pop(args, "drop_remainder", False),
            "max_steps": _pop(args, "max_steps", None),
        }
    else:  # optax
        batch_size = _pop(args, "batch_size", 1)
        epochs = _pop(args, "epochs", 1)
        k = _pop(args, "every_k_schedule", 1)
        options = {
            "sampling": _pop(args, "sampling", "shuffle"),
            "drop_last": _pop(args, "drop_last", False),
            "max_steps": _pop(args, "max_steps", None),
            "accumulate": k,
            "accumulate_across_epochs": k > 1,
        }
        if _pop(args, "draw", False):
            options["epoch"] = "draw"
            options["accumulate_across_epochs"] = False
    if args:
        raise TypeError(
            f"from_framework({fw!r}) got arguments it does not know: {sorted(args)}. See "
            f"to_framework(schedule, {fw!r})['arguments'] for the names it takes."
        )
    return Schedule(n, batch_size, epochs, **options)
