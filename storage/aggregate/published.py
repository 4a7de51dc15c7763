"""What callers get back: tables whose every cell says a figure or a symbol, nothing else."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, model_validator

from storage.aggregate.model import SCHOOL, Dims, Policy, Unit
from storage.aggregate.symbols import Language, Symbol, symbol_label


class Figure(BaseModel):
    """A published number, or the symbol shown in its place."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: int | Decimal | None = None
    symbol: Symbol | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Figure:
        if (self.value is None) == (self.symbol is None):
            raise ValueError("a figure has either a value or a symbol")
        return self

    @property
    def shown(self) -> bool:
        """True when the figure is a number."""
        return self.value is not None

    def text(self) -> str:
        """The figure as printed in a table, CSV or report (the same in Welsh and English)."""
        return str(self.value) if self.symbol is None else self.symbol.value


class PublishedCell(BaseModel):
    """One cell: ``key`` names the levels it fixes (a dimension not named is "all")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: dict[str, str]
    count: Figure
    means: dict[str, Figure] = {}
    percent: Figure | None = None

    def figures(self) -> list[Figure]:
        """Every figure of the cell."""
        return [self.count, *self.means.values(), *([self.percent] if self.percent else [])]


class PublishedTable(BaseModel):
    """A breakdown with all its margins: a cell for every key over every subset of ``dims``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dims: Dims
    cells: tuple[PublishedCell, ...]

    def cell(self, **levels: str) -> PublishedCell:
        """The cell fixing exactly ``levels`` (``cell()`` is the grand total)."""
        for cell in self.cells:
            if cell.key == levels:
                return cell
        raise KeyError(f"no cell {levels} in table {self.dims}")

    def margin(self, *dims: str) -> tuple[PublishedCell, ...]:
        """The cells fixing exactly ``dims`` (e.g. ``margin("school")`` for the school rows)."""
        wanted = set(dims)
        return tuple(cell for cell in self.cells if set(cell.key) == wanted)


class Publication(BaseModel):
    """Every table of one measure for one period, made safe together."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: str
    unit: Unit
    values: tuple[str, ...]
    category: str | None
    policy: Policy
    tables: tuple[PublishedTable, ...]

    def table(self, *dims: str) -> PublishedTable:
        """The table with exactly these dimensions, in any order."""
        for table in self.tables:
            if set(table.dims) == set(dims) and len(table.dims) == len(dims):
                return table
        raise KeyError(f"no table {dims} in {self.measure}")

    def for_school(self, school: str) -> Publication:
        """A school lead's view: the school's own cells and the authority-wide ones only."""
        tables = tuple(
            PublishedTable(
                dims=table.dims,
                cells=tuple(cell for cell in table.cells if cell.key.get(SCHOOL, school) == school),
            )
            for table in self.tables
        )
        return self.model_copy(update={"tables": tables})

    def symbols(self) -> tuple[Symbol, ...]:
        """The symbols that appear, in the legend's order."""
        used = {
            figure.symbol
            for table in self.tables
            for cell in table.cells
            for figure in cell.figures()
            if figure.symbol is not None
        }
        return tuple(symbol for symbol in Symbol if symbol in used)

    def legend(self, language: Language) -> list[tuple[str, str]]:
        """(symbol, explanation) for every symbol that appears: a table's notes, a CSV footer."""
        return [
            (
                symbol.value,
                symbol_label(
                    symbol,
                    language,
                    k=self.policy.k,
                    min_schools=self.policy.min_schools,
                    min_base=self.policy.min_percentage_base,
                ),
            )
            for symbol in self.symbols()
        ]
