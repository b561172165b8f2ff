"""Tables for terminals, Markdown and Jupyter, and the tables that show a Schedule.

This module is handed the values it shows (a Schedule, rows of numbers) and
never imports their modules: the arrows point from the data to its display.
A :class:`Table` keeps raw values (ints, floats, strings) and formats them
only when shown, so ``to_records()`` and ``--json`` carry the numbers while
``str()`` shows ``50,000``. Text alignment counts Korean characters as two
columns, as terminals draw them.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._text import check_lang, law_text, name, text

if TYPE_CHECKING:
    from .exposures import ExposureSummary
    from .schedule import Schedule

__all__ = [
    "Progress",
    "Table",
    "compare_schedules",
    "describe_schedule",
    "fixed_law",
    "format_value",
    "wrap",
]


def format_value(value: Any) -> str:
    """Format one cell: thousands separators for ints, short floats.

    Examples
    --------
    >>> format_value(50000), format_value(5.0), format_value(0.36603), format_value("GD")
    ('50,000', '5', '0.366', 'GD')
    >>> format_value(None), format_value(float("nan")), format_value(float("inf"))
    ('-', '', 'inf')

    NaN (no value recorded, such as the validation loss of a run without
    validation data) shows as an empty cell.
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "" if math.isnan(value) else str(value)
        if value == int(value) and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:.3g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def wrap(s: str, width: int, indent: str = "") -> list[str]:
    """Break ``s`` into lines at most ``width`` columns wide, between words.

    Korean characters count two columns, as terminals draw them. Lines after
    the first start with ``indent``; a word wider than a line is cut.

    Examples
    --------
    >>> wrap("what each framework will report", 16)
    ['what each', 'framework will', 'report']
    >>> wrap("- 에포크마다 100번 업데이트합니다", 18, indent="  ")
    ['- 에포크마다 100번', '  업데이트합니다']
    """
    width = max(width, _width(indent) + 2)  # room for one character after the indent
    lines: list[str] = []
    line = ""
    for word in s.split():
        if line and _width(f"{line} {word}") <= width:
            line += f" {word}"
            continue
        if line:
            lines.append(line)
        line = (indent if lines else "") + word
        while _width(line) > width:  # a word wider than the line: cut it
            cut = _fit(line, width)
            lines.append(line[:cut])
            line = indent + line[cut:]
    lines.append(line)
    return lines


def _fit(s: str, width: int) -> int:
    # how many characters of s fit in width columns (at least one)
    used = 0
    for i, c in enumerate(s):
        used += _width(c)
        if used > width:
            return max(i, 1)
    return len(s)


def _wrap_text(s: str, width: int | None) -> list[str]:
    # a note or title: wrapped, a "- " item indented under its first word
    if width is None or _width(s) <= width:
        return [s]
    indent = " " * (len(s) - len(s.lstrip(" -")))
    return wrap(s, width, indent)


def _pad(s: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(s))
    return gap + s if right else s + gap


