"""Pseudonymous references: a keyed hash of channel and channel user id, never the id itself."""

from __future__ import annotations

import hashlib
import hmac


def person_ref(secret: str, channel: str, user_id: str) -> str:
    """Derive the opaque reference for a person on a channel (irreversible without the key)."""
    message = f"{channel}\x1f{user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]
