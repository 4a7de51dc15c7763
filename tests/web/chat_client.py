"""A learner's browser without JavaScript, over real HTTP: read the chat page, type, press."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import httpx

_BUTTON = re.compile(
    r'<button type="submit" name="choice" value="([^"]*)"[^>]*>(.*?)</button>', re.DOTALL
)
_CSRF = re.compile(r'name="csrf" value="([^"]*)"')
_TURN = re.compile(r'name="turn" value="(\d+)"')
_MESSAGE = re.compile(r'<span class="llais-message__text">(.*?)</span>', re.DOTALL)


@dataclass
class ChatClient:
    base: str
    client: httpx.Client = field(init=False)
    page: str = ""

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.base, follow_redirects=True, timeout=60)

    def close(self) -> None:
        self.client.close()

    def open(self, headers: dict[str, str] | None = None) -> str:
        response = self.client.get("/chat", headers=headers)
        assert response.status_code == 200, response.text
        self.page = response.text
        return self.page

    @property
    def csrf(self) -> str:
        found = _CSRF.search(self.page)
        assert found, "no CSRF token on the page"
        return found.group(1)

    @property
    def turn(self) -> str:
        found = _TURN.search(self.page)
        return found.group(1) if found else ""

    @property
    def choices(self) -> dict[str, str]:
        """label -> value of each choice offered now."""
        return {html.unescape(label).strip(): value for value, label in _BUTTON.findall(self.page)}

    @property
    def messages(self) -> list[str]:
        return [html.unescape(text) for text in _MESSAGE.findall(self.page)]

    def post(self, data: dict[str, str], **options: object) -> httpx.Response:
        response = self.client.post("/chat", data=data, **options)  # type: ignore[arg-type]
        if response.status_code == 200:
            self.page = response.text
        return response

    def say(self, text: str) -> str:
        response = self.post({"csrf": self.csrf, "turn": self.turn, "text": text})
        assert response.status_code == 200, response.text
        assert [r.status_code for r in response.history] == [303]  # post/redirect/get
        return self.page

    def press(self, label: str) -> str:
        choices = self.choices
        assert label in choices, f"{label!r} not offered: {sorted(choices)}"
        response = self.post({"csrf": self.csrf, "turn": self.turn, "choice": choices[label]})
        assert response.status_code == 200, response.text
        return self.page

    def last(self) -> str:
        """Every message since the learner's last one, joined (what Llais just said)."""
        return "\n".join(self.messages[-6:])
