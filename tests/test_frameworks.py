"""Counters and translations: the reference values of framework-semantics.md, round trips.

The REFERENCE table holds numbers the real frameworks printed when they were
run on this kind of machine (shared/reference/framework-semantics.md). PyTorch,
Keras, scikit-learn, Lightning and Hugging Face are also run live by
tests/conformance/. TF 1.x (a full TensorFlow install) and optax (JAX) are too
heavy to install for every CI run: their counters are checked here against the
recorded values and the formulas their sources document.
"""

from __future__ import annotations

import ast
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minigd import Schedule
from minigd.frameworks import (
    FRAMEWORKS,
    FrameworkError,
    counters,
    flat_arguments,
    from_framework,
    to_framework,
)

# Values the real frameworks printed (shared/reference/framework-semantics.md, section 2)
REFERENCE = [
    ((100, 5, 30), {}, "keras", "model.optimizer.iterations", 600),
    ((100, 5, 30), {}, "keras", "progress_bar", "20/20"),
    ((100, 3, 2), {}, "keras", "model.optimizer.iterations", 68),
    ((100, 3, 2), {}, "keras", "progress_bar", "34/34"),
    ((100, 1, 500), {}, "keras", "model.optimizer.iterations", 50_000),
    (
        (100, 3, 2),
        {"accumulate": 4, "accumulate_across_epochs": True},
        "keras",
        "model.optimizer.iterations",
        17,
    ),
    (
        (100, 3, 1),
        {"accumulate": 4, "accumulate_across_epochs": True},
        "keras",
        "model.optimizer.iterations",
        8,
    ),
    (
        (100, 5, 1),
        {"accumulate": 4, "accumulate_across_epochs": True},
        "keras",
        "model.optimizer.iterations",
        5,
    ),
    ((100, 5, 4), {"steps_per_epoch": 7}, "keras", "model.optimizer.iterations", 27),
    ((100, 5, 2), {"steps_per_epoch": 30}, "keras", "model.optimizer.iterations", 40),
    ((100, 3, 4), {"steps_per_epoch": 10}, "keras", "model.optimizer.iterations", 34),
    ((100, 1, 30), {}, "sklearn-sgd", "t_", 3001),
    ((100, 1, 2), {}, "sklearn-sgd", "t_", 201),
    ((37, 1, 7), {}, "sklearn-sgd", "t_", 260),
    ((100, 5, 30), {}, "sklearn-mlp", "t_", 3000),
    ((100, 5, 30), {}, "sklearn-mlp", "updates", 600),
    ((100, 3, 2), {}, "sklearn-mlp", "updates", 68),
    ((100, 3, 2), {}, "lightning", "trainer.global_step", 68),
    ((100, 3, 2), {"drop_last": True}, "lightning", "trainer.global_step", 66),
    ((100, 3, 2), {"accumulate": 4}, "lightning", "trainer.global_step", 18),
    ((100, 3, 2), {"accumulate": 34}, "lightning", "trainer.global_step", 2),
    ((100, 3, 2), {"accumulate": 50}, "lightning", "trainer.global_step", 2),
    ((100, 5, 30), {"accumulate": 4}, "lightning", "trainer.global_step", 150),
    ((100, 3, 2), {"drop_last": True, "accumulate": 4}, "lightning", "trainer.global_step", 18),
    ((100, 3, 3), {"drop_last": True, "accumulate": 5}, "lightning", "trainer.global_step", 21),
    ((100, 5, 30), {"max_steps": 50}, "lightning", "trainer.current_epoch", 3),
    ((100, 5, 30), {"accumulate": 4}, "huggingface", "state.global_step", 150),
    ((100, 3, 2), {"accumulate": 4}, "huggingface", "state.global_step", 18),
    ((100, 3, 2), {"world_size": 2}, "huggingface", "len(train_dataloader)", 17),
    ((100, 3, 2), {"world_size": 2}, "huggingface", "state.global_step", 34),
    ((100, 3, 2), {"world_size": 2, "drop_last": True}, "huggingface", "state.global_step", 32),
    ((100, 3, 2), {"world_size": 2, "accumulate": 4}, "huggingface", "state.global_step", 10),
    ((100, 5, 2), {"world_size": 2}, "huggingface", "state.global_step", 20),
    ((100, 3, 2), {}, "tf1", "global_step with repeat(E).batch(B)", 67),
    ((100, 3, 2), {}, "tf1", "global_step", 68),
    ((100, 3, 2), {"drop_last": True}, "tf1", "global_step with repeat(E).batch(B)", 66),
    ((10, 4, 3), {}, "tf1", "global_step with repeat(E).batch(B)", 8),
    ((10, 4, 3), {}, "tf1", "global_step", 9),
    (
        (100, 3, 1),
        {"accumulate": 4, "accumulate_across_epochs": True},
        "optax",
        "MultiSteps gradient_step",
        8,
    ),
    (
        (100, 3, 1),
        {"accumulate": 4, "accumulate_across_epochs": True},
        "optax",
        "MultiSteps mini_step",
        2,
    ),
    ((100, 5, 30), {}, "pytorch", "len(loader)", 20),
    ((100, 3, 2), {"world_size": 2}, "pytorch", "len(loader)", 17),
    ((100, 5, 30), {}, "pytorch", "scheduler.last_epoch (stepped per update)", 600),
    ((100, 5, 30), {}, "pytorch", "scheduler.last_epoch (stepped per epoch)", 30),
]


