"""Rank correlation between uncertain inputs: what makes a matrix valid, and its nearest valid one.

A scenario may say that some uncertain inputs move together (AI uplift and
adoption; survivors' extra attrition and their productivity dip) with a matrix
of rank (Spearman) correlations. The draws follow a Gaussian copula, which keeps
every input's own distribution: correlated standard normals are mapped through
the normal CDF to uniforms, then through each input's quantile function.

For a Gaussian copula the rank correlation ``rho_s`` of two inputs and the
correlation ``r`` of their normals are tied by ``rho_s = (6 / pi) asin(r / 2)``,
so the normals get ``r = 2 sin(pi rho_s / 6)`` (a shift of at most 0.018).

A matrix is a valid correlation matrix when it is symmetric, has 1 on its
diagonal, entries in [-1, 1], and no negative eigenvalue (positive
semidefinite): a matrix that asks A and B to move together, B and C too, but A
and C apart has no set of inputs behind it. Its nearest valid matrix (in the
Frobenius norm, diagonal kept at 1) is found by Higham's alternating
projections (Higham, "Computing the nearest correlation matrix", IMA J. Numer.
Anal. 22, 2002).
"""

from __future__ import annotations

import math

import numpy as np

#: an eigenvalue above this counts as zero, not negative (rounding in a matrix typed to 2 places)
EIGEN_TOLERANCE = 1e-9
#: added to the diagonal before the Cholesky factor, so perfect correlations (+-1) factor too
JITTER = 1e-10
HIGHAM_ITERATIONS = 500
HIGHAM_TOLERANCE = 1e-10


def normal_correlation(rank: np.ndarray) -> np.ndarray:
    """The correlation of the copula's normals that gives these rank correlations."""
    return 2.0 * np.sin(np.pi * np.asarray(rank, dtype=float) / 6.0)


def smallest_eigenvalue(matrix: np.ndarray) -> float:
    return float(np.linalg.eigvalsh(np.asarray(matrix, dtype=float)).min())


def nearest_correlation(matrix: np.ndarray) -> np.ndarray:
    """Higham's nearest correlation matrix to a symmetric matrix with unit diagonal."""
    a = np.asarray(matrix, dtype=float)
    y = a.copy()
    correction = np.zeros_like(a)
    for _ in range(HIGHAM_ITERATIONS):
        r = y - correction
        x = _psd_part(r)
        correction = x - r
        previous = y
        y = x.copy()
        np.fill_diagonal(y, 1.0)
        if np.linalg.norm(y - previous) <= HIGHAM_TOLERANCE * np.linalg.norm(y):
            break
    return (y + y.T) / 2


def _psd_part(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.maximum(values, 0.0)) @ vectors.T


def copula_factor(rank: np.ndarray) -> np.ndarray:
    """A lower-triangular L with L L' the normals' correlation for these rank correlations.

    The rank matrix was checked valid when the scenario was loaded; the sine
    transform can leave it a hair short of semidefinite, and then its nearest
    correlation matrix is used.
    """
    normal = normal_correlation(rank)
    if smallest_eigenvalue(normal) < EIGEN_TOLERANCE:
        normal = nearest_correlation(normal)
    size = len(normal)
    return np.linalg.cholesky((normal + JITTER * np.eye(size)) / (1 + JITTER))


def standard_normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def matrix_problem(matrix: np.ndarray) -> tuple[tuple[int, ...], str] | None:
    """What makes a square matrix of numbers in [-1, 1] no correlation matrix: the
    entry at fault (row, column; empty for the whole matrix) and why; None if valid."""
    m = np.asarray(matrix, dtype=float)
    for i in range(len(m)):
        if m[i, i] != 1.0:
            return (i, i), f"the diagonal must be 1 (an input moves with itself), got {m[i, i]:g}"
    for i in range(len(m)):
        for j in range(i + 1, len(m)):
            if m[i, j] != m[j, i]:
                return (j, i), (
                    f"the matrix must be symmetric: row {i + 1} column {j + 1} is {m[i, j]:g} "
                    f"but row {j + 1} column {i + 1} is {m[j, i]:g}"
                )
    low = smallest_eigenvalue(m)
    if low < -EIGEN_TOLERANCE:
        nearest = _valid_when_rounded(nearest_correlation(m))
        return (), (
            f"not a valid correlation matrix: these correlations cannot hold together "
            f"(not positive semidefinite, smallest eigenvalue {low:.3g}); "
            f"the nearest valid one (Higham) is {matrix_text(nearest)}"
        )
    return None


def _valid_when_rounded(matrix: np.ndarray) -> np.ndarray:
    """The matrix at two decimals, its correlations shrunk a little if rounding broke it."""
    for shrink in np.linspace(1.0, 0.9, 21):
        rounded = np.round(matrix * shrink, 2)
        np.fill_diagonal(rounded, 1.0)
        if smallest_eigenvalue(rounded) >= -EIGEN_TOLERANCE:
            return rounded
    return np.round(matrix, 2)


def matrix_text(matrix: np.ndarray) -> str:
    """A matrix as YAML flow text, two decimals: ``[[1, 0.62], [0.62, 1]]``."""
    rows = ["[" + ", ".join(_entry(v) for v in row) + "]" for row in np.asarray(matrix)]
    return "[" + ", ".join(rows) + "]"


def _entry(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
