"""The forum Q&A minigd is built on, recomputed by :class:`~minigd.Schedule`.

A student asked (in Korean) how epochs, iterations and batch sizes relate for
GD, SGD and mini-batch SGD with 100 samples and 500 epochs; an instructor
answered with Keras's vocabulary. The student's table mixes two definitions of
an epoch: the framework definition (a full pass, ``epoch="pass"``) and what the
answer calls the original definition (원론적: one random batch per epoch,
``epoch="draw"``; textbooks define an epoch as a full pass, but toy loops whose
loop variable is called ``epoch`` often draw one batch). The follow-up's
50,000 is 100 x 500 per-sample gradients at any batch size, or the steps of
batch size 1. Every table here is computed, so those slips show up as
mismatches.

The only hard-coded numbers are the *student's claims* (:data:`STUDENT_CLAIMS`)
and the scenario's inputs; every other cell comes from a Schedule.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .._text import check_lang, law_text, name, text
from ..counting import batch_sizes_for
from ..display import Table, format_value
from ..schedule import Schedule

__all__ = [
    "EPOCHS",
    "N_SAMPLES",
    "STUDENT_CLAIMS",
    "Claim",
    "academic_vs_framework",
    "budgets",
    "first_question",
    "follow_up",
    "instructor_example",
    "p_every_sample_used",
    "qa_report",
    "qa_tables",
    "sample_uses",
    "student_table",
]

#: The Q&A's data set size and epoch count.
N_SAMPLES = 100
EPOCHS = 500


class Claim(NamedTuple):
    """One row of the student's table, as the student wrote it.

    Examples
    --------
    >>> STUDENT_CLAIMS[1].method, STUDENT_CLAIMS[1].iterations
    ('SGD', 50000)
    """

    method: str
    batch_size: int
    uses_per_sample: float
    total_training: int
    iterations: int


#: The student's table, verbatim from the forum (inputs, not results).
STUDENT_CLAIMS = (
    Claim("GD", 100, 500, 50_000, 500),
    Claim("SGD", 1, 5, 500, 50_000),  # "about 5 times each, on average"
    Claim("mini-batch", 10, 50, 5_000, 5_000),
)


CONVENTIONS = ("draw", "pass")


def _schedules(batch_size: int) -> dict[str, Schedule]:
    return {conv: Schedule(N_SAMPLES, batch_size, EPOCHS, epoch=conv) for conv in CONVENTIONS}


def _cells(s: Schedule) -> dict[str, float]:
    return {
        "cell_uses": s.data_passes,
        "cell_total": s.samples_seen,
        "cell_iterations": s.total_steps,
    }


def _columns(lang: str, *keys: str) -> dict[str, str]:
    # each column's stable key (records, --json) and its heading in lang
    return {k: text(k, lang) for k in keys}


def _conv(conv: str, lang: str) -> str:
    return name(conv, lang)


def student_table(lang: str = "en") -> Table:
    """The student's table, each cell recomputed under both definitions of an epoch.

    A row whose cells match different definitions is marked as mixed: that is
    the inconsistency in the original question. A last note says that the
    question defines an iteration per epoch but the table counts totals.

    Examples
    --------
    >>> t = student_table()
    >>> [r["matches"] for r in t.to_records() if r["method"] == "SGD"]
    ['original definition', 'original definition', 'framework definition']
    >>> print(t.notes[1])
    SGD: MIXED: this row takes cells from both definitions
    """
    lang = check_lang(lang, "student_table")
    rows: list[list[Any]] = []
    notes: list[str] = []
    for claim in STUDENT_CLAIMS:
        computed = {conv: _cells(s) for conv, s in _schedules(claim.batch_size).items()}
        claimed = {
            "cell_uses": claim.uses_per_sample,
            "cell_total": claim.total_training,
            "cell_iterations": claim.iterations,
        }
        explained: set[str] = set(CONVENTIONS)
        for key, value in claimed.items():
            fits = {conv for conv in CONVENTIONS if computed[conv][key] == value}
            explained &= fits
            verdict = (
                text("both", lang)
                if len(fits) == 2
                else _conv(fits.pop(), lang)
                if fits
                else text("neither", lang)
            )
            rows.append(
                [
                    text(claim.method, lang),
                    claim.batch_size,
                    text(key, lang),
                    value,
                    computed["draw"][key],
                    computed["pass"][key],
                    verdict,
                ]
            )
        if len(explained) == 2:
            notes.append(f"{text(claim.method, lang)}: {text('consistent_both', lang)}")
        elif explained:
            conv = _conv(explained.pop(), lang)
            notes.append(f"{text(claim.method, lang)}: {text('consistent', lang, conv=conv)}")
        else:
            notes.append(f"{text(claim.method, lang)}: {text('mixed', lang)}")
    per_epoch = " / ".join(
        format_value(Schedule(N_SAMPLES, c.batch_size, EPOCHS).steps_per_epoch)
        for c in STUDENT_CLAIMS
    )
    notes.append(text("iterations_per_epoch_note", lang, per_epoch=per_epoch, epochs=EPOCHS))
    cols = _columns(
        lang, "method", "batch_size", "quantity", "claimed", "under_draw", "under_pass", "matches"
    )
    return Table(cols, rows, title=text("qa_student", lang), notes=notes)


def first_question(lang: str = "en") -> Table:
    """The first question answered under each definition on its own.

    "``iterations x batch_size`` is equal in every row, but each sample's share
    differs, right?" Under one definition, ``iterations x batch_size`` is the
    number of per-sample gradients, which is ``N`` times each sample's uses:
    an equal product means equal shares.

    Examples
    --------
    >>> t = first_question()
    >>> [(r[1], r[3], r[4], r[5]) for r in t.rows if r[0] == "SGD"]
    [('original definition', 500, 500, 5.0), ('framework definition', 50000, 50000, 500.0)]
    >>> t.notes[1]
    'framework definition: equal: 500 uses each'
    """
    lang = check_lang(lang, "first_question")
    rows: list[list[Any]] = []
    notes: list[str] = []
    for conv in CONVENTIONS:
        uses = []
        for claim in STUDENT_CLAIMS:
            s = Schedule(N_SAMPLES, claim.batch_size, EPOCHS, epoch=conv)
            product = s.total_steps * s.batch_size
            uses.append(product / N_SAMPLES)
            rows.append(
                [
                    text(claim.method, lang),
                    _conv(conv, lang),
                    s.batch_size,
                    s.total_steps,
                    product,
                    s.data_passes,
                ]
            )
        verdict = (
            text("shares_equal", lang, uses=format_value(uses[0]))
            if len(set(uses)) == 1
            else text("shares_differ", lang)
        )
        notes.append(f"{_conv(conv, lang)}: {verdict}")
    notes.append(text("first_answer", lang, n=N_SAMPLES))
    cols = _columns(
        lang,
        "method",
        "epoch_convention",
        "batch_size",
        "cell_iterations",
        "iterations_x_batch",
        "cell_uses",
    )
    return Table(cols, rows, title=text("qa_first", lang), notes=notes)


def instructor_example(lang: str = "en") -> Table:
    """The instructor's example, 100 samples, batch 5, 30 epochs, in every count.

    The last two rows put "iterations counted as epochs" (what the answer says
    Keras does, and what Keras's log shows) beside Keras's own counter
    ``model.optimizer.iterations``, which counts batches.

    Examples
    --------
    >>> print(instructor_example())  # doctest: +ELLIPSIS
    2. The instructor's Keras example: 100 samples, batch 5, 30 epochs
    ...
    steps per epoch 20 updates in one epoch
    total steps (updates) 600 optimizer updates in the run
    ...
    iterations counted as epochs 30 counted as epochs (Keras log, scikit-learn max_iter)
    Keras model.optimizer.iterations 600 Keras's counter: batches (updates), not epochs
    """
    lang = check_lang(lang, "instructor_example")
    s = Schedule(N_SAMPLES, 5, 30)
    table = s.describe(lang)
    by_epoch = s.replace(iteration="epoch")
    keras = s.counters("keras")["model.optimizer.iterations"]
    rows = [
        *table.rows,
        [text("iter_as_epochs", lang), by_epoch.iterations, text("m_iterations_epoch", lang)],
        [text("keras_iterations", lang), keras, text("m_keras_iterations", lang)],
    ]
    columns = dict(zip(table.keys, table.columns, strict=True))
    return Table(columns, rows, title=text("qa_instructor", lang))


def academic_vs_framework(lang: str = "en") -> Table:
    """The instructor's four cases: GD, SGD, mini-batch in theory and in frameworks.

    Examples
    --------
    >>> [r[-2] for r in academic_vs_framework().rows]
    [500, 500, 500, 10000]
    """
    lang = check_lang(lang, "academic_vs_framework")
    cases = [
        (text("GD", lang), Schedule.gd(N_SAMPLES, EPOCHS, epoch="draw")),
        (text("SGD", lang), Schedule.sgd(N_SAMPLES, EPOCHS, epoch="draw")),
        (text("mb_theory", lang), Schedule.minibatch(N_SAMPLES, 5, EPOCHS, epoch="draw")),
        (text("mb_framework", lang), Schedule.minibatch(N_SAMPLES, 5, EPOCHS, epoch="pass")),
    ]
    cols = _columns(
        lang,
        "method",
        "epoch_convention",
        "batch_size",
        "epochs",
        "steps_per_epoch",
        "total_steps",
        "samples_seen",
    )
    rows = [
        [
            label,
            _conv(s.epoch, lang),
            s.batch_size,
            s.epochs,
            s.steps_per_epoch,
            s.total_steps,
            s.samples_seen,
        ]
        for label, s in cases
    ]
    return Table(cols, rows, title=text("qa_academic", lang))


def follow_up(lang: str = "en") -> Table:
    """The follow-up's "50,000", read as steps and as per-sample gradients.

    As steps, 500 framework epochs over 100 samples give 50,000 only at batch
    size 1 (batch 5 gives 10,000). As per-sample gradients, the question's
    own "total training" unit, 100 x 500 = 50,000 at any batch size: the
    constant ``iterations x batch_size`` of the student's table.

    Examples
    --------
    >>> [(r[1], r[-1]) for r in follow_up().rows]
    [(5, 10000), (10, 5000), (1, 50000), (5, 50000), (10, 50000), (1, 50000)]
    >>> follow_up().notes[0]
    'as steps: 50,000 steps over 100 samples and 500 epochs need batch size 1'
    """
    lang = check_lang(lang, "follow_up")
    claimed = 50_000
    rows = []
    for reading in ("reading_steps", "reading_samples"):
        for b in (5, 10, 1):
            s = Schedule(N_SAMPLES, b, EPOCHS)
            value = s.total_steps if reading == "reading_steps" else s.samples_seen
            rows.append([text(reading, lang, b=b), b, claimed, value])
    sizes = batch_sizes_for(claimed, N_SAMPLES, EPOCHS)
    sizes_text = ", ".join(str(b) for b in sizes) or text("none", lang)
    fields = {"claimed": format_value(claimed), "n": N_SAMPLES, "epochs": EPOCHS}
    notes = [
        text("followup_steps_note", lang, sizes=sizes_text, **fields),
        text("followup_samples_note", lang, **fields),
    ]
    cols = _columns(lang, "reading", "batch_size", "claim", "computed")
    return Table(cols, rows, title=text("qa_followup", lang), notes=notes)


def budgets(lang: str = "en") -> Table:
    """The second question: what "fewer times" means depends on the budget held fixed.

    Hold the passes over the data fixed (500 framework epochs) and every
    method uses each sample 500 times; SGD makes ``N/B`` times as many updates.
    Hold the updates fixed (500) and SGD sees ``B/N`` of the data GD sees.

    Examples
    --------
    >>> [(r[0], r[3], r[4]) for r in budgets().rows]  # doctest: +NORMALIZE_WHITESPACE
    [('GD', 500, 500.0), ('mini-batch', 5000, 500.0), ('SGD', 50000, 500.0),
     ('GD', 500, 500.0), ('mini-batch', 500, 50.0), ('SGD', 500, 5.0)]
    """
    lang = check_lang(lang, "budgets")
    methods = sorted(STUDENT_CLAIMS, key=lambda c: -c.batch_size)
    rows: list[list[Any]] = []
    for conv in ("pass", "draw"):
        for claim in methods:
            s = Schedule(N_SAMPLES, claim.batch_size, EPOCHS, epoch=conv)
            held = (
                text("budget_passes", lang, epochs=EPOCHS)
                if conv == "pass"
                else text("budget_updates", lang, updates=EPOCHS)
            )
            rows.append(
                [text(claim.method, lang), held, s.batch_size, s.total_steps, s.data_passes]
            )
    sgd = STUDENT_CLAIMS[1]
    ratio = N_SAMPLES // sgd.batch_size
    notes = [
        text("budget_note_passes", lang, epochs=EPOCHS, ratio=ratio),
        text("budget_note_updates", lang, ratio=ratio),
    ]
    cols = _columns(lang, "method", "budget", "batch_size", "updates", "cell_uses")
    return Table(cols, rows, title=text("qa_budget", lang), notes=notes)


def p_every_sample_used(schedule: Schedule) -> float:
    """The probability that every sample is used at least once in the run.

    Exact for fixed schedules (1 or 0) and for ``"draw"`` epochs that draw
    distinct samples at random, by inclusion-exclusion over the samples left
    out: ``sum_k (-1)^k C(N, k) (C(N-k, B) / C(N, B))^D`` for ``D`` draws.

    Parameters
    ----------
    schedule : Schedule
        A schedule without accumulation or replicas.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``schedule`` is not a Schedule.
    ValueError
        If the schedule is random in a way this formula does not cover.

    Examples
    --------
    >>> round(p_every_sample_used(Schedule(100, 1, 500, epoch="draw")), 3)
    0.512
    >>> p_every_sample_used(Schedule(100, 5, 30))
    1.0
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(
            f"The 'schedule' parameter of p_every_sample_used must be a Schedule. "
            f"Got {type(schedule).__name__} instead."
        )
    x = schedule.exposure_summary()
    if not x.random:
        return 1.0 if x.min > 0 else 0.0
    s = schedule
    if s.epoch != "draw" or s.sampling != "shuffle" or s.accumulate != 1 or s.world_size != 1:
        raise ValueError(
            "The 'schedule' parameter of p_every_sample_used must be fixed, or use "
            "epoch='draw' with sampling='shuffle' and no accumulation or replicas. "
            f"Got {s!r} instead."
        )
    n, b, draws = s.n_samples, s.batch_size, s.total_steps
    total = math.comb(n, b)
    terms = [
        (-1) ** k * math.comb(n, k) * (math.comb(n - k, b) / total) ** draws
        for k in range(n - b + 1)
    ]
    return math.fsum(terms)


def sample_uses(lang: str = "en") -> Table:
    """How many times each sample is used, per method and definition of an epoch.

    Under the framework definition every sample is used once per epoch by all
    three methods; under the original definition SGD uses each sample 5 times
    on average, about 0.66 of the 100 samples are never used, and about half
    of the runs use every sample.

    Examples
    --------
    >>> [(r[0], r[3], round(r[5], 3)) for r in sample_uses().rows if r[1].startswith("orig")]
    [('GD', 500.0, 0.0), ('SGD', 5.0, 0.657), ('mini-batch', 50.0, 0.0)]
    """
    lang = check_lang(lang, "sample_uses")
    rows = []
    for claim in STUDENT_CLAIMS:
        for conv in ("pass", "draw"):
            s = _schedules(claim.batch_size)[conv]
            x = s.exposure_summary()
            law = law_text(x.distribution, lang)
            rows.append(
                [
                    text(claim.method, lang),
                    _conv(conv, lang),
                    s.batch_size,
                    x.mean,
                    law,
                    x.expected_never_used,
                    p_every_sample_used(s),
                ]
            )
    cols = _columns(
        lang,
        "method",
        "epoch_convention",
        "batch_size",
        "cell_uses",
        "law",
        "unused_expected",
        "p_all_used",
    )
    return Table(cols, rows, title=text("qa_second", lang))


def qa_tables(lang: str = "en") -> dict[str, Table]:
    """Every table of the Q&A walk-through, by name.

    Examples
    --------
    >>> list(qa_tables())  # doctest: +NORMALIZE_WHITESPACE
    ['student', 'first_question', 'instructor', 'academic_vs_framework', 'follow_up',
     'budgets', 'sample_uses']
    """
    lang = check_lang(lang, "qa_tables")
    return {
        "student": student_table(lang),
        "first_question": first_question(lang),
        "instructor": instructor_example(lang),
        "academic_vs_framework": academic_vs_framework(lang),
        "follow_up": follow_up(lang),
        "budgets": budgets(lang),
        "sample_uses": sample_uses(lang),
    }


def qa_report(lang: str = "en", width: int | None = None) -> str:
    """All the Q&A tables as one text report (what ``minigd explain --qa`` prints).

    ``width``: at most this many columns per line (see :meth:`Table.to_text`).

    Examples
    --------
    >>> "MIXED" in qa_report()
    True
    >>> max(len(line) for line in qa_report(width=80).splitlines())
    80
    """
    return "\n\n".join(t.to_text(width) for t in qa_tables(lang).values())