@pytest.mark.parametrize(("args", "options", "framework", "key", "expected"), REFERENCE)
def test_reference_values(
    args: tuple[int, int, int], options: dict[str, Any], framework: str, key: str, expected: Any
) -> None:
    assert counters(Schedule(*args, **options), framework)[key] == expected


def test_huggingface_fractional_epochs() -> None:
    # section 7: 1.5 epochs with GA=4 over 34 batches: 14 updates, state.epoch 1.588
    s = Schedule.from_framework(
        "huggingface",
        100,
        per_device_train_batch_size=3,
        gradient_accumulation_steps=4,
        num_train_epochs=1.5,
    )
    c = counters(s, "huggingface")
    assert c["state.global_step"] == 14
    assert round(c["state.epoch"], 3) == 1.588
    s = Schedule.from_framework(
        "huggingface", 100, per_device_train_batch_size=5, num_train_epochs=2.5
    )
    assert counters(s, "huggingface")["state.global_step"] == 50
    assert counters(s, "huggingface")["state.epoch"] == 2.5
    s = Schedule.from_framework(
        "huggingface", 100, per_device_train_batch_size=5, num_train_epochs=0.3
    )
    assert s.total_steps == 6
    s = Schedule.from_framework(
        "huggingface",
        100,
        per_device_train_batch_size=3,
        gradient_accumulation_steps=4,
        max_steps=20,
    )
    assert s.total_steps == 20
    assert round(counters(s, "huggingface")["state.epoch"], 3) == 2.235
    s = Schedule.from_framework(
        "huggingface", 100, per_device_train_batch_size=5, max_steps=50, num_train_epochs=30
    )
    assert s.total_steps == 50 and counters(s, "huggingface")["state.epoch"] == 2.5  # noqa: PT018


def test_keras_cap_note_says_how_it_differs() -> None:
    c = counters(Schedule(100, 5, 4, steps_per_epoch=7), "keras")
    assert (c["epochs cut short"], c["updates in an epoch cut short"]) == (1, 6)  # 7, 7, 6, 7
    assert "minigd runs 7 steps every epoch (28 in all)" in c["note"]


@pytest.mark.parametrize(
    ("schedule", "framework", "message"),
    [
        (Schedule(100, 5, 3), "sklearn-sgd", r"batch size 1.*MLPRegressor\(hidden_layer_sizes"),
        (Schedule(100, 5, 3, epoch="draw"), "keras", "original definition's 'draw' epochs"),
        (Schedule(100, 5, 3, world_size=2), "keras", "no data-parallel world size"),
        (Schedule(100, 3, 2, accumulate=4), "keras", "carries over epoch boundaries"),
        (
            Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True),
            "lightning",
            "flushes the last partial",
        ),
        (Schedule(100, 3, 2, drop_last=True), "keras", "never drops the last batch"),
        (Schedule(100, 3, 2, steps_per_epoch=5), "lightning", "continues the stream"),
        (Schedule(100, 3, 2, world_size=2), "optax", "no replicas"),
        (Schedule(100, 3, 2, sampling="replacement"), "huggingface", "without replacement"),
    ],
)
def test_inexpressible_schedules_raise(schedule: Schedule, framework: str, message: str) -> None:
    with pytest.raises(FrameworkError, match=message):
        counters(schedule, framework)
    with pytest.raises(FrameworkError):
        schedule.to(framework)


