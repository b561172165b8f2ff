"""The ``minigd`` command line: ``get_parser()`` and ``main(argv) -> int``.

``minigd explain --n-samples 100 --batch-size 5 --epochs 30`` prints every
count of that schedule; ``minigd explain --qa`` walks through the forum Q&A.
Output fits the terminal's width (``shutil.get_terminal_size``). Every
argument is read and checked before any work starts: bad input exits with
status 2 and a one-line message naming the argument as typed, never a
traceback; a closed pipe (``| head``) ends the command quietly, with status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from . import __version__
from ._text import LANGUAGES, text
from ._text import name as term_name
from ._validation import check_file_path
from .content.qa import qa_report, qa_tables
from .display import Table, wrap
from .frameworks import FRAMEWORKS, REGISTRY, FrameworkError, counter_notes
from .schedule import (
    EPOCH_CONVENTIONS,
    ITERATION_CONVENTIONS,
    SAMPLING_METHODS,
    SHARDING_METHODS,
    Schedule,
)

__all__ = ["get_parser", "main"]

#: The largest count or number the command takes (N, B, E, a framework's
#: argument): every count of a run stays exact, and a float of it finite.
MAX_NUMBER = 10**15
#: The most epochs ``minigd demo`` trains (its six runs take about 2 s per 1,000).
DEMO_MAX_EPOCHS = 5000
#: The file types ``minigd demo --plot`` writes.
PLOT_FORMATS = ("png", "svg", "pdf")
#: Framework arguments that are booleans, and the spellings each framework's
#: own command line accepts for them (Hugging Face's ``string_to_bool``).
BOOLEANS = frozenset(
    {
        "shuffle",
        "drop_last",
        "replacement",
        "draw",
        "accumulate_across_epochs",
        "dataloader_drop_last",
        "drop_remainder",
    }
)
_TRUE_FALSE = {"true": True, "false": False}
_SPELLINGS = {
    "huggingface": {
        **_TRUE_FALSE,
        **{"yes": True, "no": False, "t": True, "f": False},
        **{"y": True, "n": False, "1": True, "0": False},
    }
}
#: The Schedule parameter that each framework argument sets, where the names
#: differ, so that a message about it names the argument the user typed.
_SCHEDULE_NAME = {
    "per_device_train_batch_size": "batch_size",
    "gradient_accumulation_steps": "accumulate",
    "accumulate_grad_batches": "accumulate",
    "every_k_schedule": "accumulate",
    "devices": "world_size",
    "max_epochs": "epochs",
    "num_train_epochs": "epochs",
    "max_iter": "epochs",
    "dataloader_drop_last": "drop_last",
    "drop_remainder": "drop_last",
}


class _UsageError(Exception):
    """A bad command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        if message.startswith("argument --to: invalid choice: '") and "=" in message.split("'")[1]:
            message += "; NAME=VALUE arguments go before --to, which reads every word after it"
        raise _UsageError(message)


