"""The hand-written v2 safeguarding data: shape, labels, balance, and no leaks or near-copies.

Files (nlu/safeguarding/data/): ``training_v2.csv`` and ``calibration.csv`` (header
``level,category,about_other,text``) and ``context_training.jsonl`` (one conversation a line).

Texts are compared by their matching form (``normalise``); two texts are near-copies when the
Jaccard similarity of their character 4-grams is at least ``NEAR``. Rows of the older
``training.csv`` take part in the cross-file check (a new row must not copy one), but pairs inside
``training.csv`` are not this test's business.

The evaluation sets under tests/data/ and tests/nlu/safeguarding/data/ are read here and only
here (their authors wrote them unseen by the authors of this data). Every string in them of at
least ``MIN_WORDS`` words is compared with ours; a failure names only our own rows, never the
evaluation text. One- and two-word replies ("ok", "diolch", "no thanks") are the closed
vocabulary of acknowledgements rather than wording that could leak, so they are not compared.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from core.vocabulary import Category
from nlu.builtin import BuiltinBackend
from nlu.safeguarding.normalise import normalise

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "nlu" / "safeguarding" / "data"
EVAL_ROOTS = (REPO / "tests" / "data", REPO / "tests" / "nlu" / "safeguarding" / "data")
HEADER = ["level", "category", "about_other", "text"]
LEVELS = ("none", "low", "medium", "high", "critical")
# Levels each category may take (shared/reference/safeguarding.md): disclosures are high or
# critical; bullying is medium unless violent or threatening; eating and running away are medium;
# suicide may be medium only for hyperbolic slang ("kms lol").
ALLOWED: dict[str, set[str]] = {
    "suicide": {"medium", "high", "critical"},
    "self_harm": {"high", "critical"},
    "abuse": {"high", "critical"},
    "domestic_abuse": {"high", "critical"},
    "exploitation": {"high", "critical"},
    "bullying": {"medium", "high"},
    "substance": {"medium", "high", "critical"},
    "eating": {"medium"},
    "running_away": {"medium"},
    "harm_others": {"medium", "high", "critical"},
}
NEAR = 0.7
MIN_WORDS = 3
# Our own rows (their text, keyed) that probe 9, written later without reading them, matches.
PROBE9_COINCIDENCES = (
    "how does this work",
    "dwi'n iawn diolch",
    "sut mae hwn yn gweithio",
    "fi oedd yr imposter a nes i ladd pawb yn among us",
    "i feel lonely at weekends",
    "i didn't do my chores",
)
# The same for probe 10 (its README, "Coincidences with training rows"): three stock
# phrases, and one concern row that its author's critical domestic-abuse message nearly repeats.
PROBE10_COINCIDENCES = (
    "i'm so stressed",
    "thank you so much",
    "what can you help me with",
    "dad just threw mum down the stairs and shes not moving",
)
# Probe 11 (tests/data/probe11/README.md, "Coincidences with training rows"): a help-seeking
# question and one concern its blind author wrote close to a training_v2 row written long before.
PROBE11_COINCIDENCES = (
    "can i talk to someone at school about something",
    "honestly dwi'n meddwl bysa pawb yn better off hebdda i",
)


@dataclass(frozen=True)
class Row:
    """One labelled text and where it came from."""

    source: str
    line: int
    level: str
    category: str
    about_other: bool
    text: str


def read_csv(name: str) -> list[Row]:
    """Read a v2 CSV file, checking its header and the shape of every row."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == HEADER, f"{name}: header {table[0]}"
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        assert len(cells) == 4, f"{name}:{number}: {len(cells)} columns"
        level, category, other, text = cells
        assert other in ("true", "false"), f"{name}:{number}: about_other {other!r}"
        rows.append(Row(name, number, level, category, other == "true", text))
    return rows


