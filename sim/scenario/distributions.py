"""Uncertain numbers: the distributions a scenario may give instead of a number.

A scenario writes a distribution in one of two short forms::

    ic_productivity_uplift: pert(0, 0.15, 0.35)      # a string
    ic_productivity_uplift: {pert: [0, 0.15, 0.35]}  # a mapping

Kinds and their parameters, all in the unit of the field they stand for:

=============  ==========================  ======================================
kind           parameters                  meaning
=============  ==========================  ======================================
triangular     low, mode, high             three-point estimate (alias ``tri``)
pert           low, mode, high             smoother three-point estimate (beta)
normal         mean, sd                    symmetric; draws clipped to the field
lognormal      mean, sd                    of the value itself, not of its log
uniform        low, high                   anything in between equally likely
exponential    mean                        memoryless (service and delay times)
=============  ==========================  ======================================
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

#: kind -> names of its parameters, in the order a scenario writes them
KINDS: dict[str, tuple[str, ...]] = {
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sd"),
    "uniform": ("low", "high"),
    "exponential": ("mean",),
}
ALIASES = {"tri": "triangular"}
#: a lognormal's largest sd / mean: beyond it the median is under a tenth of the mean
MAX_LOGNORMAL_CV = 10

_CALL = re.compile(r"^\s*([A-Za-z_]+)\s*\((.*)\)\s*$", re.DOTALL)

#: the JSON Schema pattern of the string form, for editors
STRING_PATTERN = r"^\s*(" + "|".join([*KINDS, *ALIASES]) + r")\s*\(.*\)\s*$"


class DistributionError(ValueError):
    """A distribution written wrongly; the message is for the scenario's author."""


