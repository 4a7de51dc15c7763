"""Signposting: the services directory (Open Referral UK / HSDS 3 shape) and matching.

Load the directory once at start-up with :func:`load_directory`, then match in memory with
:func:`match` (for a person's needs) or :func:`crisis_contacts` (for a safeguarding reply), and
write the result out with :func:`format_contacts`.
"""

from signposting.contacts import (
    NewSchoolContact,
    SchoolContactInfo,
    add_school_contact,
    list_school_contacts,
    remove_school_contact,
)
from signposting.crisis import bilingual_block, crisis_contacts, format_contacts
from signposting.directory import SEED_PATH, Directory, load_seed, read_document
from signposting.errors import DirectoryError, SignpostInputError
from signposting.hsds import Document, Service
from signposting.matching import Match, match
from signposting.store import load_directory, save_document
from signposting.taxonomy import NEEDS, SAFEGUARDING_NEEDS, Audience
from signposting.wellbeing import FiveWays, five_ways

__all__ = [
    "NEEDS",
    "SAFEGUARDING_NEEDS",
    "SEED_PATH",
    "Audience",
    "Directory",
    "DirectoryError",
    "Document",
    "FiveWays",
    "Match",
    "NewSchoolContact",
    "SchoolContactInfo",
    "Service",
    "SignpostInputError",
    "add_school_contact",
    "bilingual_block",
    "crisis_contacts",
    "five_ways",
    "format_contacts",
    "list_school_contacts",
    "load_directory",
    "load_seed",
    "match",
    "read_document",
    "remove_school_contact",
    "save_document",
]