def read_context() -> list[dict[str, object]]:
    """Read the conversation file, one JSON object a line."""
    lines = (DATA / "context_training.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def messages(conversation: dict[str, object]) -> list[str]:
    """Return the messages of a conversation, checked to be a list of strings."""
    value = conversation["messages"]
    assert isinstance(value, list) and all(isinstance(m, str) for m in value), conversation
    return [str(m) for m in value]


def key(text: str) -> str:
    """Return the form texts are compared in (emoji-only texts keep their own characters)."""
    return normalise(text) or text.strip().casefold()


def shingles(text: str) -> frozenset[str]:
    """Return the character 4-grams of a text's compared form."""
    padded = f" {key(text)} "
    return frozenset(padded[i : i + 4] for i in range(len(padded) - 3)) or frozenset({padded})


def near_pairs(
    left: list[frozenset[str]], right: list[frozenset[str]] | None = None
) -> Iterator[tuple[int, int]]:
    """Yield index pairs with Jaccard >= NEAR (self-join when ``right`` is None).

    Exact prefix filtering: with grams ordered rarest first, two sets this similar must share a
    gram among the first |s| - ceil(NEAR * |s|) + 1 of each.
    """
    other = left if right is None else right
    counts = Counter(g for s in (*left, *other) for g in s)

    def prefix(s: frozenset[str]) -> list[str]:
        ordered = sorted(s, key=lambda g: (counts[g], g))
        return ordered[: len(s) - math.ceil(NEAR * len(s)) + 1]

    index: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(other):
        for gram in prefix(s):
            index[gram].append(j)
    for i, s in enumerate(left):
        seen = {j for gram in prefix(s) for j in index.get(gram, ())}
        for j in seen:
            if right is None and j <= i:
                continue
            union = len(s | other[j])
            if union and len(s & other[j]) / union >= NEAR:
                yield i, j


def eval_strings() -> list[str]:
    """Return every string of at least MIN_WORDS words in the evaluation sets."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            if len(key(value).split()) >= MIN_WORDS:
                found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for root in EVAL_ROOTS:
        for path in sorted(root.rglob("*")):
            suffix = path.suffix.lower()
            if suffix == ".jsonl":
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        walk(json.loads(line))
            elif suffix == ".json":
                walk(json.loads(path.read_text(encoding="utf-8")))
            elif suffix in (".yml", ".yaml"):
                walk(yaml.safe_load(path.read_text(encoding="utf-8")))
            elif suffix == ".csv":
                with path.open(encoding="utf-8", newline="") as handle:
                    walk(list(csv.reader(handle)))
    return found


@pytest.fixture(scope="module")
def training() -> list[Row]:
    return read_csv("training_v2.csv")


@pytest.fixture(scope="module")
def calibration() -> list[Row]:
    return read_csv("calibration.csv")


@pytest.fixture(scope="module")
def context() -> list[dict[str, object]]:
    return read_context()


def old_training() -> list[Row]:
    """The older label,text training file, as rows."""
    with (DATA / "training.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    return [Row("training.csv", n, "", "", False, c[1]) for n, c in enumerate(table[1:], 2)]


def our_texts(
    training: list[Row], calibration: list[Row], context: list[dict[str, object]]
) -> list[tuple[str, str]]:
    """Return (where, text) for every new row, conversation message and whole conversation."""
    texts = [(f"{r.source}:{r.line}", r.text) for r in (*training, *calibration)]
    for number, conversation in enumerate(context, start=1):
        parts = messages(conversation)
        texts += [(f"context_training.jsonl:{number}", m) for m in parts]
        texts.append((f"context_training.jsonl:{number} (whole)", " ".join(parts)))
    return texts


V3 = ("training_v3_en.csv", "training_v3_cy.csv")


def v3_rows() -> list[Row]:
    """The round-4 training rows (English and Welsh files), as rows."""
    return [row for name in V3 for row in read_csv(name)]


@pytest.mark.parametrize("name", ["training_v2.csv", "training_recall.csv", "calibration.csv", *V3])
def test_rows_have_valid_labels(name: str) -> None:
    wrong = []
    for row in read_csv(name):
        concern = row.level in ("medium", "high", "critical")
        if row.level not in LEVELS or row.text != row.text.strip() or not row.text:
            wrong.append(row)
        elif concern != (row.category in set(Category)) or (not concern and row.category):
            wrong.append(row)
        elif concern and row.level not in ALLOWED[row.category]:
            wrong.append(row)
    assert not wrong, wrong[:10]


def test_sizes_and_mix(training: list[Row], calibration: list[Row]) -> None:
    assert len(training) >= 3000
    assert len(calibration) == 800
    for rows, floor in ((training, 40), (calibration, 10)):
        levels = Counter(r.level for r in rows)
        assert levels["none"] >= len(rows) / 3, levels  # hard negatives and neutral replies
        assert levels["low"] >= 0.05 * len(rows), levels
        assert levels["critical"] >= 0.05 * len(rows), levels
        categories = Counter(r.category for r in rows if r.category)
        assert all(categories[c] >= floor for c in Category), categories
        others = {r.category for r in rows if r.about_other and r.category}
        assert others == set(Category), set(Category) - others
        concerns = [r for r in rows if r.category]
        assert sum(r.about_other for r in concerns) >= 0.08 * len(concerns)


def test_context_conversations(context: list[dict[str, object]]) -> None:
    assert len(context) == 300
    for conversation in context:
        assert set(conversation) == {"messages", "level", "category", "about_other"}
        parts = messages(conversation)
        assert 2 <= len(parts) <= 4 and all(p.strip() == p and p for p in parts), conversation
        level, category = conversation["level"], conversation["category"]
        assert level in LEVELS and isinstance(conversation["about_other"], bool), conversation
        if level in ("none", "low"):
            assert category is None, conversation
        else:
            assert isinstance(category, str) and level in ALLOWED[category], conversation
    risky = sum(c["level"] not in ("none", "low") for c in context)
    assert 100 <= risky <= 200, risky  # the rest are look-alikes


def test_about_half_welsh(
    builtin_backend: BuiltinBackend,
    training: list[Row],
    calibration: list[Row],
    context: list[dict[str, object]],
) -> None:
    identify = builtin_backend.language_identifier.identify
    for rows in (training, calibration):
        groups: dict[str, list[bool]] = defaultdict(list)
        for row in rows:
            group = "concern" if row.category else row.level
            groups[group].append(identify(row.text) == "cy")
        shares = {group: sum(flags) / len(flags) for group, flags in groups.items()}
        assert all(0.4 <= share <= 0.6 for share in shares.values()), (rows[0].source, shares)
    welsh = sum(identify(" ".join(messages(c))) == "cy" for c in context)
    assert 0.45 <= welsh / len(context) <= 0.55, welsh


def test_no_duplicates_or_near_copies(
    training: list[Row], calibration: list[Row], context: list[dict[str, object]]
) -> None:
    rows = [
        *training,
        *read_csv("training_recall.csv"),
        *v3_rows(),
        *calibration,
        *old_training(),
    ]
    exact: dict[str, Row] = {}
    clashes: list[tuple[str, ...]] = []
    for row in rows:
        first = exact.setdefault(key(row.text), row)
        if first is not row and row.source != "training.csv":
            clashes.append((f"{first.source}:{first.line}", f"{row.source}:{row.line}", row.text))
    sets = [shingles(r.text) for r in rows]
    for i, j in near_pairs(sets):
        a, b = rows[i], rows[j]
        if not a.source == b.source == "training.csv":
            clashes.append((f"{a.source}:{a.line}", f"{b.source}:{b.line}", a.text, b.text))
    whole = [" ".join(messages(c)) for c in context]
    for i, j in near_pairs([shingles(t) for t in whole]):
        clashes.append((f"context_training.jsonl:{i + 1}", f"context_training.jsonl:{j + 1}"))
    # A conversation's messages may repeat inside the file (a look-alike shares its opening with
    # a risky conversation on purpose) but must not copy a labelled row of the CSV files.
    said = [(i, m) for i, c in enumerate(context, 1) for m in messages(c)]
    said = [(i, m) for i, m in said if len(key(m).split()) >= MIN_WORDS]
    for i, j in near_pairs([shingles(m) for _, m in said], sets):
        clashes.append((f"context_training.jsonl:{said[i][0]}", f"{rows[j].source}:{rows[j].line}"))
    assert not clashes, clashes[:20]


def test_no_overlap_with_evaluation_sets(
    training: list[Row], calibration: list[Row], context: list[dict[str, object]]
) -> None:
    held = eval_strings()
    assert held, "no evaluation strings found: the check would pass vacuously"
    recall_rows = [*read_csv("training_recall.csv"), *v3_rows()]
    ours = [(where, t) for where, t in our_texts([*training, *recall_rows], calibration, context)]
    ours = [(where, t) for where, t in ours if len(key(t).split()) >= MIN_WORDS]
    held_keys = {key(t) for t in held}
    leaks = {where: text for where, text in ours if key(text) in held_keys}
    near = near_pairs([shingles(t) for _, t in ours], [shingles(t) for t in held])
    leaks.update({ours[i][0]: ours[i][1] for i, _ in near})
    # Rows written before probe 9 that its blind author happened to match (stock greetings and
    # everyday phrases, all labelled none or low on both sides); they stay, named here so that
    # nothing else can pass, and each must still be a match (a stale entry fails).
    known = {
        key(text) for text in (*PROBE9_COINCIDENCES, *PROBE10_COINCIDENCES, *PROBE11_COINCIDENCES)
    }
    coincidences = {where: text for where, text in leaks.items() if key(text) in known}
    assert {key(text) for text in coincidences.values()} == known
    leaks = {where: text for where, text in leaks.items() if where not in coincidences}
    # Only our own rows are shown: the evaluation text stays unseen by whoever fixes this.
    assert not leaks, sorted(leaks.items())[:30]


def test_near_copy_detector_finds_what_it_should() -> None:
    texts = ["i want to go to sleep and stay asleep", "i just want to go to sleep and stay asleep"]
    assert list(near_pairs([shingles(t) for t in texts])) == [(0, 1)]
    unrelated = ["my dad hits me", "my cat is so cute", "dwi'n hapus"]
    assert not list(near_pairs([shingles(t) for t in unrelated]))
    ours, theirs = [shingles("dwi'n sefyll ar y bont rwan")], [shingles("dwi'n sefyll ar y bont")]
    assert list(near_pairs(ours, theirs)) == [(0, 0)]
    assert key("I'm   NOT ok!!") == key("im not ok")


@pytest.mark.parametrize(("name", "language"), [(V3[0], "en"), (V3[1], "cy")])
def test_v3_files_are_each_in_their_language(
    builtin_backend: BuiltinBackend, name: str, language: str
) -> None:
    rows = read_csv(name)
    assert len(rows) >= 700, len(rows)
    identify = builtin_backend.language_identifier.identify
    share = sum(identify(row.text) == language for row in rows) / len(rows)
    assert share >= 0.95, share  # a few code-switched rows read as the other language
    levels = Counter(row.level for row in rows)
    assert levels["none"] >= 0.25 * len(rows), levels  # hard negatives and neutral replies
    assert all(levels[level] for level in LEVELS), levels
