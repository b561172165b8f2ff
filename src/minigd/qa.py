"""The forum Q&A minigd is built on, recomputed by :class:`~minigd.Schedule`.

A student asked (in Korean) how epochs, iterations and batch sizes relate for
GD, SGD and mini-batch SGD with 100 samples and 500 epochs; an instructor
answered with Keras's vocabulary. The student's table mixes two epoch
definitions, and the follow-up quotes 50,000 steps where batch 5 gives 10,000.
Every table here is computed, so those slips show up as mismatches.

The only hard-coded numbers are the *student's claims* (:data:`STUDENT_CLAIMS`)
and the scenario's inputs; every other cell comes from a Schedule.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ._text import check_lang, text
from .display import Table
from .schedule import Schedule, batch_sizes_for

__all__ = [
    "EPOCHS",
    "N_SAMPLES",
    "STUDENT_CLAIMS",
    "Claim",
    "academic_vs_framework",
    "follow_up",
    "instructor_example",
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


def _schedules(batch_size: int) -> dict[str, Schedule]:
    return {conv: Schedule(N_SAMPLES, batch_size, EPOCHS, epoch=conv) for conv in ("draw", "pass")}


def _cells(s: Schedule) -> dict[str, float]:
    return {
        "cell_uses": s.data_passes,
        "cell_total": s.samples_seen,
        "cell_iterations": s.total_steps,
    }


def student_table(lang: str = "en") -> Table:
    """The student's table, each cell recomputed under "draw" and "pass".

    A row whose cells match different definitions is marked as mixed: that is
    the inconsistency in the original question.

    Examples
    --------
    >>> t = student_table()
    >>> [r["matches"] for r in t.to_records() if r["method"] == "SGD"]
    ['draw', 'draw', 'pass']
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
        explained: set[str] = {"draw", "pass"}
        for key, value in claimed.items():
            fits = {conv for conv in ("draw", "pass") if computed[conv][key] == value}
            explained &= fits
            verdict = (
                text("both", lang)
                if len(fits) == 2
                else fits.pop()
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
            conv = explained.pop()
            notes.append(f"{text(claim.method, lang)}: {text('consistent', lang, conv=conv)}")
        else:
            notes.append(f"{text(claim.method, lang)}: {text('mixed', lang)}")
    cols = [
        text(k, lang)
        for k in (
            "method",
            "batch_size",
            "quantity",
            "claimed",
            "under_draw",
            "under_pass",
            "matches",
        )
    ]
    return Table(cols, rows, title=text("qa_student", lang), notes=notes)


def instructor_example(lang: str = "en") -> Table:
    """The instructor's example, 100 samples, batch 5, 30 epochs, in every count.

    Examples
    --------
    >>> print(instructor_example())  # doctest: +ELLIPSIS
    2. The instructor's Keras example: 100 samples, batch 5, 30 epochs
    ...
    steps per epoch 20 updates in one epoch
    total steps (updates) 600 optimizer updates in the run
    ...
    """
    lang = check_lang(lang, "instructor_example")
    s = Schedule(N_SAMPLES, 5, 30)
    table = s.describe(lang)
    by_epoch = s.replace(iteration="epoch")
    rows = [
        *table.rows,
        [text("iter_as_epochs", lang), by_epoch.iterations, text("m_iterations_epoch", lang)],
    ]
    return Table(table.columns, rows, title=text("qa_instructor", lang))


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
    cols = [
        text(k, lang)
        for k in (
            "method",
            "epoch_convention",
            "batch_size",
            "epochs",
            "steps_per_epoch",
            "total_steps",
            "samples_seen",
        )
    ]
    rows = [
        [name, s.epoch, s.batch_size, s.epochs, s.steps_per_epoch, s.total_steps, s.samples_seen]
        for name, s in cases
    ]
    return Table(cols, rows, title=text("qa_academic", lang))


def follow_up(lang: str = "en") -> Table:
    """The follow-up's "50,000 steps" checked against batch 5, batch 10 and batch 1.

    Examples
    --------
    >>> [(r[1], r[-1]) for r in follow_up().rows]
    [(5, 10000), (10, 5000), (1, 50000)]
    >>> follow_up().notes[0]
    'batch sizes giving it: 50,000 steps over 100 samples and 500 epochs need batch size 1'
    """
    lang = check_lang(lang, "follow_up")
    claimed = 50_000
    rows = []
    for b in (5, 10, 1):
        s = Schedule(N_SAMPLES, b, EPOCHS)
        rows.append([text("mini-batch" if b > 1 else "SGD", lang), b, claimed, s.total_steps])
    sizes = batch_sizes_for(claimed, N_SAMPLES, EPOCHS)
    sizes_text = ", ".join(str(b) for b in sizes) or "none"
    note = (
        f"{text('batch_sizes_giving', lang)}: {claimed:,} steps over {N_SAMPLES} samples and "
        f"{EPOCHS} epochs need batch size {sizes_text}"
    )
    if lang == "ko":
        note = (
            f"{text('batch_sizes_giving', lang)}: 샘플 {N_SAMPLES}개, 에포크 {EPOCHS}에서 "
            f"{claimed:,} 스텝이 나오는 배치 크기는 {sizes_text}"
        )
    cols = [text(k, lang) for k in ("method", "batch_size", "claim", "computed")]
    cols[-1] = f"{cols[-1]}: {text('total_steps', lang)}"
    return Table(cols, rows, title=text("qa_followup", lang), notes=[note])


def sample_uses(lang: str = "en") -> Table:
    """How many times each sample is used, per method and epoch definition.

    The evidence for the second question: under "pass" every sample is used
    once per epoch by all three methods; under "draw" SGD uses each sample
    far fewer times.

    Examples
    --------
    >>> [(r[0], r[1], r[3]) for r in sample_uses().rows]  # doctest: +NORMALIZE_WHITESPACE
    [('GD', 'pass', 500.0), ('GD', 'draw', 500.0), ('SGD', 'pass', 500.0),
     ('SGD', 'draw', 5.0), ('mini-batch', 'pass', 500.0), ('mini-batch', 'draw', 50.0)]
    """
    lang = check_lang(lang, "sample_uses")
    rows = []
    for claim in STUDENT_CLAIMS:
        for conv, s in reversed(_schedules(claim.batch_size).items()):
            x = s.exposure_summary()
            law = x.distribution if x.random else text("exactly", lang, n=f"{x.min:,}")
            rows.append([text(claim.method, lang), conv, s.batch_size, x.mean, law, x.p_never])
    cols = [
        text(k, lang)
        for k in ("method", "epoch_convention", "batch_size", "exposures", "law", "p_never")
    ]
    return Table(cols, rows, title=text("qa_second", lang))


def qa_tables(lang: str = "en") -> dict[str, Table]:
    """Every table of the Q&A walk-through, by name.

    Examples
    --------
    >>> list(qa_tables())
    ['student', 'instructor', 'academic_vs_framework', 'follow_up', 'sample_uses']
    """
    lang = check_lang(lang, "qa_tables")
    return {
        "student": student_table(lang),
        "instructor": instructor_example(lang),
        "academic_vs_framework": academic_vs_framework(lang),
        "follow_up": follow_up(lang),
        "sample_uses": sample_uses(lang),
    }


def qa_report(lang: str = "en") -> str:
    """All the Q&A tables as one text report (what ``minigd explain --qa`` prints).

    Examples
    --------
    >>> "MIXED" in qa_report()
    True
    """
    return "\n\n".join(str(t) for t in qa_tables(lang).values())
