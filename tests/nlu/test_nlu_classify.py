"""``llais nlu classify``: one JSON line per input line, in order, whatever the input."""

from __future__ import annotations

import io
import json
from typing import Any

from nlu.classify import classify_lines
from nlu.understand import Understander

HUGE = "dw i methu cysgu " * 200_000


async def run(understander: Understander, lines: list[bytes]) -> list[dict[str, Any]]:
    out = io.StringIO()
    await classify_lines(understander, lines, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_good_lines_give_the_documented_shape(understander: Understander) -> None:
    records = await run(
        understander,
        [
            b'{"id": 1, "text": "i need someone to talk to", "lang": "en"}\n',
            b'{"id": "b", "text": "dw i eisiau marw"}\n',
        ],
    )
    first, second = records
    assert set(first) == {"id", "lang", "intent", "confidence", "help_seeking", "risk"}
    assert set(first["risk"]) == {"level", "categories", "cues"}
    assert (first["id"], first["lang"], first["intent"], first["help_seeking"]) == (
        1, "en", "ask_help", True
    )  # fmt: skip
    assert second["id"] == "b" and second["lang"] == "cy"
    assert second["risk"]["level"] in ("high", "critical")


async def test_bad_lines_get_error_objects_and_the_rest_carry_on(
    understander: Understander,
) -> None:
    lines = [
        b'{"id": 1, "text": ""}',
        b"not json at all",
        b"\x00\xff\xfe\x80binary\x00",
        b'{"id": 4, "text": "\xf0\x9f\x98\xad\xf0\x9f\x98\xad"}',
        b"",
        b'["a", "list"]',
        b'{"id": 7}',
        b'{"id": 8, "text": 42}',
        json.dumps({"id": 9, "text": HUGE}).encode(),
        b'{"id": 10, "text": "\\ud800 lone surrogate", "lang": "xx"}',
        b'{"id": {"nested": true}, "text": "helo"}',
        b'{"id": 12, "text": "thanks", "lang": "en"}',
    ]
    records = await run(understander, lines)
    assert len(records) == 11  # the blank line is not an input
    by_line = {r.get("line"): r for r in records if "error" in r}
    assert set(by_line) == {2, 3, 6, 7, 8}
    assert by_line[2]["error"] == "invalid JSON"
    assert by_line[8]["id"] == 8
    ok = [r for r in records if "error" not in r]
    assert [r["id"] for r in ok] == [1, 4, 9, 10, {"nested": True}, 12]
    assert ok[0]["intent"] == "nlu_fallback" and ok[1]["intent"] == "nlu_fallback"
    assert ok[2]["lang"] == "cy" and ok[2]["intent"] == "topic_sleep"
    assert ok[-1]["intent"] == "thanks"


async def test_thousands_of_lines_in_one_call(understander: Understander) -> None:
    line = b'{"id": 0, "text": "mae fy ffrindiau yn fy anwybyddu"}'
    records = await run(understander, [line] * 3000)
    assert len(records) == 3000
    assert {r["intent"] for r in records} == {"topic_friendships"}
