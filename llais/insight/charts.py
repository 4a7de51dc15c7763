"""Charts as accessible SVG: Altair builds a Vega-Lite spec, vl-convert renders it on the server.

A chart draws only figures that are shown (a withheld figure is left out, never drawn as zero),
takes them from the published cells (the same ``Figure`` the table beside it prints), and has a
title and a description. Colours are GOV.UK Frontend's, each at least 4.5:1 against white.
"""

from __future__ import annotations

import re
from html import escape

import altair as alt
import vl_convert as vlc

from core.vocabulary import Language
from llais.insight.labels import level_label, text
from storage.aggregate import Publication

COLOURS = ("#1d70b8", "#00703c", "#4c2c92", "#6f3800", "#942514", "#505a5f")
TEXT_COLOUR = "#0b0c0c"


def _accessible(svg: str, title: str, description: str, ident: str) -> str:
    """Give the SVG a role, a title and a description that screen readers announce."""
    head = f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" focusable="false"'
    # The chart is one image with our title and description: drop the renderer's own roles
    # and labels on its parts, which would otherwise each need an accessible name.
    svg = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", svg.strip())
    svg = re.sub(r"^<svg", head, svg, count=1)
    return re.sub(
        r"(<svg[^>]*>)",
        rf'\1<title id="{ident}-title">{escape(title)}</title>'
        rf'<desc id="{ident}-desc">{escape(description)}</desc>',
        svg,
        count=1,
    )


def bar_chart(
    publication: Publication,
    table_dims: tuple[str, ...],
    dim: str,
    language: Language,
    *,
    title: str,
    description: str,
    ident: str,
    fixed: dict[str, str] | None = None,
    school_names: dict[str, str] | None = None,
    value: str | None = None,
    authority_label: str | None = None,
) -> str:
    """Bars over ``dim`` from the published table ``table_dims``: the share of each category
    level (stacked) or the mean ``value``, for cells matching ``fixed`` (e.g. one school).

    With ``authority_label``, a bar for the cell without ``dim`` (the authority) comes first.
    """
    category = publication.category
    table = publication.table(*table_dims)
    levels = publication_levels(publication)
    wanted = {dim, *(fixed or {})}
    data: list[dict[str, object]] = []
    for cell in table.cells:
        key = dict(cell.key)
        has_category = category is not None and category in key
        if category is not None and has_category:
            del key[category]
        if any(key.get(d) != v for d, v in (fixed or {}).items() if d != dim):
            continue
        if set(key) == wanted:
            label = level_label(dim, key[dim], language, school_names)
        elif authority_label and set(key) == wanted - {dim}:
            label = authority_label
        else:
            continue
        row: dict[str, object] = {"label": label}
        if value is not None:
            if has_category:
                continue
            figure = cell.means[value]
        elif category is not None:
            if not has_category or cell.percent is None:
                continue
            figure = cell.percent
            row["part"] = level_label(category, cell.key[category], language)
            row["rank"] = levels.index(cell.key[category])
        else:
            figure = cell.count
        if not figure.shown:
            continue
        row["figure"] = float(figure.value or 0)
        data.append(row)
    axis_title = (
        text(f"v_{value}", language)
        if value
        else text("col_percent", language)
        if category
        else text("col_count_people", language)
    )
    source = alt.Data(values=data)  # type: ignore[no-untyped-call]
    base = alt.Chart(source, title=title).properties(width=420)
    y = alt.Y("label:N", title=text(f"d_{dim}", language), sort=None)
    if value is None and category is not None:
        order = [level_label(category, lvl, language) for lvl in levels]
        chart = base.mark_bar().encode(
            y=y,
            x=alt.X("figure:Q", title=axis_title, stack="zero"),
            color=alt.Color(
                "part:N",
                title=text(f"d_{category}", language),
                scale=alt.Scale(domain=order, range=list(COLOURS[: len(order)])),
                sort=order,
            ),
            order=alt.Order("rank:Q"),
        )
    else:
        chart = base.mark_bar(color=COLOURS[0]).encode(y=y, x=alt.X("figure:Q", title=axis_title))
    chart = (
        chart.configure(aria=False)  # one accessible name for the whole chart: ours
        .configure_axis(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
        .configure_title(color=TEXT_COLOUR)
        .configure_legend(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
    )
    svg = vlc.vegalite_to_svg(chart.to_dict())
    return _accessible(svg, title, description, ident)


def publication_levels(publication: Publication) -> list[str]:
    """The category's levels in the order the cells carry them."""
    category = publication.category
    seen: dict[str, None] = {}
    for table in publication.tables:
        for cell in table.cells:
            if category in cell.key:
                seen.setdefault(cell.key[category], None)
    return list(seen)