def _whole(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, read before any work."""

    def read(typed: str) -> int:
        try:
            value = int(typed)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {low:,} to {high:,}; got {_shown(typed)}"
            )
        return value

    return read


_count = _whole(1, MAX_NUMBER)


def get_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``minigd`` command.

    Examples
    --------
    >>> args = get_parser().parse_args(["explain", "-n", "100", "-b", "5", "-e", "30"])
    >>> args.command, args.n_samples, args.batch_size, args.epochs
    ('explain', 100, 5, 30)
    """
    parser = _Parser(
        prog="minigd",
        description="Count the steps, epochs, iterations and samples of a training run.",
    )
    parser.add_argument("--version", action="version", version=f"minigd {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    explain = sub.add_parser(
        "explain",
        help="print every count of a schedule, or the Q&A walk-through (--qa)",
        description="Print every count of a training schedule under its conventions.",
    )
    explain.add_argument("-n", "--n-samples", type=_count, help="training samples N")
    explain.add_argument("-b", "--batch-size", type=_count, help="samples per gradient B")
    explain.add_argument("-e", "--epochs", type=_count, help="epochs E")
    explain.add_argument(
        "--epoch",
        choices=EPOCH_CONVENTIONS,
        default="pass",
        help="epoch definition (default: pass)",
    )
    explain.add_argument(
        "--iteration",
        choices=ITERATION_CONVENTIONS,
        default="step",
        help="what 'iterations' counts (default: step)",
    )
    explain.add_argument(
        "--drop-last", action="store_true", help="drop the last, smaller batch of each pass"
    )
    explain.add_argument(
        "--sampling",
        choices=SAMPLING_METHODS,
        default="shuffle",
        help="order of samples (default: shuffle)",
    )
    explain.add_argument(
        "--steps-per-epoch", type=_count, default=None, help="cap each epoch at this many steps"
    )
    explain.add_argument(
        "--world-size", type=_count, default=None, help="data-parallel replicas (default: 1)"
    )
    explain.add_argument(
        "--sharding",
        choices=SHARDING_METHODS,
        default=None,
        help="how the replicas split each epoch, with --world-size 2 or more (default: pad)",
    )
    explain.add_argument(
        "--qa", action="store_true", help="print the forum Q&A's scenarios, recomputed"
    )
    explain.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the labels (default: en)"
    )
    explain.add_argument("--json", action="store_true", help="print JSON instead of tables")
    demo = sub.add_parser(
        "demo",
        help="train GD, SGD and mini-batch under both epoch definitions and compare",
        description="Train one linear-regression problem with GD, SGD and mini-batch 10 "
        "under 'pass' and 'draw' epochs, and print what each run cost and achieved.",
    )
    demo.add_argument(
        "--epochs",
        type=_whole(1, DEMO_MAX_EPOCHS),
        default=500,
        help=f"epochs per run (default: 500, at most {DEMO_MAX_EPOCHS:,})",
    )
    demo.add_argument("--seed", type=_whole(0, 2**64 - 1), default=0, help="seed (default: 0)")
    demo.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the labels (default: en)"
    )
    demo.add_argument(
        "--plot",
        metavar="FILE",
        default=None,
        help="save the loss curves (against epochs, updates and samples seen) to a "
        + ", ".join(f".{f}" for f in PLOT_FORMATS)
        + " file",
    )
    translate = sub.add_parser(
        "translate",
        help="turn one framework's arguments into another's, with every framework's counters",
        description="Build the schedule a framework runs with the given arguments, print the "
        "arguments that run it in other frameworks, and what each framework's counters will "
        "read. Example: minigd translate --from huggingface --n-samples 50000 "
        "per_device_train_batch_size=8 gradient_accumulation_steps=4 num_train_epochs=3 "
        "world_size=2 --to keras lightning",
    )
    translate.add_argument(
        "--from",
        dest="source",
        required=True,
        choices=FRAMEWORKS,
        help="the framework whose arguments are given",
    )
    translate.add_argument(
        "-n", "--n-samples", type=_count, required=True, help="training samples N"
    )
    translate.add_argument(
        "assignments", nargs="*", metavar="NAME=VALUE", help="the source framework's arguments"
    )
    translate.add_argument(
        "--to",
        nargs="+",
        choices=FRAMEWORKS,
        default=list(FRAMEWORKS),
        help="frameworks to translate to and report (default: all)",
    )
    translate.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of the labels and of the reasons a framework cannot run it (default: en)",
    )
    translate.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _shown(typed: str) -> str:
    # what the user typed, cut short for a one-line message
    return typed if len(typed) <= 40 else typed[:37] + "..."


