"""The one call every page, export and report makes: raw rows in, publishable tables out."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from storage.aggregate.cells import CellStats, Key, build_cells
from storage.aggregate.model import Policy, Row, Spec
from storage.aggregate.published import Figure, Publication, PublishedCell, PublishedTable
from storage.aggregate.relations import build_relations
from storage.aggregate.suppression import Plan, Reason, primary, protect
from storage.aggregate.symbols import Symbol

log = logging.getLogger(__name__)

P = TypeVar("P")


def plan(rows: Iterable[Row], spec: Spec, policy: Policy) -> Plan:
    """Compute the cells and relations of ``spec`` from ``rows`` and choose every withheld cell."""
    cells = build_cells(rows, spec)
    return protect(primary(cells, build_relations(spec, cells), policy))


def publish(rows: Iterable[Row], spec: Spec, policy: Policy | None = None) -> Publication:
    """Make every table of ``spec`` safe to publish for the one period the rows come from."""
    started = time.perf_counter()
    chosen = plan(rows, spec, policy or Policy())
    publication = render(chosen, spec)
    log.info(
        "published %s: %d cells, %d withheld, %d audit rounds, %.0f ms",
        spec.measure,
        len(chosen.cells),
        len(chosen.reasons),
        chosen.audits,
        (time.perf_counter() - started) * 1000,
    )
    return publication


def publish_series(
    rows_by_period: Mapping[P, Iterable[Row]], spec: Spec, policy: Policy | None = None
) -> dict[P, Publication]:
    """A trend: the rule applied to each period on its own, in the order given."""
    return {period: publish(rows, spec, policy) for period, rows in rows_by_period.items()}


def round_count(n: int, base: int) -> int:
    """Round to the nearest multiple of ``base``, halves upwards (0 stays 0)."""
    return (n + base // 2) // base * base


def _quantise(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _symbol(reason: Reason) -> Symbol:
    if Reason.FEW_PEOPLE in reason:
        return Symbol.CONFIDENTIAL
    if Reason.FEW_SCHOOLS in reason:
        return Symbol.FEW_SCHOOLS
    return Symbol.CONFIDENTIAL


def _percent(plan: Plan, spec: Spec, cell: CellStats) -> Figure | None:
    if spec.category is None or spec.category not in cell.dims:
        return None
    base_key: Key = tuple(pair for pair in cell.key if pair[0] != spec.category)
    for key in (cell.key, base_key):
        if plan.withheld(key):
            return Figure(symbol=_symbol(plan.reasons[key]))
    base = plan.cells[base_key]
    if base.n < plan.policy.min_percentage_base:
        return Figure(symbol=Symbol.SMALL_BASE)
    share = Decimal(100 * cell.n) / Decimal(base.n)
    return Figure(value=_quantise(share, plan.policy.percent_decimals))


def _cell(plan: Plan, spec: Spec, cell: CellStats) -> PublishedCell:
    policy = plan.policy
    if plan.withheld(cell.key):
        hidden = Figure(symbol=_symbol(plan.reasons[cell.key]))
        count, means = hidden, dict.fromkeys(spec.values, hidden)
    else:
        count = Figure(value=round_count(cell.n, policy.rounding_base))
        means = {
            name: Figure(value=_quantise(Decimal(repr(total / cell.n)), policy.mean_decimals))
            for name, total in zip(spec.values, cell.totals, strict=True)
            if name not in spec.medians
        }
        for name, (median, given) in zip(spec.medians, cell.medians, strict=True):
            # a median from fewer than k records (or people) is withheld like a small cell's mean
            means[name] = (
                Figure(symbol=Symbol.CONFIDENTIAL)
                if median is None or given < policy.k
                else Figure(value=_quantise(Decimal(repr(median)), policy.mean_decimals))
            )
        means = {name: means[name] for name in spec.values}
    return PublishedCell(
        key=dict(cell.key), count=count, means=means, percent=_percent(plan, spec, cell)
    )


def render(plan: Plan, spec: Spec) -> Publication:
    """Turn a plan into published tables: rounded counts, means and shares, or symbols."""
    published = {key: _cell(plan, spec, cell) for key, cell in plan.cells.items()}
    tables = []
    for table in spec.tables:
        dims = set(table)
        cells = tuple(published[key] for key in plan.cells if {d for d, _ in key} <= dims)
        tables.append(PublishedTable(dims=table, cells=cells))
    return Publication(
        measure=spec.measure,
        unit=spec.unit,
        values=spec.values,
        category=spec.category,
        policy=plan.policy,
        tables=tuple(tables),
    )