def _inexpressible() -> list[tuple[Schedule, str]]:
    cases = [
        Schedule(100, 5, 3),
        Schedule(100, 5, 3, epoch="draw"),
        Schedule(100, 5, 3, epoch="draw", sampling="sequential"),
        Schedule(100, 5, 3, world_size=2),
        Schedule(100, 3, 2, accumulate=4),
        Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True),
        Schedule(100, 3, 2, drop_last=True),
        Schedule(100, 3, 2, steps_per_epoch=5),
        Schedule(100, 3, 2, sampling="replacement"),
        Schedule(100, 3, 2, max_steps=10),
        Schedule(100, 1, 2, steps_per_epoch=5),
    ]
    return [(s, fw) for s in cases for fw in FRAMEWORKS]


def test_every_reason_has_a_code_and_korean_words() -> None:
    import re

    errors = []
    for schedule, framework in _inexpressible():
        try:
            counters(schedule, framework)
        except FrameworkError as exc:
            errors.append((framework, exc))
    assert len({exc.code for _, exc in errors}) >= 12
    for framework, exc in errors:
        assert exc.framework == framework
        assert str(exc) == exc.describe("en")
        assert str(exc).startswith(f"{framework} cannot run this schedule exactly: ")
        korean = exc.describe("ko")
        assert korean.startswith(f"{framework}에서는 이 스케줄을 정확히 실행할 수 없습니다: ")
        reason = exc.reason("ko")
        assert re.search("[가-힣]", reason), reason
        # English words only as code names (arguments, classes), never as prose
        prose = re.sub(r"[\w.]+\([^)]*\)|\b\w+_\w+\b|'[\w-]+'|\bKeras\b|\boptax\b", "", reason)
        assert not re.search(r"\b(the|its|has|no|it|is|per|every)\b", prose), reason


def test_framework_error_pickles_with_its_code() -> None:
    import pickle

    exc = FrameworkError("keras", "sgd_batch", b=5)
    back = pickle.loads(pickle.dumps(exc))
    assert (back.framework, back.code, back.fields, str(back)) == (
        "keras",
        "sgd_batch",
        {"b": 5},
        str(exc),
    )


def test_unknown_framework_and_arguments() -> None:
    with pytest.raises(ValueError, match=r"'framework' parameter of counters .* \{'pytorch'"):
        counters(Schedule(10, 2, 1), "jax")
    with pytest.raises(TypeError, match=r"does not know: \['batchsize'\]"):
        Schedule.from_framework("keras", 100, batchsize=5)


def test_framework_defaults() -> None:
    assert Schedule.from_framework("keras", 100).batch_size == 32
    assert Schedule.from_framework("sklearn-mlp", 500).batch_size == 200
    assert Schedule.from_framework("sklearn-mlp", 500, max_iter=3).total_steps == 9
    assert Schedule.from_framework("lightning", 100, batch_size=5).epochs == 1000
    lightning = Schedule.from_framework("lightning", 100, batch_size=5, max_steps=50)
    assert (lightning.epochs, lightning.total_steps) == (3, 50)
    assert Schedule.from_framework("huggingface", 100).epochs == 3


@st.composite
def expressible(draw: st.DrawFn) -> tuple[str, dict[str, Any], Schedule]:
    """A framework, its options (Keras's ``data``) and a Schedule it can run."""
    fw = draw(st.sampled_from(FRAMEWORKS))
    fw_options = {"data": draw(st.sampled_from(["finite", "endless"]))} if fw == "keras" else {}
    n = draw(st.integers(1, 80))
    options: dict[str, Any] = {
        "sampling": draw(st.sampled_from(["shuffle", "sequential", "replacement"])),
        "drop_last": draw(st.booleans()),
    }
    b = draw(st.integers(1, n if options["drop_last"] else n + 5))
    if draw(st.booleans()):
        options["accumulate"] = draw(st.integers(1, 5))
        options["accumulate_across_epochs"] = draw(st.booleans())
    if draw(st.booleans()):
        options["world_size"] = draw(st.integers(1, 3))
        options["sharding"] = draw(st.sampled_from(["pad", "drop", "batches"]))
    if draw(st.booleans()):
        options["max_steps"] = draw(st.integers(1, 40))
    if draw(st.booleans()):
        options["epoch"] = draw(st.sampled_from(["pass", "draw"]))
        options["steps_per_epoch"] = draw(st.integers(1, 30))
    try:
        s = Schedule(n, b, draw(st.integers(1, 4)), **options)
        counters(s, fw, **fw_options)
        s.to(fw, **fw_options)
    except (FrameworkError, ValueError):
        assume(False)
    return fw, fw_options, s