class Table:
    """A small table with a title, column headings and rows of raw values.

    Parameters
    ----------
    columns : sequence of str, or dict of str to str
        Column headings; or a dict from each column's key (a stable name,
        the same in every language) to its heading. The keys name the values
        in :meth:`to_records` and ``--json``; by default they are the headings.
    rows : sequence of sequence
        One sequence of values per row, as long as ``columns``.
    title : str, optional
        Shown above the table.
    notes : sequence of str, optional
        Footnotes shown below it.
    formats : dict of str to str, optional
        A format spec for the floats of a column, by column key, so that every
        cell of the column shows the same digits: ``{"loss": "#.3g"}`` shows
        0.0082 as ``0.00820`` beside ``0.0116``. Other cells, and other
        columns, use :func:`format_value`.

    Examples
    --------
    >>> t = Table(["method", "steps"], [["GD", 500], ["SGD", 50000]])
    >>> print(t)
    method   steps
    ------  ------
    GD         500
    SGD     50,000
    >>> print(t.to_markdown())
    | method | steps |
    | --- | ---: |
    | GD | 500 |
    | SGD | 50,000 |
    >>> print(Table(["loss"], [[0.0082], [0.0116]], formats={"loss": "#.3g"}))
       loss
    -------
    0.00820
     0.0116
    """

    def __init__(
        self,
        columns: Sequence[str] | dict[str, str],
        rows: Sequence[Sequence[Any]],
        title: str | None = None,
        notes: Sequence[str] = (),
        formats: Mapping[str, str] | None = None,
    ) -> None:
        self.keys: tuple[str, ...] = tuple(columns)
        self.columns: tuple[str, ...] = (
            tuple(columns.values()) if isinstance(columns, dict) else self.keys
        )
        self.rows: tuple[tuple[Any, ...], ...] = tuple(tuple(r) for r in rows)
        self.title = title
        self.notes: tuple[str, ...] = tuple(notes)
        self.formats: dict[str, str] = dict(formats or {})
        for key, spec in self.formats.items():
            if key not in self.keys or not isinstance(spec, str):
                raise ValueError(
                    f"The 'formats' parameter of Table must map column keys {list(self.keys)!r} "
                    f"to format specs (str). Got {key!r}: {spec!r} instead."
                )
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"Row {i} of Table has {len(row)} cells; expected {len(self.columns)} "
                    f"(one per column)."
                )

    def _cells(self) -> list[list[str]]:
        # each cell as shown: its column's format for a finite float, else format_value
        specs = [self.formats.get(k) for k in self.keys]
        return [
            [
                format(v, spec)
                if spec and isinstance(v, float) and math.isfinite(v)
                else format_value(v)
                for v, spec in zip(row, specs, strict=True)
            ]
            for row in self.rows
        ]

    def _numeric(self, j: int) -> bool:
        values = [r[j] for r in self.rows if r[j] is not None]
        return bool(values) and all(_is_number(v) for v in values)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        title = f", title={self.title!r}" if self.title else ""
        return f"Table(columns={list(self.columns)!r}, rows={len(self.rows)}{title})"

    def to_text(self, width: int | None = None) -> str:
        """The table as plain text, at most ``width`` columns wide if given.

        Too wide a table first wraps its headings, then its longest text
        cells between words (numbers are never broken); if even that does not
        fit, each row is shown as a block of "heading: value" lines. Korean
        characters count two columns. ``str(table)`` is ``to_text()``.

        Parameters
        ----------
        width : int, optional
            The terminal's width in columns (``shutil.get_terminal_size()``).

        Examples
        --------
        >>> t = Table(["method", "total steps (updates)"], [["GD", 500], ["SGD", 50000]])
        >>> print(t.to_text(width=20))
                 total steps
        method     (updates)
        ------  ------------
        GD               500
        SGD           50,000
        >>> print(t.to_text(width=14))
        method: GD
        total steps
        (updates):
            500
        <BLANKLINE>
        method: SGD
        total steps
        (updates):
            50,000
        """
        cells = self._cells()
        layout = _column_widths(self.columns, cells, width)
        lines = _wrap_text(self.title, width) if self.title else []
        if layout is None:  # blocks of lines, set apart from the title and the notes
            blocks = self._vertical(cells, width or 0)
            lines += [""] * bool(lines) + blocks + [""] * bool(self.notes)
        else:
            lines += self._grid(cells, *layout)
        for note in self.notes:
            lines += _wrap_text(note, width)
        return "\n".join(line.rstrip() for line in lines)

    def _grid(self, cells: list[list[str]], widths: list[int], gap: str) -> list[str]:
        right = [self._numeric(j) for j in range(len(self.columns))]
        heads = [wrap(c, w) for c, w in zip(self.columns, widths, strict=True)]
        depth = max(len(h) for h in heads)
        heads = [[""] * (depth - len(h)) + h for h in heads]  # headings sit on the rule
        lines = [
            gap.join(_pad(h[i], w, r) for h, w, r in zip(heads, widths, right, strict=True))
            for i in range(depth)
        ]
        lines.append(gap.join("-" * w for w in widths))
        wrapped = [[wrap(c, w) for c, w in zip(row, widths, strict=True)] for row in cells]
        # a first cell on two lines would read as two rows: a blank line between rows
        apart = any(len(parts[0]) > 1 for parts in wrapped)
        for k, (raw, parts) in enumerate(zip(self.rows, wrapped, strict=True)):
            if apart and k:
                lines.append("")
            # Numbers sit right, words left, even in a column that mixes them.
            for i in range(max(len(p) for p in parts)):
                lines.append(
                    gap.join(
                        _pad(p[i] if i < len(p) else "", w, _is_number(v))
                        for p, w, v in zip(parts, widths, raw, strict=True)
                    )
                )
        return lines

    def _vertical(self, cells: list[list[str]], width: int) -> list[str]:
        lines: list[str] = []
        for i, row in enumerate(cells):
            if i:
                lines.append("")
            for heading, cell in zip(self.columns, row, strict=True):
                if _width(f"{heading}: {cell}") <= width:
                    lines.append(f"{heading}: {cell}")
                else:  # the value on its own lines, under its heading
                    lines += wrap(f"{heading}:", width)
                    lines += ["    " + part for part in wrap(cell, width - 4)]
        return lines

    def to_markdown(self) -> str:
        """The table as GitHub-flavoured Markdown (title and notes omitted).

        Examples
        --------
        >>> print(Table(["a", "b"], [["x", 1000]]).to_markdown())
        | a | b |
        | --- | ---: |
        | x | 1,000 |
        """
        align = ["---:" if self._numeric(j) else "---" for j in range(len(self.columns))]
        lines = ["| " + " | ".join(self.columns) + " |", "| " + " | ".join(align) + " |"]
        for row in self._cells():
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape as esc

        parts = ['<table class="minigd-table">']
        if self.title:
            parts.append(f"<caption>{esc(self.title)}</caption>")
        parts.append("<thead><tr>")
        parts.extend(f"<th>{esc(c)}</th>" for c in self.columns)
        parts.append("</tr></thead><tbody>")
        for row in self._cells():
            parts.append("<tr>")
            for j, cell in enumerate(row):
                style = ' style="text-align:right"' if self._numeric(j) else ""
                parts.append(f"<td{style}>{esc(cell)}</td>")
            parts.append("</tr>")
        parts.append("</tbody></table>")
        parts.extend(f"<p>{esc(n)}</p>" for n in self.notes)
        return "".join(parts)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row, keyed by column key (by default its heading), with the raw values.

        Examples
        --------
        >>> Table(["a", "b"], [[1, 2.5]]).to_records()
        [{'a': 1, 'b': 2.5}]
        >>> Table({"method": "방법"}, [["GD"]]).to_records()
        [{'method': 'GD'}]
        """
        return [dict(zip(self.keys, row, strict=True)) for row in self.rows]


class Progress:
    """Keras-style progress: ``Epoch 3/30`` then ``20/20 [====] - loss: 0.0123``.

    ``verbose=1`` redraws the bar in place on a terminal, at most every
    ``interval`` seconds (never every update: printing costs more than a small
    update), and prints the finished bar once per epoch elsewhere (a pipe, a
    notebook). ``verbose=2`` prints one line per epoch.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> p = Progress(epochs=2, steps_per_epoch=4, verbose=2, stream=out)
    >>> p.epoch_end(0, loss=0.5, seconds=0.004, extra={"val_loss": 0.25})
    >>> print(out.getvalue().strip())
    Epoch 1/2 - 4/4 - 0s - 1ms/step - loss: 0.5000 - val_loss: 0.2500
    """

    WIDTH = 30

    def __init__(
        self,
        epochs: int,
        steps_per_epoch: int,
        verbose: int,
        stream: Any = None,
        interval: float = 0.1,
    ) -> None:
        import sys

        self.epochs = epochs
        self.steps = steps_per_epoch
        self.verbose = verbose
        self.stream = sys.stdout if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.live = bool(isatty and isatty())
        self.interval = interval
        self.next_draw = 0.0
        self.header = ""  # the epoch's header, not yet written

    def _bar(self, done: int) -> str:
        if done == self.steps:  # the finished bar, once per epoch: the same every time
            return f"{done}/{done} [{'=' * self.WIDTH}]"
        filled = self.WIDTH * done // self.steps
        arrow = ">" if done < self.steps else "="
        bar = "=" * max(filled - 1, 0) + (arrow if filled else "")
        return f"{done}/{self.steps} [{bar.ljust(self.WIDTH, '.')}]"

    def epoch_start(self, epoch: int, steps: int | None = None) -> None:
        """Start epoch ``epoch``; ``steps`` is its update count.

        With ``verbose=1`` the epoch's header is printed with its first output.

        Examples
        --------
        >>> import io
        >>> out = io.StringIO()
        >>> p = Progress(3, 20, verbose=1, stream=out)
        >>> p.epoch_start(1)
        >>> p.epoch_end(1, loss=0.25, seconds=0.02)
        >>> print(out.getvalue(), end="")
        Epoch 2/3
        20/20 [==============================] - 0s - 1ms/step - loss: 0.2500
        """
        if steps is not None:
            self.steps = steps
        if self.verbose == 1:
            # the bar is redrawn by time, across epochs: an epoch shorter than
            # the interval shows only its finished line (as a pipe does). The
            # header goes out with the epoch's first output: one write, not two.
            self.header = f"Epoch {epoch + 1}/{self.epochs}\n"

    def step_end(self, done: int, loss: float, now: float) -> None:
        """Redraw the bar if enough time has passed (terminal, ``verbose=1``).

        Examples
        --------
        >>> import io
        >>> out = io.StringIO()
        >>> Progress(3, 20, verbose=1, stream=out).step_end(5, 0.5, now=1.0)  # not a terminal
        >>> out.getvalue()
        ''
        """
        if self.verbose == 1 and self.live and now >= self.next_draw:
            self.stream.write(f"{self.header}\r{self._bar(done)} - loss: {loss:.4f}")
            self.header = ""
            self.stream.flush()
            self.next_draw = now + self.interval

    def epoch_end(
        self, epoch: int, loss: float, seconds: float, extra: dict[str, float] | None = None
    ) -> None:
        """Print the finished epoch's line.

        Examples
        --------
        >>> import io
        >>> out = io.StringIO()
        >>> Progress(3, 20, verbose=1, stream=out).epoch_end(0, loss=0.25, seconds=0.02)
        >>> out.getvalue()
        '20/20 [==============================] - 0s - 1ms/step - loss: 0.2500\\n'
        """
        if self.verbose == 0:
            return
        # whole seconds and milliseconds: round() as ".0f" rounds, an int is quicker to print
        done = f"{round(seconds)}s - {round(1000 * seconds / self.steps)}ms/step - loss: {loss:.4f}"
        for key, value in (extra or {}).items():
            done += f" - {key}: {value:.4f}"
        if self.verbose == 1:
            start = "\r" if self.live else ""
            self.stream.write(f"{self.header}{start}{self._bar(self.steps)} - {done}\n")
            self.header = ""
        else:
            self.stream.write(
                f"Epoch {epoch + 1}/{self.epochs} - {self.steps}/{self.steps} - {done}\n"
            )
        self.stream.flush()


def _longest_word(s: str) -> int:
    return max((_width(w) for w in s.split()), default=0)


def _column_widths(
    columns: Sequence[str], cells: list[list[str]], width: int | None
) -> tuple[list[int], str] | None:
    """Each column's width, and the gap between columns, to fit ``width``; None if none does.

    The widest column gives up a column at a time: first down to its widest
    cell (only the heading wraps), then, in a table of five columns or more,
    with one space between columns, then down to its longest word (cells wrap
    too), with two spaces between columns and then one.
    """
    body = [max([_width(r[j]) for r in cells], default=0) for j in range(len(columns))]
    natural = [max(_width(c), b) for c, b in zip(columns, body, strict=True)]
    if width is None:
        return natural, "  "
    words = [
        max([_longest_word(c)] + [_longest_word(r[j]) for r in cells])
        for j, c in enumerate(columns)
    ]
    unbroken = [max(b, w) for b, w in zip(body, words, strict=True)]
    widths = natural
    tries = [(unbroken, "  "), (unbroken, " "), (words, "  "), (words, " ")]
    if len(columns) < 5:  # a narrow table wraps a cell rather than close a gap
        del tries[1]
    for floor, gap in tries:
        if _shrink(widths, floor, width - len(gap) * (len(columns) - 1)):
            return widths, gap
    return None


def _shrink(widths: list[int], floor: list[int], room: int) -> bool:
    # take a column from the widest column above its floor until the widths fit room
    while sum(widths) > room:
        shrinkable = [j for j, w in enumerate(widths) if w > floor[j]]
        if not shrinkable:
            return False
        widths[max(shrinkable, key=lambda j: widths[j])] -= 1
    return True


# ---------------------------------------------------------------- a Schedule's tables
def describe_schedule(s: Schedule, lang: str = "en") -> Table:
    """Every count of ``s`` with what each one counts (see :meth:`Schedule.describe`).

    Examples
    --------
    >>> from minigd import Schedule
    >>> describe_schedule(Schedule(100, 5, 30)).rows[5][:2]
    ('steps per epoch', 20)
    """
    lang = check_lang(lang, "Schedule.describe")
    x = s.exposure_summary()

    def t(key: str) -> str:
        return text(key, lang)

    def code(value: str) -> str:  # Korean output shows names, never the codes
        return value if lang == "en" else name(value, lang)

    c = s.counting
    per_epoch: Any = (
        s.samples_per_epoch if not c.samples_vary() else _varies(s, s.samples_seen, lang)
    )
    steps_per_epoch: Any = (
        s.steps_per_epoch if not c.steps_vary() else _varies(s, s.total_steps, lang)
    )
    sampling_key = s.sampling if s.epoch == "pass" else f"draw_{s.sampling}"
    it_note = t("m_iterations_step") if s.iteration == "step" else t("m_iterations_epoch")
    rows: list[list[Any]] = [
        [t("n_samples"), s.n_samples, t("m_n_samples")],
        [t("batch_size"), s.batch_size, t("m_batch_size")],
        [t("epochs"), s.epochs, t("m_epochs")],
        [t("epoch_convention"), code(s.epoch), t(s.epoch)],
        [t("sampling"), code(s.sampling), t(sampling_key)],
        [t("steps_per_epoch"), steps_per_epoch, t("m_steps_per_epoch")],
        [t("total_steps"), s.total_steps, t("m_total_steps")],
        [t("samples_per_epoch"), per_epoch, t("m_samples_per_epoch")],
        [t("samples_seen"), s.samples_seen, t("m_samples_seen")],
        [t("iterations"), s.iterations, it_note],
        [t("data_passes"), s.data_passes, t("m_data_passes")],
        [t("exposures"), x.mean, _uses(x, lang)],
    ]
    if s.accumulate > 1 or s.world_size > 1:
        rows[2:2] = [
            [t("accumulate"), s.accumulate, t("m_accumulate")],
            [t("world_size"), s.world_size, t("m_world_size")],
            [t("effective_batch_size"), s.effective_batch_size, t("m_effective")],
            [t("micro_per_epoch"), s.micro_batches_per_epoch, t("m_micro_per_epoch")],
            [t("micro_total"), s.micro_batches * s.world_size, t("m_micro_total")],
        ]
    if s.world_size > 1:  # how the replicas split an epoch, after the replica count
        how = "draw" if s.epoch == "draw" else s.sharding
        shards = text(f"m_sharding_{how}", lang, rows=c.rows_per_replica)
        rows.insert(4, [t("sharding"), code(s.sharding), shards])
    rows += _optional_rows(s, x, lang)
    return Table({k: t(k) for k in ("count", "value", "meaning")}, rows)


def _varies(s: Schedule, run_total: int, lang: str) -> str:
    # epochs differ: show the mean per epoch, saying it varies
    return text("varies", lang, mean=format_value(run_total / s.epochs))


def _uses(x: ExposureSummary, lang: str) -> str:
    if x.random:
        law = law_text(x.distribution, lang)
        return text("on_average", lang, mean=format_value(x.mean)) + f", {law}"
    return fixed_law(x.min, x.max, lang)


def fixed_law(lo: int, hi: int, lang: str = "en") -> str:
    """The words for a count that does not depend on the seed: "exactly 5", "4 to 5".

    Examples
    --------
    >>> fixed_law(3, 3), fixed_law(4, 5, lang="ko")
    ('exactly 3', '4~5번')
    """
    if lo == hi:
        return text("exactly", lang, n=format_value(lo))
    return text("between", lang, lo=format_value(lo), hi=format_value(hi))


def _optional_rows(s: Schedule, x: ExposureSummary, lang: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if s.max_steps is not None:
        rows.append([text("max_steps", lang), s.max_steps, text("m_max_steps", lang)])
    if s.epoch == "pass":
        rows.append([text("last_batch", lang), s.last_batch_size, text("m_last_batch", lang)])
    if x.p_never > 0:
        p = f"{x.p_never:.3g}"
        rows.append(
            [text("never_used", lang), x.expected_never_used, text("m_never_used", lang, p=p)]
        )
    return rows


def compare_schedules(schedules: Sequence[Schedule], labels: Sequence[str], lang: str) -> Table:
    """Several schedules side by side, one row each (see :func:`minigd.compare`).

    Examples
    --------
    >>> from minigd import Schedule
    >>> compare_schedules([Schedule(100, 5, 30)], ["Keras"], "en").rows
    (('Keras', 'pass', 5, 20, 600, 3000, 30.0, 600),)
    """
    keys = (
        "label",
        "epoch_convention",
        "batch_size",
        "steps_per_epoch",
        "total_steps",
        "samples_seen",
        "exposures",
        "iterations",
    )
    rows = [
        [
            label,
            s.epoch if lang == "en" else name(s.epoch, lang),
            s.batch_size,
            s.steps_per_epoch,
            s.total_steps,
            s.samples_seen,
            s.data_passes,
            s.iterations,
        ]
        for label, s in zip(labels, schedules, strict=True)
    ]
    return Table({k: text(k, lang) for k in keys}, rows)
