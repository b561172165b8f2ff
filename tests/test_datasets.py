"""Data: seeded generators and the shipped iris file."""

from __future__ import annotations

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