@settings(max_examples=200)
@given(expressible())
def test_round_trip_through_framework_arguments(
    case: tuple[str, dict[str, Any], Schedule],
) -> None:
    # the keyed arguments of to() go back into from_framework as they are
    fw, fw_options, s = case
    back = Schedule.from_framework(fw, s.n_samples, **s.to(fw, **fw_options)["arguments"])
    assert back.total_steps == s.total_steps
    assert back.epochs_run == s.epochs_run
    if back.sharding != s.sharding and s.world_size > 1:
        # it deals rows its own way, to the same batches per process (a note says so)
        assert back.batches_per_pass == s.batches_per_pass
        assert back.samples_per_pass == s.samples_per_pass or "note" in counters(s, fw)
        return
    assert back.samples_seen == s.samples_seen
    assert counters(back, fw, **fw_options) == counters(s, fw, **fw_options)
    ignore = {"iteration", "accumulate_across_epochs"}  # not a framework argument / moot
    if (
        s.drop_last
        and s.epoch == "pass"
        and (s.samples_per_pass == s.replace(drop_last=False).samples_per_pass)
    ):
        ignore.add("drop_last")  # nothing to drop
    if s.world_size == 1:
        ignore.add("sharding")  # one process: nothing to deal
    cap = s.arguments()["steps_per_epoch"]
    if cap == s.batches_per_pass or (s.epoch == "draw" and cap == 1):
        ignore.add("steps_per_epoch")  # a cap of one pass is no cap; a draw epoch is 1 batch
    mine = {k: v for k, v in s.arguments().items() if k not in ignore}
    theirs = {k: v for k, v in back.arguments().items() if k not in ignore}
    if fw in ("pytorch", "keras", "optax"):
        assert theirs == mine
    if fw == "huggingface":
        # The Trainer's arguments carry the run, not every argument of the schedule.
        # A max_steps that ends the run early replaces num_train_epochs, and the
        # Trainer then runs ceil(max_steps / updates per epoch) epochs (its own
        # state.num_train_epochs, set_initial_training_values in transformers'
        # trainer.py; tests/conformance checks it): the schedule comes back with
        # those epochs. A max_steps that does not end it early is not passed (it
        # would replace num_train_epochs). The Trainer always shuffles.
        per_epoch = s.replace(epochs=1, max_steps=None).total_steps
        binds = s.max_steps is not None and s.total_steps < s.replace(max_steps=None).total_steps
        assert theirs == {
            **mine,
            "epochs": -(-s.total_steps // per_epoch) if binds else s.epochs,
            "max_steps": s.max_steps if binds else None,
            "sampling": "shuffle",
        }


def test_translation_parts_and_release() -> None:
    t = Schedule(100, 3, 2, world_size=2, accumulate=4).to("pytorch")
    assert t["arguments"] == {
        "DataLoader": {"batch_size": 3, "drop_last": False},
        "DistributedSampler": {"shuffle": True, "num_replicas": 2},
        "loop": {"epochs": 2, "accumulate": 4},
    }
    assert t["release"] == t["counters"]["release"] == "torch 2.13"
    hf = Schedule(100, 3, 2).to("huggingface")["arguments"]
    assert set(hf) == {"TrainingArguments", "torchrun"}
    assert Schedule(100, 3, 2).to("lightning")["arguments"]["Trainer"]["max_epochs"] == 2
    flat = flat_arguments("keras", {"fit": {"epochs": 2}, "optimizer": {"x": 1}})
    assert flat == {"epochs": 2, "x": 1}
    with pytest.raises(TypeError, match="'epochs' twice"):
        flat_arguments("pytorch", {"fit": {"epochs": 2}, "loop": {"epochs": 3}})
    # two objects' drop_last: the sampler's is sampler_drop_last when flat
    s = Schedule(11, 3, 2, world_size=2, drop_last=True, sharding="drop")
    parts = s.to("pytorch")["arguments"]
    assert parts["DataLoader"]["drop_last"] and parts["DistributedSampler"]["drop_last"]  # noqa: PT018
    assert flat_arguments("pytorch", parts)["sampler_drop_last"] is True
    assert Schedule.from_framework("pytorch", 11, **parts) == s
    with pytest.raises(TypeError, match=r"options it does not know: \['data'\]; 'lightning'"):
        Schedule(100, 3, 2).counters("lightning", data="endless")
    with pytest.raises(ValueError, match=r"The 'data' parameter of Schedule.counters must be"):
        Schedule(100, 3, 2).counters("keras", data="infinite")


def test_optax_keeps_steps_per_epoch() -> None:
    # the case: 21 updates, not the 60 of epochs * batches per pass
    s = Schedule(100, 5, 3, steps_per_epoch=7)
    t = s.to("optax")
    assert t["arguments"]["loop"]["steps_per_epoch"] == 7
    assert Schedule.from_framework("optax", 100, **t["arguments"]).total_steps == 21 == 3 * 7


def test_counter_notes_in_both_languages() -> None:
    import re

    from minigd.frameworks import counter_notes

    cases = [
        (Schedule(100, 3, 2, world_size=2), "pytorch"),
        (Schedule(100, 3, 1, accumulate=4, accumulate_across_epochs=True), "pytorch"),
        (Schedule(100, 5, 4, steps_per_epoch=7), "keras"),
        (Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True), "keras"),
        (Schedule(100, 1, 3), "sklearn-sgd"),
        (Schedule(100, 5, 3), "sklearn-mlp"),
        (Schedule(100, 3, 2), "tf1"),
    ]
    for schedule, framework in cases:
        english = counter_notes(schedule, framework)
        assert english, (schedule, framework)
        assert "; ".join(english) == counters(schedule, framework)["note"]
        for note in counter_notes(schedule, framework, lang="ko"):
            assert re.search("[가-힣]", note), note
    with pytest.raises(ValueError, match=r"The 'lang' parameter of counter_notes"):
        counter_notes(Schedule(100, 1, 3), "sklearn-sgd", lang="fr")


