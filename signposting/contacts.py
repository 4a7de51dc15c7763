"""Per-school contacts (DSL, wellbeing lead, counsellor, ELSA): what a school gives, and what the
matcher and the CLI see. Storage keeps the rows; the application hands them over."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from core.i18n import Text
from core.vocabulary import ContactRole


class SchoolContactInfo(BaseModel):
    """A school contact as the matcher and the CLI see it; Welsh falls back to the given text."""

    model_config = ConfigDict(frozen=True)

    id: int
    school_id: int
    role: ContactRole
    label: Text
    how_to_reach: Text
    when: Text | None = None


def _text(en: str, cy: str | None) -> Text:
    return Text(cy=cy or en, en=en)


def school_contact_info(
    *,
    id: int,
    school_id: int,
    role: str,
    label: str,
    label_cy: str | None,
    how_to_reach: str,
    how_to_reach_cy: str | None,
    when: str | None,
    when_cy: str | None,
) -> SchoolContactInfo:
    """A stored contact's fields as the matcher sees them (the role is checked again)."""
    return SchoolContactInfo(
        id=id,
        school_id=school_id,
        role=ContactRole(role),
        label=_text(label, label_cy),
        how_to_reach=_text(how_to_reach, how_to_reach_cy),
        when=_text(when, when_cy) if when else None,
    )


class NewSchoolContact(BaseModel):
    """What a school gives to add a contact."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    school_id: int
    role: ContactRole
    label: str = Field(min_length=1, max_length=200)
    label_cy: str | None = Field(default=None, min_length=1, max_length=200)
    how_to_reach: str = Field(min_length=1, max_length=500)
    how_to_reach_cy: str | None = Field(default=None, min_length=1, max_length=500)
    when: str | None = Field(default=None, min_length=1)
    when_cy: str | None = Field(default=None, min_length=1)
