"""Small data sets: seeded generators and Fisher's iris, shipped in the package.

Every generator takes a ``seed`` and uses its own
``numpy.random.default_rng(seed)``: same seed, same arrays, and numpy's
global random state is never touched. Nothing is downloaded.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._validation import check_float, check_int, check_seed

__all__ = ["load_iris", "make_blobs", "make_classification", "make_regression"]

Array = NDArray[np.float64]
Labels = NDArray[np.int64]


def make_regression(
    n_samples: int = 100,
    n_features: int = 10,
    *,
    noise: float = 0.1,
    bias: float = 0.0,
    seed: int | None = 0,
) -> tuple[Array, Array]:
    """A linear-regression problem: ``y = X @ coef + bias + noise``.

    ``X`` is standard normal, ``coef`` uniform in [-1, 1] (seeded too), the
    noise normal with standard deviation ``noise``.

    Examples
    --------
    >>> X, y = make_regression(100, 3, seed=0)
    >>> X.shape, y.shape
    ((100, 3), (100,))
    >>> bool((make_regression(100, 3, seed=0)[1] == y).all())
    True
    """
    owner = "make_regression"
    n = check_int(n_samples, "n_samples", owner, min_value=1)
    d = check_int(n_features, "n_features", owner, min_value=1)
    sigma = check_float(noise, "noise", owner, low=0.0)
    b = check_float(bias, "bias", owner)
    rng = np.random.default_rng(check_seed(seed, owner))
    coef = rng.uniform(-1.0, 1.0, size=d)
    X = rng.standard_normal((n, d))
    y = X @ coef + b + sigma * rng.standard_normal(n)
    return X, y


def make_blobs(
    n_samples: int = 100,
    n_features: int = 2,
    *,
    centers: int = 3,
    cluster_std: float = 1.0,
    spread: float = 5.0,
    seed: int | None = 0,
) -> tuple[Array, Labels]:
    """Gaussian clusters around ``centers`` random centres; labels are the cluster.

    Samples are split as evenly as possible between clusters (the first
    ``n_samples % centers`` clusters get one more) and shuffled.

    Examples
    --------
    >>> X, y = make_blobs(90, centers=3, seed=1)
    >>> X.shape, np.bincount(y).tolist()
    ((90, 2), [30, 30, 30])
    """
    owner = "make_blobs"
    n = check_int(n_samples, "n_samples", owner, min_value=1)
    d = check_int(n_features, "n_features", owner, min_value=1)
    k = check_int(centers, "centers", owner, min_value=1)
    std = check_float(cluster_std, "cluster_std", owner, low=0.0)
    box = check_float(spread, "spread", owner, low=0.0)
    rng = np.random.default_rng(check_seed(seed, owner))
    middles = rng.uniform(-box, box, size=(k, d))
    y = np.sort(np.arange(n) % k).astype(np.int64)
    X = middles[y] + std * rng.standard_normal((n, d))
    order = rng.permutation(n)
    return X[order], y[order]


def make_classification(
    n_samples: int = 100,
    n_features: int = 2,
    *,
    n_classes: int = 2,
    class_sep: float = 1.0,
    seed: int | None = 0,
) -> tuple[Array, Labels]:
    """A classification problem: unit-variance clusters ``2 * class_sep`` apart.

    Class centres sit at ``±class_sep`` on the corners of a hypercube (as in
    scikit-learn's generator, one cluster per class), so larger
    ``class_sep`` makes the classes easier to separate.

    Examples
    --------
    >>> X, y = make_classification(200, 4, n_classes=3, seed=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((200, 4), [0, 1, 2])
    """
    owner = "make_classification"
    n = check_int(n_samples, "n_samples", owner, min_value=1)
    d = check_int(n_features, "n_features", owner, min_value=1)
    c = check_int(n_classes, "n_classes", owner, min_value=2)
    if c > 2**d:
        raise ValueError(
            f"The 'n_classes' parameter of make_classification must be <= 2**n_features = "
            f"{2**d} (one hypercube corner per class). Got {c} instead."
        )
    sep = check_float(class_sep, "class_sep", owner, low=0.0)
    rng = np.random.default_rng(check_seed(seed, owner))
    if d < 63:
        corners = rng.choice(2**d, size=c, replace=False)
        bits = (corners[:, None] >> np.arange(d)) & 1
    else:  # 2**d is past int64: draw each corner's bits, again until they are distinct
        bits = rng.integers(0, 2, size=(c, d))
        while len(np.unique(bits, axis=0)) < c:
            bits = rng.integers(0, 2, size=(c, d))
    middles = (2.0 * bits - 1.0) * sep
    y = np.sort(np.arange(n) % c).astype(np.int64)
    X = middles[y] + rng.standard_normal((n, d))
    order = rng.permutation(n)
    return X[order], y[order]


def load_iris() -> tuple[Array, Labels]:
    """Fisher's iris data: 150 flowers, 4 measurements (cm), 3 species.

    Columns: sepal length, sepal width, petal length, petal width. Labels:
    0 setosa, 1 versicolor, 2 virginica (50 each). Source: R. A. Fisher
    (1936), "The use of multiple measurements in taxonomic problems", Annals
    of Eugenics 7(2), 179-188; the values of R's ``datasets::iris``. Public
    domain. Read from a CSV file inside the package: no download.

    Examples
    --------
    >>> X, y = load_iris()
    >>> X.shape, np.bincount(y).tolist(), X[0].tolist()
    ((150, 4), [50, 50, 50], [5.1, 3.5, 1.4, 0.2])
    """
    from importlib import resources  # lazily: it costs more to import than minigd

    text = resources.files("minigd").joinpath("data/iris.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()[3:] if line.strip()]
    X = np.array([[float(v) for v in row[:4]] for row in rows])
    y = np.array([int(row[4]) for row in rows], dtype=np.int64)
    return X, y