def _value(name: str, typed: str, source: str) -> Any:
    """The value of ``name=typed``: a boolean, None, a number or a word, checked."""
    lowered = typed.strip().lower()
    if name in BOOLEANS:
        spellings = _SPELLINGS.get(source, _TRUE_FALSE)
        if lowered not in spellings:
            *most, last = spellings
            allowed = f"{', '.join(most)} or {last}"
            raise _UsageError(f"{name}={_shown(typed)}: {source} takes {allowed} for {name}")
        return spellings[lowered]
    if lowered == "none":
        return None
    if lowered in _TRUE_FALSE:
        return _TRUE_FALSE[lowered]
    for kind in (int, float):
        try:
            number = kind(typed)
        except ValueError:
            continue
        if number != number:  # NaN
            raise _UsageError(f"{name}={_shown(typed)} is not a number")
        if abs(number) > MAX_NUMBER:
            raise _UsageError(f"{name}={_shown(typed)} is too large: at most {MAX_NUMBER:,}")
        return number
    return typed


def _read_assignments(source: str, assignments: Sequence[str]) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for item in assignments:
        name, sep, typed = item.partition("=")
        if not sep or not name.isidentifier():
            raise _UsageError(f"arguments are NAME=VALUE, got {item!r}")
        if name in given:
            raise _UsageError(f"{name} is given twice")
        given[name] = _value(name, typed, source)
    return given


def _read_schedule(source: str, n_samples: int, assignments: Sequence[str]) -> Schedule:
    given = _read_assignments(source, assignments)
    owner = f"translate --from {source}"  # messages name the command, not a Python call
    try:
        return Schedule(**REGISTRY[source].schedule_arguments(n_samples, given, owner))
    except (TypeError, ValueError) as exc:
        raise _UsageError(_as_typed(str(exc), given, assignments)) from None


def _as_typed(message: str, given: dict[str, Any], assignments: Sequence[str]) -> str:
    # "The 'accumulate' parameter of Schedule ..." (or of translate --from, which checks
    # flags and counts under the framework's names): say which typed argument it was
    for typed_name, item in zip(given, assignments, strict=True):
        schedule_name = _SCHEDULE_NAME.get(typed_name, typed_name)
        if (
            f"The {schedule_name!r} parameter of Schedule" in message
            or f"The {typed_name!r} parameter of translate --from" in message
        ):
            return f"{item}: {message}"
    return message


def _or_reason(ask: Callable[[str], dict[str, Any]], fw: str, lang: str) -> dict[str, Any]:
    # a framework that cannot run the schedule says why, in the reader's language
    try:
        return ask(fw)
    except FrameworkError as exc:
        return {"error": exc.describe(lang), "code": exc.code}


def _arguments_text(arguments: dict[str, Any]) -> str:
    # name=value, ...; a group of arguments (by the object that takes them) in brackets
    return ", ".join(
        f"{k}({_arguments_text(v)})" if isinstance(v, dict) else f"{k}={v!r}"
        for k, v in arguments.items()
    )


def _translate(args: argparse.Namespace, width: int) -> str:
    schedule = _read_schedule(args.source, args.n_samples, args.assignments)
    targets = list(dict.fromkeys(args.to))

    def to_arguments(fw: str) -> dict[str, Any]:
        return schedule.to(fw)["arguments"]  # type: ignore[no-any-return]

    lang = args.lang
    arguments = {fw: _or_reason(to_arguments, fw, lang) for fw in targets}
    reports = {fw: _or_reason(schedule.counters, fw, lang) for fw in targets}
    if args.json:
        data = {
            "schedule": schedule.arguments(),
            "total_steps": schedule.total_steps,
            "to": arguments,
            "counters": reports,
        }
        return json.dumps(data, ensure_ascii=False, indent=2)
    line = text("runs", lang, source=args.source, schedule=_schedule_line(schedule, lang))
    lines = [*wrap(line, width, indent="    "), ""]
    for fw, found in arguments.items():
        shown = found.get("error") or _arguments_text(found)
        lines += wrap(f"{fw}: {shown}", width, indent="    ")
    rows, remarks = _counter_rows(schedule, reports, lang)
    columns = {k: text(k, lang) for k in ("framework", "counter", "value")}
    table = Table(columns, rows, title=text("fw_report_title", lang))
    lines += ["", table.to_text(width), ""]
    for remark in remarks:
        lines += wrap(remark, width, indent="  ")
    return "\n".join(lines)


