"""Tables as rows of text, and CSV files with the symbols explained in Welsh and English.

Every figure is ``Figure.text()`` of a published cell: a rounded count, a mean, a share or a
symbol. Nothing here computes a figure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from core.vocabulary import Language
from llais.insight.labels import count_header, lang_code, level_label, text
from storage.aggregate import LANGUAGES, SCHOOL, Period, Publication, period_label


@dataclass(frozen=True, slots=True)
class TextTable:
    """A published table as header and rows of strings (the canonical table of a page)."""

    header: list[str]
    rows: list[list[str]]
    keys: list[dict[str, str]]  # each row's cell key, for charts and tests


def text_table(
    publication: Publication,
    dims: tuple[str, ...],
    language: Language,
    school_names: Mapping[str, str] | None = None,
) -> TextTable:
    """Every cell of one published table with its margins, as text."""
    table = publication.table(*dims)
    header = [text(f"d_{dim}", language) for dim in table.dims]
    header.append(count_header(publication.unit, language, publication.measure))
    header.extend(text(f"v_{name}", language) for name in publication.values)
    if publication.category is not None:
        header.append(text("col_percent", language))
    rows, keys = [], []
    for cell in table.cells:
        row = [
            level_label(dim, cell.key[dim], language, school_names)
            if dim in cell.key
            else text("authority" if dim == SCHOOL else "all", language)
            for dim in table.dims
        ]
        row.append(cell.count.text())
        row.extend(cell.means[name].text() for name in publication.values)
        if publication.category is not None:
            row.append(cell.percent.text() if cell.percent is not None else "")
        rows.append(row)
        keys.append(dict(cell.key))
    return TextTable(header, rows, keys)


def to_csv(
    publication: Publication,
    dims: tuple[str, ...],
    period: Period,
    language: Language,
    school_names: Mapping[str, str] | None = None,
) -> str:
    """A CSV of one table: a title line, the table, then every symbol explained in both
    languages and the rounding rule."""
    table = text_table(publication, dims, language, school_names)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            text(f"m_{publication.measure}", language),
            period_label(period, lang_code(language)),
            period.id,
        ]
    )
    writer.writerow(table.header)
    writer.writerows(table.rows)
    writer.writerow([])
    for other in (lang_code(language), *(c for c in LANGUAGES if c != lang_code(language))):
        lang = Language(other)
        writer.writerow([text("legend", lang)])
        for symbol, label in publication.legend(other):
            writer.writerow([symbol, label])
        writer.writerow([text("rule", lang, k=publication.policy.k)])
    return out.getvalue()
