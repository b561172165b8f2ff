"""Data: seeded generators and the shipped iris file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from minigd import datasets


@pytest.mark.parametrize(
    "make", [datasets.make_regression, datasets.make_classification, datasets.make_blobs]
)
def test_seeded_and_independent_of_global_state(make: object) -> None:
    a = make(50, 3, seed=7)  # type: ignore[operator]
    np.random.seed(1)  # noqa: NPY002
    b = make(50, 3, seed=7)  # type: ignore[operator]
    c = make(50, 3, seed=8)  # type: ignore[operator]
    assert all((x == y).all() for x, y in zip(a, b, strict=True))
    assert not (a[0] == c[0]).all()
    assert a[0].shape == (50, 3) and a[1].shape == (50,)  # noqa: PT018


def test_regression_is_linear_plus_noise() -> None:
    X, y = datasets.make_regression(2000, 4, noise=0.0, bias=1.5, seed=0)
    A = np.column_stack([X, np.ones(len(X))])
    coef, res, *_ = np.linalg.lstsq(A, y, rcond=None)
    assert coef[-1] == pytest.approx(1.5)
    assert res.size == 0 or res[0] < 1e-18


def test_classification_labels_and_separation() -> None:
    X, y = datasets.make_classification(400, 2, n_classes=4, class_sep=3.0, seed=0)
    assert np.bincount(y).tolist() == [100] * 4
    centres = np.array([X[y == k].mean(axis=0) for k in range(4)])
    assert np.all(np.abs(np.abs(centres) - 3.0) < 0.3)
    with pytest.raises(ValueError, match=r"'n_classes' .* <= 2\*\*n_features = 4"):
        datasets.make_classification(10, 2, n_classes=5)


def test_iris_is_fishers_data() -> None:
    X, y = datasets.load_iris()
    assert X.shape == (150, 4)
    assert np.bincount(y).tolist() == [50, 50, 50]
    # Fisher's table: column means 5.843, 3.057, 3.758, 1.199
    np.testing.assert_allclose(X.mean(axis=0), [5.8433, 3.0573, 3.758, 1.1993], atol=1e-4)
    assert X[-1].tolist() == [5.9, 3.0, 5.1, 1.8]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: datasets.make_regression(0), ValueError),
        (lambda: datasets.make_regression(10, noise=-1.0), ValueError),
        (lambda: datasets.make_blobs(10, centers=0), ValueError),
        (lambda: datasets.make_blobs(10, seed=-3), ValueError),
        (lambda: datasets.make_regression(10.0), TypeError),
    ],
)
def test_errors(call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]


def _gib(n_values: int) -> str:
    """The memory of ``n_values`` float64 values, in the unit a message uses, by hand."""
    n_bytes = 8 * n_values
    unit = max(p for p in range(5) if n_bytes >= 1024**p)
    return f"{n_bytes / 1024**unit:.3g} {['bytes', 'KiB', 'MiB', 'GiB', 'TiB'][unit]}"


# (call, values X, y and the centres hold: n * (d + 1) + k * d, the parameters named)
HUGE = [
    ("make_regression(n_samples=10**12)", 10**12 * 11, "n_samples=1e12, n_features=10"),
    ("make_regression(10, n_features=10**9)", 10 * (10**9 + 1), "n_features=1e9"),
    ("make_regression(2**26 + 1, 1)", (2**26 + 1) * 2, "n_samples=6.71e7"),  # 1 GiB + 16 bytes
    ("make_blobs(10**9)", 10**9 * 3 + 3 * 2, "n_samples=1e9, n_features=2, centers=3"),
    ("make_blobs(10, centers=10**9)", 10 * 3 + 10**9 * 2, "centers=1e9"),
    ("make_classification(10**12)", 10**12 * 3 + 2 * 2, "n_samples=1e12"),
    ("make_classification(10, 10**12)", 10 * (10**12 + 1) + 2 * 10**12, "n_features=1e12"),
]


def test_arrays_past_one_gib_are_refused_before_drawing() -> None:
    # numpy's MemoryError came after a try; 2**n_features of n_features=10**12 did not end
    from .test_checkpoint import bounded

    done = bounded(
        f"""
        import json
        from minigd.datasets import make_blobs, make_classification, make_regression
        out = []
        for call in [{", ".join(f"lambda: {call}" for call, _, _ in HUGE)}]:
            try:
                call()
                out.append(["ok", ""])
            except Exception as exc:
                out.append([type(exc).__name__, str(exc)])
        print(json.dumps(out))
        """,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    for (call, values, named), (kind, text) in zip(HUGE, json.loads(done.stdout), strict=True):
        assert kind == "ValueError", (call, kind, text)
        assert text.startswith(call.split("(")[0] + " would hold"), text
        assert f"8 bytes each, {_gib(values)})" in text, (call, text)
        assert "more than the 1 GiB limit" in text, text
        assert named in text, text