def _schedule_line(schedule: Schedule, lang: str) -> str:
    shown = repr(schedule)
    if lang == "en":
        return shown
    # the counts after the call, in words of the word table
    per_epoch = (
        text("per_epoch_varying", lang)
        if schedule.counting.steps_vary()
        else text("per_epoch_steps", lang, n=f"{schedule.steps_per_epoch:,}")
    )
    return text(
        "schedule_line",
        lang,
        call=shown.partition("): ")[0] + ")",
        per_epoch=per_epoch,
        total=f"{schedule.total_steps:,}",
        seen=f"{schedule.samples_seen:,}",
    )


def _counter_rows(
    schedule: Schedule, everyone: dict[str, dict[str, Any]], lang: str
) -> tuple[list[list[Any]], list[str]]:
    rows: list[list[Any]] = []
    remarks: list[str] = []
    for fw, found in everyone.items():
        if "error" in found:
            remarks.append(f"- {fw}: {found['error']}")
            rows.append([fw, "-", text("cannot_below", lang)])
            continue
        for key, value in found.items():
            if key == "note":
                remarks.append(f"- {fw}: " + "; ".join(counter_notes(schedule, fw, lang)))
            elif isinstance(value, list):
                shown = ", ".join(str(v) for v in value[:6]) + (", ..." if len(value) > 6 else "")
                rows.append([fw, key, f"[{shown}]"])
            else:
                rows.append([fw, key, value])
    return rows, remarks


def _plot_file(path: str) -> str:
    """The ``--plot`` file, checked before any training: a writable file of a known type."""
    try:
        check_file_path(path, "--plot", "minigd demo")
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    kind = os.path.splitext(path)[1].lower().lstrip(".")
    if kind not in PLOT_FORMATS:
        allowed = ", ".join(f".{f}" for f in PLOT_FORMATS)
        raise _UsageError(f"--plot must name a {allowed} file; got {path!r}")
    try:
        import matplotlib
    except ImportError:
        raise _UsageError("--plot needs matplotlib: pip install 'minigd[plot]'") from None
    matplotlib.use("Agg")
    return kind


def _save(fig: Any, path: str, kind: str) -> None:
    # drawn in memory first: a file is written whole, or not at all
    import io

    drawn = io.BytesIO()
    fig.savefig(drawn, format=kind, dpi=110)
    try:
        with open(path, "wb") as out:
            out.write(drawn.getvalue())
    except OSError as exc:
        if os.path.isfile(path):
            os.remove(path)
        raise _UsageError(f"cannot write --plot {path!r}: {exc.strerror}") from None


def _demo(args: argparse.Namespace, width: int) -> str:
    from .content.demo import demo_runs, demo_table

    kind = None if args.plot is None else _plot_file(args.plot)
    runs = demo_runs(args.epochs, args.seed)
    output = demo_table(args.epochs, args.seed, args.lang, runs=runs).to_text(width)
    if kind is not None:
        from .plot import compare_histories

        lang = args.lang
        histories = {
            f"{text(m, lang)} ({term_name(c, lang)})": r.history for (m, c), (r, _) in runs.items()
        }
        _save(compare_histories(histories, lang=args.lang), args.plot, kind)
        output += f"\n\n{args.plot}"
    return output


#: The ``explain`` options that describe a schedule, and take no default (None: not given).
_SCHEDULE_FLAGS = ("n_samples", "batch_size", "epochs", "world_size", "sharding")