@dataclass(frozen=True)
class Distribution:
    """An uncertain number: a kind and its parameters (see the module docstring)."""

    kind: str
    params: tuple[float, ...]

    def __post_init__(self) -> None:
        _check_params(self.kind, self.params)

    def __str__(self) -> str:
        return f"{self.kind}({', '.join(f'{p:g}' for p in self.params)})"

    @property
    def mean(self) -> float:
        p = self.params
        if self.kind == "triangular":
            return sum(p) / 3
        if self.kind == "pert":
            return (p[0] + 4 * p[1] + p[2]) / 6
        if self.kind == "uniform":
            return (p[0] + p[1]) / 2
        return p[0]  # normal, lognormal, exponential are written by their mean

    def _frozen(self) -> Any:
        from scipy import stats  # only for quantiles: keeps the command line quick to start

        p = self.params
        if self.kind == "triangular":
            low, mode, high = p
            return stats.triang((mode - low) / (high - low), loc=low, scale=high - low)
        if self.kind == "pert":
            low, mode, high = p
            alpha = 1 + 4 * (mode - low) / (high - low)
            beta = 1 + 4 * (high - mode) / (high - low)
            return stats.beta(alpha, beta, loc=low, scale=high - low)
        if self.kind == "normal":
            return stats.norm(p[0], p[1])
        if self.kind == "lognormal":
            mu, sigma = _lognormal_log_params(*p)
            return stats.lognorm(sigma, scale=math.exp(mu))
        if self.kind == "uniform":
            return stats.uniform(p[0], p[1] - p[0])
        return stats.expon(scale=p[0])

    def quantile(self, q: float) -> float:
        """The value below which a share ``q`` of draws fall (P10 is q=0.1)."""
        if self.kind in ("normal", "lognormal") and self.params[1] == 0:
            return self.params[0]
        # extreme parameters overflow inside scipy and numpy, which warn on stderr; the
        # caller judges the (inf or nan) answer and says so in one line
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return _quantile(self.kind, self.params, q)

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take (infinite for open tails)."""
        p = self.params
        if self.kind in ("triangular", "pert"):
            return p[0], p[2]
        if self.kind == "uniform":
            return p[0], p[1]
        if self.kind == "normal":
            return (-math.inf, math.inf) if p[1] > 0 else (p[0], p[0])
        if self.kind == "lognormal":
            return (0.0, math.inf) if p[1] > 0 else (p[0], p[0])
        return 0.0, math.inf

    def sample(
        self, rng: np.random.Generator, size: int | tuple[int, ...] | None = None
    ) -> float | np.ndarray:
        """Draw from the distribution with the given generator."""
        p = self.params
        if self.kind == "triangular":
            low, mode, high = p
            return rng.triangular(low, mode, high, size)
        if self.kind == "pert":
            low, mode, high = p
            alpha = 1 + 4 * (mode - low) / (high - low)
            beta = 1 + 4 * (high - mode) / (high - low)
            return low + (high - low) * rng.beta(alpha, beta, size)
        if self.kind == "normal":
            return rng.normal(p[0], p[1], size)
        if self.kind == "lognormal":
            mu, sigma = _lognormal_log_params(*p)
            return rng.lognormal(mu, sigma, size)
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], size)
        return rng.exponential(p[0], size)


def _quantile(kind: str, p: tuple[float, ...], q: float) -> float:
    """Closed forms (and scipy.special's inverse beta) rather than a frozen scipy
    distribution: a copula maps every correlated draw through here, and building
    a frozen distribution costs milliseconds."""
    from scipy import special

    if kind == "triangular":
        low, mode, high = p
        split = (mode - low) / (high - low)
        if q <= split:
            return low + math.sqrt(q * (high - low) * (mode - low))
        return high - math.sqrt((1 - q) * (high - low) * (high - mode))
    if kind == "pert":
        low, mode, high = p
        alpha = 1 + 4 * (mode - low) / (high - low)
        beta = 1 + 4 * (high - mode) / (high - low)
        return low + (high - low) * float(special.betaincinv(alpha, beta, q))
    if kind == "normal":
        return p[0] + p[1] * float(special.ndtri(q))
    if kind == "lognormal":
        mu, sigma = _lognormal_log_params(*p)
        return math.exp(mu + sigma * float(special.ndtri(q)))
    if kind == "uniform":
        return p[0] + q * (p[1] - p[0])
    return -p[0] * math.log1p(-q) if q < 1 else math.inf


def _lognormal_log_params(mean: float, sd: float) -> tuple[float, float]:
    """Mean and sd of log(X) for a lognormal X of the given mean and sd."""
    ratio = sd / mean
    # log(1 + r^2), written so that an absurd sd does not overflow
    sigma2 = math.log1p(ratio**2) if ratio < 1e150 else 2 * math.log(ratio)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def _check_params(kind: str, params: tuple[float, ...]) -> None:
    names = KINDS[kind]
    if len(params) != len(names):
        raise DistributionError(
            f"{kind} takes {len(names)} numbers ({', '.join(names)}), got {len(params)}"
        )
    if not all(math.isfinite(p) for p in params):
        raise DistributionError(f"{kind} parameters must be finite numbers")
    if kind in ("triangular", "pert"):
        low, mode, high = params
        if not low <= mode <= high or low == high:
            raise DistributionError(
                f"{kind} needs low <= mode <= high with low < high, got {_fmt(params)}"
            )
    elif kind == "uniform" and not params[0] < params[1]:
        raise DistributionError(f"uniform needs low < high, got {_fmt(params)}")
    elif kind in ("normal", "lognormal") and params[1] < 0:
        raise DistributionError(f"{kind} needs sd >= 0, got sd {params[1]:g}")
    elif kind in ("lognormal", "exponential") and params[0] <= 0:
        raise DistributionError(f"{kind} needs mean > 0, got mean {params[0]:g}")
    elif kind == "lognormal" and params[1] > MAX_LOGNORMAL_CV * params[0]:
        raise DistributionError(
            f"lognormal sd is {params[1] / params[0]:.3g} times its mean; past "
            f"{MAX_LOGNORMAL_CV} times nearly every draw is close to 0 and the mean rests on "
            "draws too rare to happen (check the sd's exponent)"
        )


def _fmt(params: tuple[float, ...]) -> str:
    return ", ".join(f"{p:g}" for p in params)


def _kind(name: str) -> str:
    kind = ALIASES.get(name.lower(), name.lower())
    if kind not in KINDS:
        raise DistributionError(
            f"unknown distribution {name!r}; expected one of {', '.join(KINDS)}"
        )
    return kind


def _number(text: str, kind: str) -> float:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        raise DistributionError(
            f"{kind} parameters must be numbers, got {text.strip()!r}"
        ) from None


def parse(value: object) -> Distribution:
    """Read a distribution from its string or mapping form; raise DistributionError."""
    if isinstance(value, str):
        match = _CALL.match(value)
        if not match and re.match(r"^\s*[A-Za-z_]+\s*\([^)]*$", value):
            raise DistributionError(
                f"{value!r} is cut short: inside {{...}} or [...] YAML splits at commas, "
                "so quote the distribution, e.g. 'pert(1, 2, 3)'"
            )
        if not match:
            raise DistributionError(
                f"expected a number or a distribution such as pert(0, 0.15, 0.35), got {value!r}"
            )
        kind = _kind(match.group(1))
        args = [a for a in match.group(2).split(",")]
        if args == [""] or any(not a.strip() for a in args):
            raise DistributionError(f"{kind} needs {len(KINDS[kind])} comma-separated numbers")
        return Distribution(kind, tuple(_number(a, kind) for a in args))
    if isinstance(value, dict):
        if len(value) != 1:
            raise DistributionError(
                "a distribution mapping has exactly one key, the kind, e.g. {pert: [0, 0.15, 0.35]}"
            )
        ((name, args),) = value.items()
        kind = _kind(str(name))
        if not isinstance(args, list) or not all(
            isinstance(a, int | float) and not isinstance(a, bool) for a in args
        ):
            raise DistributionError(f"{kind} takes a list of numbers, e.g. {{{kind}: [...]}}")
        return Distribution(kind, tuple(float(a) for a in args))
    raise DistributionError(f"expected a number or a distribution, got {type(value).__name__}")
