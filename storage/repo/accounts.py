"""Dashboard accounts: argon2 passwords, lockout after repeated failures, server-side sessions,
and the audit log of sign-ins and exports (role, school and what; never who)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from core.access import DashboardRole
from core.errors import LlaisError
from storage.db import AsyncSession
from storage.models import DashboardEvent, DashboardSession, DashboardUser

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 12
_HASHER = PasswordHasher()


class AccountError(LlaisError):
    """An account cannot be created as asked."""


class SignIn(StrEnum):
    """How a sign-in attempt ended."""

    OK = "ok"
    WRONG = "wrong"  # unknown user or wrong password (one answer for both)
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class Account:
    """A signed-in account as the pages need it."""

    id: int
    role: DashboardRole
    school_id: int | None


def _account(user: DashboardUser) -> Account:
    return Account(user.id, user.role, user.school_id)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def add_user(
    session: AsyncSession,
    *,
    username: str,
    role: DashboardRole,
    school_id: int | None,
    password: str,
    now: datetime,
) -> Account:
    """Create an account; officers have no school, every other role has one."""
    if role.needs_school != (school_id is not None):
        raise AccountError(
            f"A {role.value} account {'needs' if role.needs_school else 'has no'} --school."
        )
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password must have at least {MIN_PASSWORD} characters.")
    name = username.strip().lower()
    taken = await session.scalar(select(DashboardUser.id).where(DashboardUser.username == name))
    if not name or taken is not None:
        raise AccountError(f"The username {name!r} is taken or empty.")
    user = DashboardUser(
        username=name,
        role=role,
        school_id=school_id,
        password_hash=_HASHER.hash(password),
        failed_attempts=0,
        active=True,
        created_at=now,
    )
    session.add(user)
    await session.flush()
    return _account(user)


async def log_event(
    session: AsyncSession,
    *,
    event: str,
    now: datetime,
    account: Account | None = None,
    subject: str | None = None,
) -> None:
    """Record a sign-in, sign-out or export without anything that identifies the person."""
    session.add(
        DashboardEvent(
            at=now,
            event=event,
            role=account.role.value if account else None,
            school_id=account.school_id if account else None,
            subject=subject,
        )
    )


async def check_password(
    session: AsyncSession, *, username: str, password: str, now: datetime
) -> tuple[SignIn, Account | None]:
    """Check a sign-in; after MAX_FAILURES wrong passwords the account is locked for LOCKOUT."""
    user = await session.scalar(
        select(DashboardUser).where(DashboardUser.username == username.strip().lower())
    )
    if user is None or not user.active:
        _HASHER.hash(password)  # same cost either way: no hint that a username exists
        await log_event(session, event="sign_in_failed", now=now)
        return SignIn.WRONG, None
    if user.locked_until is not None and user.locked_until > now:
        await log_event(session, event="sign_in_locked", now=now)
        return SignIn.LOCKED, None
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_attempts += 1
        if user.failed_attempts >= MAX_FAILURES:
            user.failed_attempts, user.locked_until = 0, now + LOCKOUT
            await log_event(session, event="locked", now=now, account=_account(user))
            return SignIn.LOCKED, None
        await log_event(session, event="sign_in_failed", now=now)
        return SignIn.WRONG, None
    user.failed_attempts, user.locked_until = 0, None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    account = _account(user)
    await log_event(session, event="sign_in", now=now, account=account)
    return SignIn.OK, account


async def open_session(
    session: AsyncSession, *, account: Account, now: datetime, minutes: int
) -> str:
    """A new random session token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        DashboardSession(
            token_hash=_token_hash(token),
            user_id=account.id,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    return token


async def session_account(session: AsyncSession, *, token: str, now: datetime) -> Account | None:
    """The account signed in with this token, if the session is current and the account active."""
    row = (
        await session.execute(
            select(DashboardUser)
            .join(DashboardSession, DashboardSession.user_id == DashboardUser.id)
            .where(
                DashboardSession.token_hash == _token_hash(token),
                DashboardSession.expires_at > now,
                DashboardUser.active.is_(True),
            )
        )
    ).scalar_one_or_none()
    return _account(row) if row else None


async def close_session(session: AsyncSession, *, token: str) -> None:
    """Sign out: forget the session."""
    await session.execute(
        delete(DashboardSession).where(DashboardSession.token_hash == _token_hash(token))
    )
