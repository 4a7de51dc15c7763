"""HSDS JSON export: the document with its needs taxonomy written out in both languages."""

from __future__ import annotations

from typing import Any

from core.i18n import Catalogue, catalogue
from core.vocabulary import Language
from signposting.directory import dump_document
from signposting.hsds import Document, TaxonomyTerm
from signposting.taxonomy import GENERAL, NEEDS, TAXONOMY


def taxonomy_terms(messages: Catalogue | None = None) -> tuple[TaxonomyTerm, ...]:
    """Every need as an HSDS taxonomy term, named in English and Welsh."""
    cat = messages or catalogue()
    return tuple(
        TaxonomyTerm(
            id=code,
            code=code,
            name=cat.get(f"signposting.need_{code}", Language.EN),
            name_cy=cat.get(f"signposting.need_{code}", Language.CY),
            taxonomy=TAXONOMY,
        )
        for code in (*NEEDS, GENERAL)
    )


def export_document(document: Document, messages: Catalogue | None = None) -> dict[str, Any]:
    """The document as HSDS JSON, with the taxonomy terms it uses filled in."""
    return dump_document(document.model_copy(update={"taxonomy_terms": taxonomy_terms(messages)}))
