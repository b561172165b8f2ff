"""Every counting API at huge sizes: the exact count, or a ValueError naming the limit (issue 15).

``N`` and ``E`` run over ``{10**7, 10**12, 2**63, 10**400}`` in six schedules
(``B = 3``). The right values are plain Python integer arithmetic written
here, never minigd's. Where an answer cannot be held (past 1 GiB, about 10 s of
drawing, int64's ``2**63 - 1`` or a float's 1.8e308) the right outcome is a
ValueError whose message names that limit.

Everything minigd computes here runs in one subprocess under ``RLIMIT_AS`` and
a timeout (:func:`tests.test_checkpoint.bounded`), so a regression that
allocates hugely or hangs fails the test instead of hurting the machine.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from typing import Any

import numpy as np
import pytest

from minigd import Schedule
from minigd.frameworks import FRAMEWORKS

from .test_checkpoint import bounded

SIZES = {"1e7": 10**7, "1e12": 10**12, "2**63": 2**63, "1e400": 10**400}
B, M, R3 = 3, 100_001, 3  # batch size, max_steps, replicas
I64, FLOAT = 2**63 - 1, 1.7976931348623157e308
GIB = 1 << 30
MEMORY, INT64, FLOATS, TIME = "1 GiB limit", "more than int64 holds", "a float holds", "about 10 s"

# name -> Schedule options (n_samples=N, batch_size=B, epochs=E)
SCHEDULES: dict[str, dict[str, Any]] = {
    "seq": {"sampling": "sequential"},
    "max": {"max_steps": M},
    "rep": {"world_size": R3, "sampling": "sequential"},
    "draw": {"epoch": "draw", "sampling": "sequential"},
    "carried": {"accumulate": 4, "accumulate_across_epochs": True, "sampling": "sequential"},
    "capped": {"steps_per_epoch": 7, "sampling": "sequential"},
}


def cdiv(a: int, b: int) -> int:
    return -(-a // b)


def skipped(kind: str, n: int, e: int) -> set[str]:
    """Observations left out to keep the test fast and under its 512 MiB."""
    out = set()
    if kind == "max" and n == 10**7:  # a shuffled 1e7 pass (0.8 s) once is enough
        out |= {"batch(0)", "batches first"}
        if e != 10**7:
            out |= {"batch(T-1)", "exposures"}
    if kind in ("carried", "capped", "draw", "max"):
        out |= {"to_dict", "describe"}  # the per-epoch list is a 512 MiB test's worth
    return out


# ----------------------------------------------------------- the observations
def _batch(b: Any) -> list[Any]:
    return [b.epoch, b.step, b.step_in_epoch, b.indices.tolist(), b.samples_seen]


def _observers(s: Schedule, kind: str) -> dict[str, Any]:
    """What to observe of ``s``: each a function returning JSON-able values."""
    n, e, t = s.n_samples, s.epochs, s.total_steps
    seen = {
        "counts": lambda: {
            "total_steps": s.total_steps,
            "samples_seen": s.samples_seen,
            "epochs_run": s.epochs_run,
            "micro_batches": s.micro_batches,
            "micro_batches_unapplied": s.micro_batches_unapplied,
            "batches_per_pass": s.batches_per_pass,
            "samples_per_pass": s.samples_per_pass,
            "last_batch_size": s.last_batch_size,
            "iterations": s.iterations,
            "effective_batch_size": s.effective_batch_size,
            "steps_in_epoch(E-1)": s.steps_in_epoch(e - 1),
            "samples_in_epoch(E-1)": s.samples_in_epoch(e - 1),
            "samples_through(T)": s.samples_through(t),
            "micro_batches_per_epoch": s.micro_batches_per_epoch,
            "repr": repr(s).split("): ")[1],
        },
        "steps_per_epoch": lambda: s.steps_per_epoch,
        "samples_per_epoch": lambda: s.samples_per_epoch,
        "data_passes": lambda: s.data_passes,
        "epoch_starts": lambda: _ends(s.epoch_starts()),
        "step_table": lambda: {k: _ends(v) for k, v in s.step_table().items()},
        "batch(0)": lambda: _batch(s.batch(0, seed=0)),
        "batch(T-1)": lambda: _batch(s.batch(t - 1, seed=0)),
        "batches first": lambda: _batch(next(s.batches(seed=0))),
        "exposures": lambda: _spread(s.exposures(seed=0)),
        "exposure_summary": lambda: list(s.exposure_summary())[:5],
        "describe": lambda: f"{t:,}" in str(s.describe()),
        "to_dict": lambda: [s.to_dict()[k] for k in ("total_steps", "samples_seen", "epochs_run")],
    }
    if kind == "seq":
        for fw in FRAMEWORKS:
            seen[f"counters {fw}"] = lambda fw=fw: [s.counters(fw), s.to(fw)["counters"]]
    return {api: f for api, f in seen.items() if api not in skipped(kind, n, e)}


def _ends(values: Any) -> list[Any]:
    return [len(values), values[:3].tolist(), values[-2:].tolist()]


def _spread(values: Any) -> list[int]:
    low = int(values.min())
    return [len(values), low, int(values.max()), int((values == low).sum())]


def observe_all() -> dict[str, Any]:
    """Run every observation; in the bounded subprocess, JSON out."""
    out: dict[str, Any] = {}
    for n_name, n in SIZES.items():
        for e_name, e in SIZES.items():
            for kind, options in SCHEDULES.items():
                s = Schedule(n, B, e, **options)
                for api, observe in _observers(s, kind).items():
                    try:
                        out[f"{kind} N={n_name} E={e_name} {api}"] = ["ok", observe()]
                    except ValueError as exc:
                        out[f"{kind} N={n_name} E={e_name} {api}"] = ["error", str(exc)]
    return out


# --------------------------------------------------------------- the oracle
def error(*limits: str) -> tuple[str, str]:
    return ("error", "|".join(re.escape(x) for x in limits))


def _epochs_ok(n: int, e: int, total: int) -> bool:
    return (e + 1) * 32 <= GIB and total <= I64


def _shown(per_epoch: int | str, total: int, seen: int) -> str:
    """The end of a Schedule's repr (English: one step, two steps)."""
    per = f"{per_epoch} steps" if isinstance(per_epoch, str) else _of(per_epoch, "step")
    return f"{per} per epoch, {_of(total, 'step')}, {_of(seen, 'sample')} seen"


