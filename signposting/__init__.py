"""Signposting: the services directory (Open Referral UK / HSDS 3 shape) and matching.

Pure: it reads its own data files but no database. The application loads the directory once at
start-up (the newest import, parsed by :func:`parse_document`, else :func:`load_seed`), then
matches in memory with :func:`match` (for a person's needs) or :func:`crisis_contacts` (for a
safeguarding reply), and writes the result out with :func:`format_contacts`.
"""

from signposting.contacts import NewSchoolContact, SchoolContactInfo, school_contact_info
from signposting.crisis import bilingual_block, crisis_contacts, format_contacts
from signposting.directory import SEED_PATH, Directory, load_seed, read_document
from signposting.errors import DirectoryError, SignpostInputError
from signposting.hsds import Document, Service
from signposting.matching import Match, match
from signposting.taxonomy import NEEDS, SAFEGUARDING_NEEDS, Audience
from signposting.validation import parse_document
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
    "bilingual_block",
    "crisis_contacts",
    "five_ways",
    "format_contacts",
    "load_seed",
    "match",
    "parse_document",
    "read_document",
    "school_contact_info",
]
