"""The scenario's ``correlations``: uncertain inputs that move together."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr, model_validator

from sim.scenario.schema.base import Model

RankCorrelation = Annotated[float, Field(ge=-1, le=1, strict=True)]


class Correlation(Model):
    """Uncertain inputs that move together, by the rank correlation of their draws."""

    inputs: tuple[StrictStr, ...] = Field(
        min_length=2,
        description=(
            "Field paths of uncertain inputs (each a distribution in this file), "
            "e.g. ai.programs[0].adoption.ceiling"
        ),
    )
    matrix: tuple[tuple[RankCorrelation, ...], ...] = Field(
        description=(
            "Rank (Spearman) correlations, a row and a column per input in the order of "
            "inputs: symmetric, 1 on the diagonal, positive semidefinite"
        )
    )

    @model_validator(mode="after")
    def _square(self) -> Correlation:
        size = len(self.inputs)
        if len(self.matrix) != size or any(len(row) != size for row in self.matrix):
            shape = f"{len(self.matrix)} rows of {sorted({len(r) for r in self.matrix})} entries"
            raise ValueError(f"matrix must be {size} x {size}, one row per input; got {shape}")
        return self

    def without(self, path: str) -> Correlation | None:
        """The group without one input (fixed to a number); None if fewer than two remain."""
        keep = [i for i, name in enumerate(self.inputs) if name != path]
        if len(keep) < 2:
            return None
        return Correlation(
            inputs=tuple(self.inputs[i] for i in keep),
            matrix=tuple(tuple(self.matrix[i][j] for j in keep) for i in keep),
        )