def _of(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n:,} {noun}s"


def _passes(samples: int, n: int) -> Any:
    return samples / n if samples // n <= FLOAT else error(FLOATS)


def _law(n: int, samples: int) -> Any:
    return "fixed" if max(n, samples) <= FLOAT else error(FLOATS)


def expected(kind: str, n: int, e: int) -> dict[str, Any]:
    """The right outcome of each observation, by plain integer arithmetic."""
    out = _expected(kind, n, e)
    return {api: want for api, want in out.items() if api not in skipped(kind, n, e)}


def _expected(kind: str, n: int, e: int) -> dict[str, Any]:
    nb = cdiv(n, B)
    out: dict[str, Any] = {}
    if kind in ("seq", "max"):
        total = e * nb if kind == "seq" else min(e * nb, M)

        def through(k: int) -> int:
            return (k // nb) * n + (k % nb) * B

        last = n - B * (nb - 1)
        run = e if kind == "seq" else (total - 1) // nb + 1
        first_of_last, end = min((e - 1) * nb, total), min(e * nb, total)
        out["counts"] = {
            "total_steps": total, "samples_seen": through(total), "epochs_run": run,
            "micro_batches": total, "micro_batches_unapplied": 0, "batches_per_pass": nb,
            "samples_per_pass": n, "last_batch_size": last, "iterations": total,
            "effective_batch_size": B, "steps_in_epoch(E-1)": end - first_of_last,
            "samples_in_epoch(E-1)": through(end) - through(first_of_last),
            "samples_through(T)": through(total), "micro_batches_per_epoch": nb,
            "repr": _shown(nb, total, through(total)),
        }  # fmt: skip
        out["steps_per_epoch"] = nb
        out["samples_per_epoch"] = n
        starts = [min(k * nb, total) for k in (0, 1, 2)]
        out["epoch_starts"] = (
            [e + 1, starts[: e + 1], [min((e - 1) * nb, total), total]]
            if _epochs_ok(n, e, total)
            else error(MEMORY, INT64)
        )
        if (total + 1) * 64 <= GIB and through(total) <= I64:
            k = total - 1
            out["step_table"] = {
                "epoch": [total, [0, 0, 0], [(k - 1) // nb, k // nb]],
                "step": [total, [0, 1, 2], [k - 1, k]],
                "step_in_epoch": [total, [0, 1, 2], [(k - 1) % nb, k % nb]],
                "batch_size": [total, [B, B, B], [B, B if k % nb < nb - 1 else last]],
                "samples_seen": [total, [3, 6, 9], [through(k), through(total)]],
            }
        else:
            out["step_table"] = error(MEMORY, INT64)
        out["data_passes"] = _passes(through(total), n)
        if kind == "seq":
            rows = [B * (nb - 1) + i for i in range(last)]
            out["batch(0)"] = [0, 0, 0, [0, 1, 2], B] if n <= I64 else error(INT64)
            out["batch(T-1)"] = (
                [e - 1, total - 1, nb - 1, rows, e * n] if n <= I64 else error(INT64)
            )
            out["batches first"] = out["batch(0)"]
            fits = n * 8 <= GIB and e + 1 <= I64
            out["exposures"] = [n, e, e, n] if fits else error(MEMORY, INT64)
            floats = max(n, e * n) <= FLOAT
            out["exposure_summary"] = [float(e), 0.0, e, e, 0.0] if floats else error(FLOATS)
            out["describe"] = True if floats else error(FLOATS)
            out["to_dict"] = [total, e * n, e] if floats else error(FLOATS)
            out.update(_frameworks(n, e, nb, total))
        else:
            for api in ("batch(0)", "batch(T-1)", "batches first"):  # a shuffled pass
                out[api] = "random rows" if n <= 10**8 else error(TIME, INT64)
            out["exposures"] = error(MEMORY) if n > 10**7 else "random"
            out["exposure_summary"] = _law(n, through(total))
    elif kind == "rep":
        r = cdiv(n, R3)  # rows per replica, padded by repeating rows
        nbr, total = cdiv(r, B), e * cdiv(r, B)
        extra = R3 * r - n  # samples used twice per pass
        out["counts"] = {
            "total_steps": total, "samples_seen": e * R3 * r, "epochs_run": e,
            "micro_batches": total, "micro_batches_unapplied": 0, "batches_per_pass": nbr,
            "samples_per_pass": R3 * r, "last_batch_size": r - B * (nbr - 1),
            "iterations": total, "effective_batch_size": B * R3, "steps_in_epoch(E-1)": nbr,
            "samples_in_epoch(E-1)": R3 * r, "samples_through(T)": e * R3 * r,
            "micro_batches_per_epoch": nbr, "repr": _shown(nbr, total, e * R3 * r),
        }  # fmt: skip
        out["steps_per_epoch"], out["samples_per_epoch"] = nbr, R3 * r
        out["data_passes"] = _passes(e * R3 * r, n)
        out["epoch_starts"] = (
            [e + 1, [0, nbr, 2 * nbr][: e + 1], [(e - 1) * nbr, total]]
            if _epochs_ok(n, e, total)
            else error(MEMORY, INT64)
        )
        out["step_table"] = error(MEMORY, INT64)
        # replica i takes rows i, i + 3, ... of 0..N-1 repeated: the first update
        first = [i + 3 * j for i in range(R3) for j in range(B)]
        # the last update: each replica's last positions q, slot q * 3 + i, row slot % N
        last = [(q * R3 + i) % n for i in range(R3) for q in range(B * (nbr - 1), r)]
        dealt = R3 * r <= I64  # the positions int64 holds (the pass is never built)
        out["batch(0)"] = [0, 0, 0, first, B * R3] if dealt else error(INT64)
        out["batches first"] = out["batch(0)"]
        last_batch = [e - 1, total - 1, nbr - 1, last, e * R3 * r]
        out["batch(T-1)"] = last_batch if dealt else error(INT64)
        out["exposures"] = error(MEMORY, TIME)  # replaying every update: past 10 s
        floats = max(n, e * R3 * r) <= FLOAT
        law = [_passes(e * R3 * r, n), None, e, 2 * e if extra else e, 0.0]
        out["exposure_summary"] = law if floats else error(FLOATS)
        out["describe"] = True if floats else error(FLOATS)
        out["to_dict"] = [total, e * R3 * r, e] if floats else error(FLOATS)
    elif kind == "draw":
        total = e
        out["counts"] = {
            "total_steps": e, "samples_seen": B * e, "epochs_run": e, "micro_batches": e,
            "micro_batches_unapplied": 0, "batches_per_pass": None, "samples_per_pass": None,
            "last_batch_size": B, "iterations": e, "effective_batch_size": B,
            "steps_in_epoch(E-1)": 1, "samples_in_epoch(E-1)": B, "samples_through(T)": B * e,
            "micro_batches_per_epoch": 1, "repr": _shown(1, e, B * e),
        }  # fmt: skip
        out["steps_per_epoch"], out["samples_per_epoch"] = 1, B
        out["data_passes"] = _passes(B * e, n)
        out["epoch_starts"] = (
            [e + 1, [0, 1, 2], [e - 1, e]] if _epochs_ok(n, e, total) else error(MEMORY, INT64)
        )
        out["step_table"] = (
            {
                "epoch": [e, [0, 1, 2], [e - 2, e - 1]],
                "step": [e, [0, 1, 2], [e - 2, e - 1]],
                "step_in_epoch": [e, [0, 0, 0], [0, 0]],
                "batch_size": [e, [B, B, B], [B, B]],
                "samples_seen": [e, [3, 6, 9], [B * (e - 1), B * e]],
            }
            if (e + 1) * 64 <= GIB
            else error(MEMORY, INT64)
        )
        rows = [((e - 1) * B + i) % n for i in range(B)]  # draw k: rows k*B .. cyclically
        out["batch(0)"] = [0, 0, 0, [0, 1, 2], B] if n <= I64 else error(INT64)
        out["batch(T-1)"] = [e - 1, e - 1, 0, rows, B * e] if n <= I64 else error(INT64)
        out["batches first"] = out["batch(0)"]
        if n * 8 > GIB:
            out["exposures"] = error(MEMORY)
        else:  # draws walk through 0..N-1 cyclically
            full, rest = divmod(B * e, n)
            out["exposures"] = (
                [n, full, full + (rest > 0), n - rest] if full + 1 <= I64 else error(INT64)
            )
        out["exposure_summary"] = _law(n, B * e)
    elif kind == "carried":
        total = (e * nb) // 4
        micro = 4 * total
        seen = (micro // nb) * n + (micro % nb) * B
        varies = nb % 4 != 0
        out["counts"] = {
            "total_steps": total, "samples_seen": seen, "epochs_run": (4 * total - 1) // nb + 1,
            "micro_batches": micro, "micro_batches_unapplied": (e * nb) % 4,
            "batches_per_pass": nb, "samples_per_pass": n, "last_batch_size": n - B * (nb - 1),
            "iterations": total, "effective_batch_size": 4 * B,
            "steps_in_epoch(E-1)": total - ((e - 1) * nb) // 4,
            "samples_in_epoch(E-1)": "exact", "samples_through(T)": seen,
            "micro_batches_per_epoch": nb, "repr": _shown("varying", total, seen),
        }  # fmt: skip
        out["steps_per_epoch"] = error("vary") if varies else nb // 4
        out["samples_per_epoch"] = error("differ in size") if varies else "exact"
        out["data_passes"] = _passes(seen, n)
        starts = [(k * nb) // 4 for k in (0, 1, 2)]
        out["epoch_starts"] = (
            [e + 1, starts, [((e - 1) * nb) // 4, total]]
            if _epochs_ok(n, e, total)
            else error(MEMORY, INT64)
        )
        out["step_table"] = error(MEMORY, INT64)
    elif kind == "capped":
        total = 7 * e

        def through(k: int) -> int:
            return (k // nb) * n + (k % nb) * B

        varies = n % B != 0 and nb <= 7 * e  # a pass ends inside the run, short batch
        out["counts"] = {
            "total_steps": total, "samples_seen": through(total), "epochs_run": e,
            "micro_batches": total, "micro_batches_unapplied": 0, "batches_per_pass": nb,
            "samples_per_pass": n, "last_batch_size": n - B * (nb - 1), "iterations": total,
            "effective_batch_size": B, "steps_in_epoch(E-1)": 7,
            "samples_in_epoch(E-1)": through(total) - through(total - 7),
            "samples_through(T)": through(total), "micro_batches_per_epoch": nb,
            "repr": _shown(7, total, through(total)),
        }  # fmt: skip
        out["steps_per_epoch"] = 7
        out["samples_per_epoch"] = error("differ in size") if varies else 7 * B
        out["data_passes"] = _passes(through(total), n)
        out["epoch_starts"] = (
            [e + 1, [0, 7, 14], [total - 7, total]]
            if _epochs_ok(n, e, total)
            else error(MEMORY, INT64)
        )
        out["step_table"] = error(MEMORY, INT64)
    if kind == "carried":  # several micro-batches per update
        for api in ("batch(0)", "batch(T-1)", "batches first"):  # never a pass built
            out[api] = "rows" if n <= I64 else error(INT64)
        out["exposures"] = error(MEMORY, TIME)  # replaying every update: past 10 s
        out["exposure_summary"] = _law(n, seen)
    if kind == "capped":  # one micro-batch per update, sequential: sliced at any size
        for api in ("batch(0)", "batch(T-1)", "batches first"):
            out[api] = "rows" if n <= I64 else error(INT64)
        passes = total // nb + 1
        out["exposures"] = (
            error(MEMORY) if n * 8 > GIB else "exact" if passes <= I64 else error(INT64)
        )
        out["exposure_summary"] = _law(n, through(total))
    return out


def _frameworks(n: int, e: int, nb: int, total: int) -> dict[str, Any]:
    """Framework counters of the sequential schedule (B = 3)."""
    epoch = float(e) if e <= FLOAT else error(FLOATS)
    want: dict[str, Any] = {
        "pytorch": {"len(loader)": nb, "batches": total, "optimizer.step() calls": total},
        "keras": {"model.optimizer.iterations": total, "progress_bar": f"{nb}/{nb}"},
        "sklearn-sgd": error("cannot run"),
        "sklearn-mlp": {"n_iter_": e, "t_": e * n, "updates": total},
        "lightning": {"trainer.global_step": total, "trainer.num_training_batches": nb},
        "huggingface": (
            {"state.global_step": total, "state.epoch": epoch}
            if isinstance(epoch, float)
            else epoch
        ),
        "tf1": {"global_step": total, "global_step with repeat(E).batch(B)": cdiv(e * n, B)},
        "optax": {"state.count": total},
    }
    return {f"counters {fw}": v for fw, v in want.items()}


def _mismatch(case: str, api: str, want: Any, status: str, got: Any) -> str | None:
    """Why an observation is wrong, or None."""
    if isinstance(want, tuple) and want[0] == "error":
        if status != "error":
            return f"{case}: expected a refusal naming {want[1]!r}, got {got!r}"[:300]
        return None if re.search(want[1], got) else f"{case}: the wrong message {got!r}"
    if status != "ok":
        return f"{case}: {got}"
    if want in ("random rows", "random", "rows", "fixed", "exact"):
        return None  # it ran within the bounds; its values are checked in other tests
    if api.startswith("counters "):
        counters, via_to = got
        got, want = [{k: counters[k] for k in want}, counters], [want, via_to]
    elif api == "exposure_summary" and want[1] is None:  # replicas: no std by hand
        got, want = [got[0], *got[2:]], [want[0], *want[2:]]
    elif api == "counts":
        got = {k: v for k, v in got.items() if want[k] != "exact"}
        want = {k: v for k, v in want.items() if v != "exact"}
    return None if got == want else f"{case}: {got!r} != {want!r}"[:600]


TABLE = [(kind, n, e) for n in SIZES for e in SIZES for kind in SCHEDULES]


# --------------------------------------------------------------------- tests
@pytest.fixture(scope="module")
def observed() -> dict[str, Any]:
    done = bounded(
        """
        import json
        from tests.test_sizes import observe_all
        print(json.dumps(observe_all()))
        """,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(("kind", "n_name", "e_name"), TABLE, ids=[" ".join(c) for c in TABLE])
def test_the_exact_count_or_the_named_limit(
    observed: dict[str, Any], kind: str, n_name: str, e_name: str
) -> None:
    want = expected(kind, SIZES[n_name], SIZES[e_name])
    case = f"{kind} N={n_name} E={e_name}"
    seen = {k[len(case) + 1 :]: v for k, v in observed.items() if k.startswith(case + " ")}
    assert sorted(seen) == sorted(want)  # every API observed has its right outcome
    wrong = [_mismatch(f"{case} {api}", api, want[api], *seen[api]) for api in want]
    assert [w for w in wrong if w] == []


# --------------------------------------------- properties near the int64 edge
def _near_edge(rng: random.Random) -> Schedule | None:
    edge = 2 ** rng.randrange(20, 64) + rng.randrange(-5, 5)
    n = max(1, rng.choice([rng.randrange(1, 50), edge]))
    b = rng.choice([1, 2, 3, 7, max(1, n // rng.randrange(1, 9))])
    options = rng.choice(
        [
            {},
            {"accumulate": rng.randrange(2, 5), "accumulate_across_epochs": True},
            {"accumulate": rng.randrange(2, 5)},
            {"world_size": rng.randrange(2, 5)},
            {"steps_per_epoch": rng.choice([3, 2 ** rng.randrange(10, 62)])},
            {"epoch": "draw", "steps_per_epoch": 2 ** rng.randrange(10, 62)},
        ]
    )
    try:
        return Schedule(n, b, rng.randrange(1, 40), max_steps=rng.choice([None, 59]), **options)
    except ValueError:
        return None


def test_arrays_of_counts_are_exact_or_refused_near_int64() -> None:
    # 4e18-sized N wrapped epoch_starts silently; the scalar formulas are the oracle
    rng = random.Random(15)
    checked = 0
    for _ in range(600):
        s = _near_edge(rng)
        if s is None:
            continue
        c, total = s.counting, s.total_steps
        starts = [min(c.steps_before_epoch(k), total) for k in range(s.epochs + 1)]
        seen = [s.samples_through(k) for k in range(1, min(total, 60) + 1)]
        if total > I64:
            with pytest.raises(ValueError, match=INT64):
                s.epoch_starts()
            continue
        assert s.epoch_starts().tolist() == starts, s
        if total <= 60 and max(seen) <= I64:
            assert s.step_table()["samples_seen"].tolist() == seen, s
        checked += 1
    assert checked > 300


def test_the_4e18_example_of_the_issue() -> None:
    s = Schedule(4 * 10**18, 1, 5, max_steps=10)
    assert s.epoch_starts().tolist() == [0, 10, 10, 10, 10, 10]
    with pytest.raises(ValueError, match=INT64):
        Schedule(4 * 10**18, 1, 3).epoch_starts()  # 1.2e19 steps


def test_keras_capped_counts_are_exact_and_its_log_refused_past_the_limit() -> None:
    # a cap of 7 over passes of 4 batches: Keras ends every epoch with its pass
    counts = Schedule(10, 3, 10**12, steps_per_epoch=7).counters("keras")
    assert counts["model.optimizer.iterations"] == 4 * 10**12
    from minigd.frameworks import keras_log

    with pytest.raises(ValueError, match=MEMORY):
        keras_log(Schedule(10, 3, 10**12))


def test_capped_samples_vary_in_constant_time() -> None:
    # epochs of 7 steps over passes of 4 batches (N=10, B=3: the last batch short)
    for e in (1, 2, 3, 10**12, 10**400):
        s = Schedule(10, 3, e, steps_per_epoch=7)
        sizes = {s.samples_in_epoch(k) for k in range(min(e, 8))}
        assert s.counting.samples_vary() == (len(sizes) > 1)


def test_rows_at_the_largest_n_samples_are_exact() -> None:
    n = I64  # row numbers up to 2**63 - 2: the last ones int64 holds
    s = Schedule(n, B, 2, sampling="sequential")
    nb = cdiv(n, B)
    last = s.batch(2 * nb - 1)
    assert last.indices.tolist() == list(range(B * (nb - 1), n))
    assert (last.epoch, last.step_in_epoch, last.samples_seen) == (1, nb - 1, 2 * n)
    draw = Schedule(n, B, 10**400, epoch="draw", sampling="sequential")
    k = 10**400 - 1  # draw k takes rows k*B, k*B + 1, ... of 0..N-1, cyclically
    assert draw.batch(k).indices.tolist() == [(k * B + i) % n for i in range(B)]
    with pytest.raises(ValueError, match=INT64):
        Schedule(2**63, B, 1, sampling="sequential").batch(0)


@pytest.mark.parametrize("sharding", ["pad", "drop", "batches"])
def test_replicas_exposure_summary_in_closed_form_is_the_replay(sharding: str) -> None:
    # it built arrays of N positions; now O(1): the fixed-order counts a run replays
    for n, b, r, k, drop, max_steps in itertools.product(
        range(1, 12), (1, 2, 3), (2, 3, 5), (1, 2), (False, True), (None, 3)
    ):
        try:
            s = Schedule(n, b, 2, world_size=r, accumulate=k, sampling="sequential",
                         drop_last=drop, max_steps=max_steps, sharding=sharding)  # fmt: skip
        except ValueError:
            continue
        x, uses = s.exposure_summary(), s.exposures(seed=0)
        assert (x.min, x.max, x.p_never) == (uses.min(), uses.max(), (uses == 0).mean()), s
        assert x.mean == pytest.approx(uses.mean()), s
        assert x.std == pytest.approx(uses.std(), abs=1e-12), s


@pytest.mark.parametrize("sharding", ["pad", "drop", "batches"])
def test_sequential_parts_computed_from_positions_are_the_dealt_pass(sharding: str) -> None:
    # a sequential pass is no longer dealt: its parts must be what dealing arange(N) gives
    from minigd.batching import shards

    for n, b, r, k, drop in itertools.product(range(1, 12), (1, 2, 3), (1, 2, 3), (1, 2), (0, 1)):
        try:
            s = Schedule(n, b, 2, world_size=r, accumulate=k, sampling="sequential",
                         drop_last=bool(drop), sharding=sharding)  # fmt: skip
        except ValueError:
            continue
        c = s.counting
        nb = c.batches_per_pass
        assert nb is not None
        dealt = shards(np.arange(n), r, c.rows_per_replica, c.sharding, b)
        for step in range(s.total_steps):
            first, last = c.micro_range(step)
            want = [
                d[m % nb * b : (m % nb + 1) * b].tolist() for m in range(first, last) for d in dealt
            ]
            assert [p.tolist() for p in s.batch(step).parts] == want, (s, step)