def test_framework_arguments_checked_in_the_one_message_shape() -> None:
    with pytest.raises(TypeError, match=r"'num_train_epochs' parameter of Schedule.from_fra"):
        Schedule.from_framework("huggingface", 100, num_train_epochs="3")
    with pytest.raises(ValueError, match=r"'num_train_epochs' .* range \(0.0, inf\)\. Got 0 "):
        Schedule.from_framework("huggingface", 100, num_train_epochs=0)
    with pytest.raises(TypeError, match=r"'max_steps' parameter of from_framework\('lightning'"):
        from_framework("lightning", 100, max_steps="50")
    # a value the framework takes but a Schedule refuses: the Schedule's own message
    with pytest.raises(ValueError, match=r"'batch_size' parameter of Schedule .* Got 0 instead"):
        Schedule.from_framework("huggingface", 100, per_device_train_batch_size=0)


@pytest.mark.parametrize(
    ("framework", "arguments", "error", "named"),
    [
        ("keras", {"batch_size": 5, "shuffle": "no"}, TypeError, "shuffle"),  # "no" is truthy
        ("pytorch", {"batch_size": 5, "shuffle": "maybe"}, TypeError, "shuffle"),
        ("lightning", {"batch_size": 5, "max_epochs": 1, "drop_last": "yes"}, TypeError,
         "drop_last"),
        ("huggingface", {"gradient_accumulation_steps": 0}, ValueError,
         "gradient_accumulation_steps"),
        ("lightning", {"batch_size": 5, "max_epochs": 1, "accumulate_grad_batches": 0}, ValueError,
         "accumulate_grad_batches"),
    ],
)  # fmt: skip
def test_flags_and_counts_are_checked_under_the_frameworks_names(
    framework: str, arguments: dict[str, object], error: type[Exception], named: str
) -> None:
    # a string flag used to be read as true, a zero count as the Schedule's 'accumulate'
    with pytest.raises(
        error, match=rf"^The '{named}' parameter of Schedule.from_framework\('{framework}'\)"
    ):
        Schedule.from_framework(framework, 100, **arguments)
    with pytest.raises(
        error, match=rf"^The '{named}' parameter of from_framework\('{framework}'\)"
    ):
        from_framework(framework, 100, **arguments)


