"""Small data sets: seeded generators and Fisher's iris, shipped in the package.

Every generator takes a ``seed`` and uses its own
``numpy.random.default_rng(seed)``: same seed, same arrays, and numpy's
global random state is never touched. Nothing is downloaded. A call whose
arrays would pass the 1 GiB a call may allocate is refused before drawing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._validation import SEED, Interval, Rule, check_memory, magnitude, validate_params

__all__ = ["load_iris", "make_blobs", "make_classification", "make_regression"]

Array = NDArray[np.float64]
Labels = NDArray[np.int64]

_COUNT = [Interval(int, 1, None)]  # n_samples, n_features, centers
_SPREAD = [Interval(float, 0.0, None)]  # noise, cluster_std, spread, class_sep
_CONSTRAINTS: dict[str, list[Any]] = {
    "n_samples": _COUNT,
    "n_features": _COUNT,
    "noise": _SPREAD,
    "bias": [Interval(float, None, None)],
    "centers": _COUNT,
    "cluster_std": _SPREAD,
    "spread": _SPREAD,
    "n_classes": [Interval(int, 2, None)],
    "class_sep": _SPREAD,
    "seed": [SEED],
}
_CLASSIFICATION_RULES = [
    Rule(
        "n_classes", "<=", lambda a: 2 ** a["n_features"],
        "be <= 2**n_features = {limit} (one hypercube corner per class)",
        # only then: 2**n_features of n_features=10**12 would take 125 GB to write down
        when=lambda a: a["n_classes"].bit_length() > a["n_features"],
    ),
]  # fmt: skip


def _check_size(owner: str, n: int, d: int, centres: tuple[str, int] | None = None) -> None:
    """Refuse, before drawing, ``X`` (``n`` by ``d``), ``y`` and the centres past 1 GiB.

    ``centres`` names the parameter that counts them and its value.
    """
    count = n * (d + 1)
    formula = "n_samples * (n_features + 1)"
    values = f"n_samples={magnitude(n)}, n_features={magnitude(d)}"
    if centres is not None:
        name, k = centres
        count += k * d
        formula += f" + {name} * n_features"
        values += f", {name}={magnitude(k)}"
    what = "values in X and y" if centres is None else "values in X, y and the centres"
    hint = f"They are {formula} with {values}: lower one of them."
    check_memory(count, 8, what, owner, hint)


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
    a = validate_params(
        "make_regression", _CONSTRAINTS,
        {"n_samples": n_samples, "n_features": n_features, "noise": noise, "bias": bias,
         "seed": seed},
    )  # fmt: skip
    n, d, sigma, b = a["n_samples"], a["n_features"], a["noise"], a["bias"]
    _check_size("make_regression", n, d)
    rng = np.random.default_rng(a["seed"])
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
    a = validate_params(
        "make_blobs", _CONSTRAINTS,
        {"n_samples": n_samples, "n_features": n_features, "centers": centers,
         "cluster_std": cluster_std, "spread": spread, "seed": seed},
    )  # fmt: skip
    n, d, k = a["n_samples"], a["n_features"], a["centers"]
    std, box = a["cluster_std"], a["spread"]
    _check_size("make_blobs", n, d, ("centers", k))
    rng = np.random.default_rng(a["seed"])
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
    a = validate_params(
        "make_classification", _CONSTRAINTS,
        {"n_samples": n_samples, "n_features": n_features, "n_classes": n_classes,
         "class_sep": class_sep, "seed": seed},
        _CLASSIFICATION_RULES,
    )  # fmt: skip
    n, d, c, sep = a["n_samples"], a["n_features"], a["n_classes"], a["class_sep"]
    _check_size("make_classification", n, d, ("n_classes", c))
    rng = np.random.default_rng(a["seed"])
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
