"""The ``minigd`` command line: ``get_parser()`` and ``main(argv) -> int``.

``minigd explain --n-samples 100 --batch-size 5 --epochs 30`` prints every
count of that schedule; ``minigd explain --qa`` walks through the forum Q&A.
Bad flags exit with status 2 and a one-line message, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from . import __version__
from ._text import LANGUAGES, text
from .content.qa import qa_report, qa_tables
from .display import Table
from .frameworks import FRAMEWORKS, FrameworkError, counter_notes, flat_arguments
from .schedule import EPOCH_CONVENTIONS, ITERATION_CONVENTIONS, SAMPLING_METHODS, Schedule

__all__ = ["get_parser", "main"]


class _UsageError(Exception):
    """A bad command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


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
    explain.add_argument("-n", "--n-samples", type=int, help="training samples N")
    explain.add_argument("-b", "--batch-size", type=int, help="samples per gradient B")
    explain.add_argument("-e", "--epochs", type=int, help="epochs E")
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
        "--steps-per-epoch", type=int, default=None, help="cap each epoch at this many steps"
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
    demo.add_argument("--epochs", type=int, default=500, help="epochs per run (default: 500)")
    demo.add_argument("--seed", type=int, default=0, help="seed (default: 0)")
    demo.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the labels (default: en)"
    )
    demo.add_argument(
        "--plot",
        metavar="FILE",
        default=None,
        help="save the loss curves (against epochs, updates and samples seen)",
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
    translate.add_argument("-n", "--n-samples", type=int, required=True, help="training samples N")
    translate.add_argument(
        "assignments", nargs="*", metavar="NAME=VALUE", help="the source framework's arguments"
    )
    translate.add_argument(
        "--to",
        nargs="+",
        choices=FRAMEWORKS,
        default=list(FRAMEWORKS),
        help="frameworks to translate to (default: all)",
    )
    translate.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of the labels and of the reasons a framework cannot run it "
        "(default: en; a raised exception stays English)",
    )
    translate.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _value(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "none":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _translate(args: argparse.Namespace) -> str:
    schedule = _read_schedule(args.source, args.n_samples, args.assignments)

    def to_arguments(fw: str) -> dict[str, Any]:
        return flat_arguments(fw, schedule.to(fw)["arguments"])

    targets = {fw: _or_reason(to_arguments, fw, args.lang) for fw in args.to}
    everyone = {fw: _or_reason(schedule.counters, fw, args.lang) for fw in FRAMEWORKS}
    if args.json:
        return json.dumps(
            {
                "schedule": schedule.arguments(),
                "total_steps": schedule.total_steps,
                "to": targets,
                "counters": everyone,
            },
            indent=2,
        )
    lang = args.lang
    lines = [text("runs", lang, source=args.source, schedule=_schedule_line(schedule, lang)), ""]
    for fw, arguments in targets.items():
        shown = arguments.get("error") or ", ".join(f"{k}={v!r}" for k, v in arguments.items())
        lines.append(f"{fw}: {shown}")
    rows, remarks = _counter_rows(schedule, everyone, lang)
    columns = [text(k, lang) for k in ("framework", "counter", "value")]
    table = Table(columns, rows, title=text("fw_report_title", lang))
    lines += ["", str(table), "", *remarks]
    return "\n".join(lines)


def _read_schedule(source: str, n_samples: int, assignments: Sequence[str]) -> Schedule:
    given: dict[str, Any] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise _UsageError(f"arguments are NAME=VALUE, got {item!r}")
        given[name] = _value(value)
    try:
        return Schedule.from_framework(source, n_samples, **given)
    except (TypeError, ValueError) as exc:
        raise _UsageError(str(exc)) from None


def _or_reason(ask: Callable[[str], dict[str, Any]], fw: str, lang: str) -> dict[str, Any]:
    # a framework that cannot run the schedule says why, in the reader's language
    try:
        return ask(fw)
    except FrameworkError as exc:
        return {"error": exc.describe(lang), "code": exc.code}


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


def _demo(args: argparse.Namespace) -> str:
    from .content.demo import demo_runs, demo_table

    if args.epochs < 1:
        raise _UsageError(f"--epochs must be >= 1, got {args.epochs}")
    if args.seed < 0:
        raise _UsageError(f"--seed must be >= 0, got {args.seed}")
    if args.plot is not None:
        try:
            import matplotlib
        except ImportError:
            raise _UsageError("--plot needs matplotlib: pip install 'minigd[plot]'") from None
        matplotlib.use("Agg")
    runs = demo_runs(args.epochs, args.seed)
    output = str(demo_table(args.epochs, args.seed, args.lang, runs=runs))
    if args.plot is not None:
        from .plot import compare_histories

        histories = {f"{m} ({c})": r.history for (m, c), (r, _) in runs.items()}
        fig = compare_histories(histories, lang=args.lang)
        try:
            fig.savefig(args.plot, dpi=110)
        except (OSError, ValueError) as exc:
            raise _UsageError(f"cannot save --plot {args.plot!r}: {exc}") from None
        output += f"\n\n{args.plot}"
    return output


def _explain(args: argparse.Namespace) -> str:
    if args.qa:
        given = [f for f in ("n_samples", "batch_size", "epochs") if getattr(args, f) is not None]
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
        return qa_report(args.lang)
    missing = [f for f in ("n_samples", "batch_size", "epochs") if getattr(args, f) is None]
    if missing:
        flags = ", ".join("--" + f.replace("_", "-") for f in missing)
        raise _UsageError(f"explain needs {flags} (or --qa)")
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
        )
    except (TypeError, ValueError) as exc:
        raise _UsageError(str(exc)) from None
    if args.json:
        return json.dumps(s.to_dict(), ensure_ascii=False, indent=2)
    return str(s.describe(args.lang))


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
        run = {"demo": _demo, "translate": _translate}.get(args.command, _explain)
        output = run(args)
    except _UsageError as exc:
        print(f"minigd: error: {exc}", file=sys.stderr)
        return 2
    print(output)
    return 0