def _explain(args: argparse.Namespace, width: int) -> str:
    if args.qa:
        given = [f for f in _SCHEDULE_FLAGS if getattr(args, f) is not None]
        if given:
            flags = ", ".join("--" + f.replace("_", "-") for f in given)
            raise _UsageError(f"--qa uses the Q&A's own numbers; drop {flags}")
        if args.json:
            tables = qa_tables(args.lang)
            data: Any = {
                name: {"title": t.title, "rows": t.to_records(), "notes": list(t.notes)}
                for name, t in tables.items()
            }
            return json.dumps(data, ensure_ascii=False, indent=2)
        return qa_report(args.lang, width)
    missing = [f for f in ("n_samples", "batch_size", "epochs") if getattr(args, f) is None]
    if missing:
        flags = ", ".join("--" + f.replace("_", "-") for f in missing)
        raise _UsageError(f"explain needs {flags} (or --qa)")
    _check_sharding(args)
    try:
        s = Schedule(
            args.n_samples,
            args.batch_size,
            args.epochs,
            epoch=args.epoch,
            iteration=args.iteration,
            drop_last=args.drop_last,
            sampling=args.sampling,
            steps_per_epoch=args.steps_per_epoch,
            world_size=args.world_size or 1,
            sharding=args.sharding or "pad",
        )
    except (TypeError, ValueError) as exc:
        raise _UsageError(str(exc)) from None
    if args.json:
        return json.dumps(s.to_dict(), ensure_ascii=False, indent=2)
    return s.describe(args.lang).to_text(width)


def _check_sharding(args: argparse.Namespace) -> None:
    # --sharding says how replicas split an epoch's rows: refused where it changes nothing
    if args.sharding is None:
        return
    if (args.world_size or 1) == 1:
        raise _UsageError(
            f"--sharding {args.sharding}: one replica takes every row; "
            "give --world-size 2 or more, or drop --sharding"
        )
    if args.epoch == "draw":
        raise _UsageError(
            f"--sharding {args.sharding}: under --epoch draw each replica draws its own "
            "batch, so sharding changes nothing; drop --sharding"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``minigd`` command; return the exit status.

    Examples
    --------
    >>> main(["explain", "--n-samples", "100", "--batch-size", "5", "--epochs", "30",
    ...       "--json"])  # doctest: +ELLIPSIS
    {
      "n_samples": 100,
    ...
      "total_steps": 600,
    ...
    0

    Bad input prints one line to standard error and returns 2:

    >>> main(["explain", "--n-samples", "0", "--batch-size", "5", "--epochs", "3"])
    2
    """
    parser = get_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        _check_encoding(args.lang)
        run = {"demo": _demo, "translate": _translate}.get(args.command, _explain)
        output = run(args, max(shutil.get_terminal_size().columns, 40))
    except _UsageError as exc:
        print(f"minigd: error: {_printable(str(exc))}", file=sys.stderr)
        return 2
    return _print(output)


def _check_encoding(lang: str) -> None:
    # Korean on a terminal that cannot show it: say so before any work
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text("epochs", lang).encode(encoding)
    except UnicodeEncodeError:
        raise _UsageError(
            f"--lang {lang}: this terminal's encoding ({encoding}) cannot show it; "
            "set PYTHONIOENCODING=utf-8 (or a UTF-8 locale), or use --lang en"
        ) from None


def _printable(message: str) -> str:
    # one line: a newline or tab typed inside an argument is shown escaped
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def _print(output: str) -> int:
    try:
        sys.stdout.write(output + "\n")  # one write, not print's two
        sys.stdout.flush()
    except UnicodeEncodeError:  # a character this terminal cannot show, whatever --lang said
        encoding = sys.stdout.encoding
        print(
            f"minigd: error: this terminal's encoding ({encoding}) cannot show the output; "
            "set PYTHONIOENCODING=utf-8",
            file=sys.stderr,
        )
        return 2
    except BrokenPipeError:
        # The reader closed the pipe (| head). As Python's docs advise ("Note on
        # SIGPIPE" in the signal module), stdout is pointed at os.devnull so that
        # the flush at exit has nowhere to fail, and SIGPIPE keeps Python's
        # handling. Their example then exits 1, but whether a write meets the
        # closed pipe is a race: `minigd demo | head -3` exited 0 when head read
        # the whole table before it closed, 1 when it closed first. Only 0 can be
        # the same every time (minigd cannot see a reader that quits after reading),
        # and nothing failed: a reader that stops early asked for less.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
