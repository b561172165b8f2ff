"""Schedule counts: every number of the Q&A, the ragged cases, validation."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from minigd import Schedule, batch_sizes_for, compare

# --- every number in shared/seed/qa-en.md -----------------------------------


def test_instructor_keras_example() -> None:
    s = Schedule(n_samples=100, batch_size=5, epochs=30)
    assert s.steps_per_epoch == 20
    assert s.total_steps == 600
    assert s.samples_per_epoch == 100
    assert s.samples_seen == 3000
    assert s.iterations == 600
    assert Schedule(100, 5, 30, iteration="epoch").iterations == 30


def test_positional_and_keyword_agree() -> None:
    assert Schedule(100, 5, 30) == Schedule(n_samples=100, batch_size=5, epochs=30)


@pytest.mark.parametrize(
    ("batch_size", "steps", "seen", "uses"),
    [(100, 500, 50_000, 500), (1, 50_000, 50_000, 500), (10, 5_000, 50_000, 500)],
)
def test_student_table_under_pass(batch_size: int, steps: int, seen: int, uses: int) -> None:
    s = Schedule(100, batch_size, 500)
    assert s.total_steps == steps
    assert s.samples_seen == seen
    assert s.data_passes == uses
    # "iterations x batch_size is 50,000 in every row"
    assert s.total_steps * s.batch_size == 50_000


@pytest.mark.parametrize(
    ("batch_size", "steps", "seen", "uses"),
    [(100, 500, 50_000, 500), (1, 500, 500, 5), (10, 500, 5_000, 50)],
)
def test_student_table_under_draw(batch_size: int, steps: int, seen: int, uses: int) -> None:
    s = Schedule(100, batch_size, 500, epoch="draw")
    assert s.steps_per_epoch == 1
    assert s.total_steps == steps
    assert s.samples_seen == seen
    assert s.data_passes == uses


def test_academic_vs_framework() -> None:
    assert Schedule.gd(100, 500, epoch="draw").total_steps == 500
    assert Schedule.sgd(100, 500, epoch="draw").total_steps == 500
    assert Schedule.minibatch(100, 5, 500, epoch="draw").total_steps == 500
    framework = Schedule.minibatch(100, 5, 500)
    assert framework.steps_per_epoch == 20
    assert framework.total_steps == 10_000


def test_follow_up_fifty_thousand() -> None:
    assert Schedule(100, 5, 500).total_steps == 10_000
    assert Schedule(100, 10, 500).total_steps == 5_000
    assert Schedule(100, 1, 500).total_steps == 50_000
    assert batch_sizes_for(50_000, 100, 500) == [1]


def test_presets() -> None:
    assert Schedule.gd(100, 7).batch_size == 100
    assert Schedule.sgd(100, 7).batch_size == 1
    assert Schedule.minibatch(100, 10, 7).batch_size == 10
    assert Schedule.gd(100, 7, drop_last=True).steps_per_epoch == 1


# --- ragged batches, drop_last, caps ----------------------------------------


def test_ragged_canonical_case() -> None:
    s = Schedule(100, 3, 2)
    assert (s.steps_per_epoch, s.total_steps, s.last_batch_size) == (34, 68, 1)
    d = Schedule(100, 3, 2, drop_last=True)
    assert (d.steps_per_epoch, d.total_steps, d.samples_per_epoch) == (33, 66, 99)
    assert d.last_batch_size == 3


def test_batch_larger_than_data_is_one_batch_per_pass() -> None:
    s = Schedule(3, 5, 4)
    assert s.steps_per_epoch == 1
    assert [b.indices.size for b in s.batches(seed=0)] == [3, 3, 3, 3]


def test_steps_per_epoch_cap_continues_the_stream() -> None:
    # Keras 3 on arrays gives [7, 7, 6, 7] (27 updates); minigd never cuts an
    # epoch short, so every epoch has 7 steps.
    s = Schedule(100, 5, 4, steps_per_epoch=7, sampling="sequential")
    batches = list(s.batches())
    assert len(batches) == 28
    assert [b.indices[0] for b in batches[:8]] == [0, 5, 10, 15, 20, 25, 30, 35]
    # step 20 is the first batch of the second pass
    assert batches[20].indices.tolist() == [0, 1, 2, 3, 4]
    assert batches[20].epoch == 2
    assert batches[20].step_in_epoch == 6


def test_cap_larger_than_a_pass() -> None:
    s = Schedule(100, 5, 2, steps_per_epoch=30)
    assert s.total_steps == 60
    assert s.samples_per_epoch == 150
    assert s.samples_seen == 300


def test_samples_per_epoch_varies_under_cap() -> None:
    s = Schedule(100, 3, 4, steps_per_epoch=20)
    assert [s.samples_in_epoch(e) for e in range(4)] == [60, 58, 60, 58]
    with pytest.raises(ValueError, match="differ in size"):
        _ = s.samples_per_epoch
    assert s.samples_seen == 236
    # one epoch only: nothing varies
    assert Schedule(100, 3, 1, steps_per_epoch=20).samples_per_epoch == 60


def test_draw_batch_larger_than_data() -> None:
    s = Schedule(10, 25, 3, epoch="draw")
    assert s.samples_per_epoch == 10
    assert all(sorted(b.indices.tolist()) == list(range(10)) for b in s.batches(seed=1))
    r = Schedule(10, 25, 3, epoch="draw", sampling="replacement")
    assert r.samples_per_epoch == 25
    assert all(b.indices.size == 25 for b in r.batches(seed=1))


def test_counting_is_constant_time() -> None:
    start = time.perf_counter()
    s = Schedule(n_samples=10**12, batch_size=1000, epochs=10**6)
    counts = (s.total_steps, s.samples_seen, s.samples_per_epoch, s.iterations)
    elapsed = time.perf_counter() - start
    assert counts == (10**15, 10**18, 10**12, 10**15)
    assert s.exposure_summary().distribution == "exactly 1,000,000"
    assert elapsed < 1.0  # a loop over steps would take years, not a second


def test_huge_capped_schedule_is_exact() -> None:
    s = Schedule(10**12 + 1, 1000, 10**6, steps_per_epoch=10**9 + 1)
    assert s.total_steps == (10**9 + 1) * 10**6
    nb = math.ceil((10**12 + 1) / 1000)
    full, rest = divmod(s.total_steps, nb)
    assert s.samples_seen == full * (10**12 + 1) + rest * 1000


# --- batches ------------------------------------------------------------------


def test_sequential_batches_match_slices() -> None:
    got = [b.indices.tolist() for b in Schedule(10, 4, 1, sampling="sequential").batches()]
    assert got == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_batch_fields() -> None:
    batches = list(Schedule(10, 4, 3).batches(seed=5))
    assert [b.epoch for b in batches] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert [b.step for b in batches] == list(range(9))
    assert [b.step_in_epoch for b in batches] == [0, 1, 2] * 3
    assert [b.samples_seen for b in batches] == [4, 8, 10, 14, 18, 20, 24, 28, 30]
    assert batches[2].size == 2
    assert "Batch(epoch=0, step=2" in repr(batches[2])


def test_shuffle_differs_between_epochs_and_seeds() -> None:
    s = Schedule(50, 25, 2)  # two batches per pass (one batch per pass is drawn in order)
    b = [x.indices.tolist() for x in s.batches(seed=3)]
    e0, e1 = b[0] + b[1], b[2] + b[3]
    assert sorted(e0) == sorted(e1) == list(range(50))
    assert e0 != e1
    other = next(iter(s.batches(seed=4))).indices.tolist()
    assert other != e0


def test_batch_indices_are_read_only() -> None:
    b = next(iter(Schedule(10, 4, 1).batches(seed=0)))
    with pytest.raises(ValueError, match="read-only"):
        b.indices[0] = 99


def test_global_random_state_untouched() -> None:
    np.random.seed(123)  # noqa: NPY002  (the legacy state is what we check)
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    s = Schedule(20, 3, 3, epoch="draw")
    list(s.batches(seed=1))
    list(Schedule(20, 3, 3).batches(seed=1))
    s.exposures(seed=2)
    list(Schedule(20, 3, 3).batches())  # seed=None uses fresh entropy, not the global state
    assert (np.random.get_state()[1] == before).all()  # noqa: NPY002


def test_seed_none_gives_a_consistent_run() -> None:
    batches = list(Schedule(30, 7, 5).batches())
    for e in range(5):
        epoch = np.concatenate([b.indices for b in batches if b.epoch == e])
        assert sorted(epoch.tolist()) == list(range(30))


def test_draw_sequential_cycles() -> None:
    got = [
        b.indices.tolist() for b in Schedule(5, 2, 4, epoch="draw", sampling="sequential").batches()
    ]
    assert got == [[0, 1], [2, 3], [4, 0], [1, 2]]


def test_draw_shuffle_is_uniform() -> None:
    # 20,000 draws of 3 from 10: each sample should be picked ~6,000 times.
    counts = Schedule(10, 3, 20_000, epoch="draw").exposures(seed=0)
    assert counts.sum() == 60_000
    assert np.all(np.abs(counts - 6000) < 6 * math.sqrt(6000 * 0.7))


# --- exposures ---------------------------------------------------------------


def test_exposures_exact_under_pass() -> None:
    for b in (1, 3, 10, 100):
        e = Schedule(100, b, 500).exposures(seed=0)
        assert e.dtype == np.int64
        assert (e == 500).all()


def test_exposures_sequential_drop_last() -> None:
    e = Schedule(10, 4, 3, drop_last=True, sampling="sequential").exposures()
    assert e.tolist() == [3] * 8 + [0, 0]
    x = Schedule(10, 4, 3, drop_last=True, sampling="sequential").exposure_summary()
    assert (x.min, x.max, x.expected_never_used, x.p_never) == (0, 3, 2.0, 0.2)


def test_exposures_draw_sgd_about_five() -> None:
    e = Schedule(100, 1, 500, epoch="draw").exposures(seed=0)
    assert e.sum() == 500
    assert e.mean() == 5.0
    assert e.min() < 5 < e.max()  # a distribution, not 5 each


def test_exposure_summary_matches_simulation() -> None:
    # The closed form against 300 simulated runs, for each random case.
    cases = [
        Schedule(20, 1, 30, epoch="draw"),
        Schedule(20, 3, 30, epoch="draw"),
        Schedule(20, 3, 10, epoch="draw", sampling="replacement"),
        Schedule(20, 3, 4, sampling="replacement"),
        Schedule(20, 3, 4, drop_last=True),
        Schedule(20, 3, 3, steps_per_epoch=5),
        Schedule(20, 3, 3, world_size=3),
        Schedule(19, 2, 3, world_size=4, drop_last=True),
        Schedule(19, 2, 3, world_size=4, drop_last=True, sharding="drop"),
        Schedule(19, 2, 3, world_size=4, sharding="batches"),
        Schedule(19, 2, 3, world_size=3, drop_last=True, sharding="batches"),
        Schedule(20, 3, 3, accumulate=4, accumulate_across_epochs=True),
        Schedule(20, 3, 3, accumulate=2, world_size=3, max_steps=7),
    ]
    for s in cases:
        x = s.exposure_summary()
        runs = np.stack([s.exposures(seed=k) for k in range(300)])
        assert runs.sum(axis=1).tolist() == [s.samples_seen] * 300
        assert runs.mean() == pytest.approx(x.mean)
        assert runs.std() == pytest.approx(x.std, rel=0.1)
        assert (runs == 0).mean() == pytest.approx(x.p_never, abs=0.03)
        assert runs.min() >= x.min
        assert runs.max() <= x.max


def test_exposure_summary_deterministic_cases() -> None:
    x = Schedule(100, 10, 500).exposure_summary()
    assert (x.mean, x.std, x.min, x.max, x.p_never, x.random) == (500, 0, 500, 500, 0, False)
    y = Schedule(5, 2, 3, epoch="draw", sampling="sequential").exposure_summary()
    assert (y.min, y.max) == (1, 2)
    assert Schedule(5, 2, 3, epoch="draw", sampling="sequential").exposures().tolist() == [
        2,
        1,
        1,
        1,
        1,
    ]


# --- display -----------------------------------------------------------------


def test_describe_has_every_count() -> None:
    table = Schedule(100, 5, 30).describe()
    values = {r[0]: r[1] for r in table.rows}
    assert values["steps per epoch"] == 20
    assert values["total steps (updates)"] == 600
    assert values["samples seen"] == 3000
    assert values["iterations"] == 600


def test_describe_korean() -> None:
    text = str(Schedule(100, 5, 30).describe(lang="ko"))
    for word in ("에포크", "배치 크기", "스텝", "이터레이션"):
        assert word in text
    assert "정확히 30" in text
    assert "exactly" not in text


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("epoch", ["pass", "draw"])
@pytest.mark.parametrize("sampling", ["shuffle", "sequential", "replacement"])
def test_describe_says_the_sampling_once(lang: str, epoch: str, sampling: str) -> None:
    # the Korean table read "복원 추출 | 복원 추출": the meaning must add to the name
    rows = Schedule(100, 5, 3, epoch=epoch, sampling=sampling).describe(lang).rows
    (value, meaning) = next(r[1:] for r in rows if r[0] in ("sampling", "샘플링"))
    assert value in {"shuffle", "sequential", "replacement", "섞기", "고정 순서", "복원 추출"}
    assert value not in meaning.split()
    if lang == "ko":  # not even in part: "고정 순서" / "고정된 순서로 돌아가며 뽑음"
        assert value.split()[0] not in meaning


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_describe_has_a_sharding_row_only_with_replicas(lang: str) -> None:
    def sharding_rows(s: Schedule) -> list[tuple[object, ...]]:
        return [r for r in s.describe(lang).rows if r[0].startswith(("sharding", "샤딩"))]

    assert sharding_rows(Schedule(11, 3, 2)) == []
    assert sharding_rows(Schedule(11, 3, 2, accumulate=2)) == []
    # 11 rows, 2 replicas: ceil(11/2) = 6 each under "pad", floor(11/2) = 5 under "drop"
    (pad,) = sharding_rows(Schedule(11, 3, 2, world_size=2))
    (drop,) = sharding_rows(Schedule(11, 3, 2, world_size=2, sharding="drop"))
    assert ("6" in pad[2], "5" in drop[2]) == (True, True)
    assert pad[1] == ("pad" if lang == "en" else "채우기")
    (draw,) = sharding_rows(Schedule(11, 3, 2, world_size=2, epoch="draw"))
    assert draw[2].startswith(("no effect", "영향 없음"))


def test_describe_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match=r"'lang' parameter .* among \{'en', 'ko'\}. Got 'fr'"):
        Schedule(100, 5, 30).describe(lang="fr")


def test_html_and_repr() -> None:
    s = Schedule(100, 3, 2, drop_last=True)
    html = s._repr_html_()
    assert html.startswith("<table")
    assert "<td" in html
    assert "66" in html
    assert repr(s) == (
        "Schedule(n_samples=100, batch_size=3, epochs=2, drop_last=True): "
        "33 steps per epoch, 66 steps, 198 samples seen"
    )


@pytest.mark.parametrize(
    ("schedule", "tail"),
    [
        (Schedule(1, 1, 1), "1 step per epoch, 1 step, 1 sample seen"),
        (Schedule(100, 5, 1, epoch="draw"), "1 step per epoch, 1 step, 5 samples seen"),
        (Schedule(100, 100, 2), "1 step per epoch, 2 steps, 200 samples seen"),
        (Schedule(2, 1, 1), "2 steps per epoch, 2 steps, 2 samples seen"),
    ],
)
def test_repr_says_one_step_not_one_steps(schedule: Schedule, tail: str) -> None:
    # a fresh student read "1 steps per epoch"
    assert repr(schedule).endswith("): " + tail)


def test_compare_side_by_side() -> None:
    rows = compare(
        [Schedule(100, 1, 500), Schedule(100, 1, 500, epoch="draw")], labels=["pass", "draw"]
    ).to_records()
    assert [r["total_steps"] for r in rows] == [50_000, 500]
    with pytest.raises(ValueError, match="one label per schedule"):
        compare([Schedule(1, 1, 1)], labels=["a", "b"])
    with pytest.raises(TypeError, match="Item 0 is of type int"):
        compare([3])  # type: ignore[list-item]


def test_to_dict_round_trips() -> None:
    s = Schedule(100, 3, 2, sampling="sequential", steps_per_epoch=10)
    assert Schedule(**s.arguments()) == s
    d = s.to_dict()
    assert d["total_steps"] == 20
    assert d["exposures"]["random"] is False
    assert hash(s) == hash(Schedule(**s.arguments()))


def test_replace() -> None:
    s = Schedule(100, 5, 30)
    assert s.replace(epoch="draw").total_steps == 30
    assert s.total_steps == 600


def test_batch_sizes_for_agrees_with_schedule() -> None:
    n, e = 37, 3
    for drop in (False, True):
        for target in range(1, n + 2):
            expected = [
                b
                for b in range(1, n + 1)
                if Schedule(n, b, e, drop_last=drop).total_steps == target * e
            ]
            assert batch_sizes_for(target * e, n, e, drop_last=drop) == expected


# --- bad input ---------------------------------------------------------------

BAD = [
    (
        {"n_samples": 0},
        ValueError,
        r"'n_samples' parameter of Schedule must be an int in the "
        r"range \[1, inf\). Got 0 instead.",
    ),
    ({"batch_size": 0}, ValueError, r"'batch_size' .* Got 0 instead"),
    ({"epochs": -2}, ValueError, r"'epochs' .* Got -2 instead"),
    ({"epochs": 2.0}, TypeError, r"'epochs' .* Got 2.0 instead"),
    ({"batch_size": True}, TypeError, r"'batch_size' .* Got True instead"),
    ({"n_samples": "100"}, TypeError, r"'n_samples' .* Got '100' instead"),
    ({"n_samples": np.float64(3)}, TypeError, r"Got 3.0 of type float64 instead"),
    ({"epoch": "iteration"}, ValueError, r"'epoch' .* among \{'pass', 'draw'\}. Got 'iteration'"),
    ({"iteration": "batch"}, ValueError, r"'iteration' .* among \{'step', 'epoch'\}"),
    (
        {"sampling": "random"},
        ValueError,
        r"'sampling' .* among \{'shuffle', 'sequential', 'replacement'\}",
    ),
    ({"epoch": 1}, TypeError, r"'epoch' .* must be a str .* Got 1 instead"),
    ({"drop_last": 1}, TypeError, r"'drop_last' .* must be an instance of bool. Got 1 instead"),
    ({"steps_per_epoch": 0}, ValueError, r"'steps_per_epoch' .* Got 0 instead"),
    ({"steps_per_epoch": 1.5}, TypeError, r"'steps_per_epoch' .* Got 1.5 instead"),
    (
        {"batch_size": 200, "drop_last": True},
        ValueError,
        r"'batch_size' .* <= n_samples=100 when drop_last=True.*Got 200 instead",
    ),
    ({"epoch": "draw", "drop_last": True}, ValueError, r"'drop_last' .* must be False"),
]


@pytest.mark.parametrize(("changes", "error", "message"), BAD)
def test_bad_arguments(changes: dict[str, object], error: type[Exception], message: str) -> None:
    args: dict[str, object] = {"n_samples": 100, "batch_size": 5, "epochs": 3}
    args.update(changes)
    with pytest.raises(error, match=message):
        Schedule(**args)  # type: ignore[arg-type]


def test_numpy_ints_accepted() -> None:
    s = Schedule(np.int64(100), np.int32(5), np.uint8(30))
    assert s.total_steps == 600
    assert type(s.n_samples) is int


def test_keyword_only_options() -> None:
    with pytest.raises(TypeError):
        Schedule(100, 5, 30, "draw")  # type: ignore[misc]


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed(seed: object) -> None:
    s = Schedule(10, 2, 1)
    error = ValueError if seed == -1 and not isinstance(seed, bool) else TypeError
    with pytest.raises(
        error,
        match=r"'seed' parameter of Schedule.batches must be a "
        r"non-negative int or None",
    ):
        s.batches(seed=seed)  # type: ignore[arg-type]
    with pytest.raises(error, match="'seed'"):
        s.exposures(seed=seed)  # type: ignore[arg-type]


def test_batch_step_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"'step' parameter of Schedule.batch .* \[0, 599\]"):
        Schedule(100, 5, 30).batch(600)


def test_samples_in_epoch_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"'epoch' .* \[0, 29\]. Got 30"):
        Schedule(100, 5, 30).samples_in_epoch(30)


def test_single_epoch_with_carried_groups() -> None:
    s = Schedule(4, 1, 1, accumulate=3, accumulate_across_epochs=True)
    assert (s.steps_per_epoch, s.total_steps, s.samples_per_epoch) == (1, 1, 3)
    assert s.micro_batches_unapplied == 1


@pytest.mark.parametrize("bad", [Schedule(10, 2, 1), 5, None])
def test_compare_names_a_schedule_that_is_not_in_a_list(bad: object) -> None:
    # a Schedule alone used to fail with Python's "'Schedule' object is not iterable"
    with pytest.raises(TypeError, match=r"^The 'schedules' parameter of compare must be a seq"):
        compare(bad)  # type: ignore[arg-type]