def test_each_surface_names_itself_in_its_messages() -> None:
    s = Schedule(100, 5, 3)
    calls = [
        (lambda: s.to(3), TypeError, "The 'framework' parameter of Schedule.to must"),
        (lambda: to_framework(s, 3), TypeError, "The 'framework' parameter of to_framework must"),
        (lambda: s.counters("jax"), ValueError, "The 'framework' parameter of Schedule.counters"),
        (lambda: counters(s, "jax"), ValueError, "The 'framework' parameter of counters must"),
        (lambda: s.to("keras", foo=1), TypeError, "Schedule.to got options it does not know"),
        (lambda: to_framework(s, "keras", foo=1), TypeError, "to_framework got options it"),
        (
            lambda: Schedule.from_framework(3, 100),
            TypeError,
            "'framework' parameter of Schedule.from",
        ),
        (
            lambda: Schedule.from_framework("keras", 100, foo=1),
            TypeError,
            "Schedule.from_framework('keras') got arguments it does not know: ['foo']; 'keras' "
            "takes ['batch_size', 'data', 'epochs', 'gradient_accumulation_steps', 'shuffle', "
            "'steps_per_epoch'].",
        ),
        (
            lambda: from_framework("keras", 100, fit={"epochs": 2}, optimizer={"epochs": 3}),
            TypeError,
            "from_framework('keras') got the argument 'epochs' twice.",
        ),
    ]
    for call, error, message in calls:
        with pytest.raises(error) as info:
            call()
        assert str(info.value).startswith(message) or message in str(info.value), str(info.value)
        # no message points the reader at a call they did not make
        other = {"Schedule.to", "to_framework", "Schedule.counters", "counters"} - {
            message.split()[0]
        }
        assert not any(f"{name}(schedule" in str(info.value) for name in other)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_names_a_framework_takes_hold_every_name_to_gives(framework: str) -> None:
    # the list an unknown argument's message gives is the framework's: every argument
    # that to() writes for it is there, and each is taken back without complaint
    # (Keras reads drop_last from a generator that never stops: data="endless")
    options = {"data": "endless"} if framework == "keras" else {}
    endless = {**options, "steps_per_epoch": 20} if options else {}
    with pytest.raises(TypeError, match="does not know") as info:
        from_framework(framework, 100, not_an_argument=1, **endless)
    takes = set(ast.literal_eval(str(info.value).split(" takes ")[1].rstrip(".")))
    given: set[str] = set()
    for s in [
        Schedule(100, 5, 3),
        Schedule(100, 5, 3, world_size=2, sharding="drop", drop_last=True),
        Schedule(100, 5, 3, world_size=2, sharding="batches"),
        Schedule(100, 5, 3, accumulate=2, accumulate_across_epochs=True, max_steps=40),
        Schedule(100, 5, 3, epoch="draw", steps_per_epoch=4, sampling="replacement"),
        Schedule(100, 1, 3, sampling="sequential"),
    ]:
        try:
            given |= set(flat_arguments(framework, s.to(framework, **options)["arguments"]))
        except FrameworkError:
            continue
    assert given
    assert given <= takes, given - takes


def test_reasons_found_reading_a_frameworks_arguments_speak_of_them() -> None:
    import pickle
    import re

    cases = [
        ("keras", {"batch_size": 5, "epochs": 4, "steps_per_epoch": 7}, "keras_runs_short"),
        ("keras", {"data": "endless", "batch_size": 5}, "keras_endless_steps"),
        ("pytorch", {"batch_size": 5, "num_samples": 7}, "pytorch_num_samples"),
    ]
    for framework, arguments, code in cases:
        with pytest.raises(FrameworkError) as info:
            Schedule.from_framework(framework, 100, **arguments)
        exc = info.value
        assert exc.code == code
        assert str(exc) == f"no Schedule states what {framework} runs with these arguments: " + (
            exc.reason()
        )
        korean = exc.describe("ko")
        assert korean.startswith(f"이 인자로 {framework}에서 실행되는 학습을 나타내는 Schedule은")
        prose = re.sub(r"[\w.]+\([^)]*\)|\b\w+_\w+\b|'[\w-]+'|\bKeras\b", "", exc.reason("ko"))
        assert not re.search(r"\b(the|its|has|no|it|is|per|every)\b", prose), prose
        assert str(pickle.loads(pickle.dumps(exc))) == str(exc)
    # the same cap on a Schedule: the schedule is minigd's, Keras cannot run it
    with pytest.raises(FrameworkError, match=r"^keras cannot run this schedule exactly: "):
        Schedule(100, 5, 4, steps_per_epoch=7).to("keras")
