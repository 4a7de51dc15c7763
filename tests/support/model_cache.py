"""Trained test models kept between runs, under a fingerprint of everything that trains them.

Training the two models is the costliest set-up of a test run (about 20 s for the intent model and
40 s for the detector's on a busy two-core machine), paid again by every ``pytest`` invocation.
:func:`trained` keeps what a run trained in ``var/test-models/<name>-<fingerprint>/`` and later
runs copy it, as long as the fingerprint is the same: a hash of every file under ``nlu/`` (code,
training data, rules, lexicons) and ``core/``, and the versions of Python and of the libraries that
train and pickle the models. Change any of them and the model is trained afresh. A fresh clone
(CI) has no cache and trains, as before; ``make clean`` empties it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path

__all__ = ["CACHE_DIR", "fingerprint", "trained"]

ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = ROOT / "var" / "test-models"
SOURCES = ("nlu", "core")
LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")
COMPLETE = ".complete"  # written last: a copy interrupted half-way is never taken for a model


@cache
def fingerprint(root: Path = ROOT) -> str:
    """Hash what the models are trained from and with (the sources under ``root``)."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for library in LIBRARIES:
        digest.update(f"{library}=={version(library)}\n".encode())
    for folder in SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def trained(
    name: str,
    train: Callable[[Path], None],
    into: Path,
    *,
    key: str | None = None,
    cache_dir: Path = CACHE_DIR,
) -> Path:
    """Fill ``into`` with the model ``train`` writes: from the cache, or trained and then kept.

    ``key`` is the fingerprint to keep it under (by default this checkout's)."""
    kept = cache_dir / f"{name}-{key or fingerprint()}"
    if (kept / COMPLETE).is_file():
        shutil.copytree(kept, into, dirs_exist_ok=True, ignore=shutil.ignore_patterns(COMPLETE))
        return into
    train(into)
    _keep(into, kept)
    return into


def _keep(model: Path, kept: Path) -> None:
    """Copy a trained model into the cache; a cache that cannot be written is only slower."""
    partial = kept.with_name(f"{kept.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        shutil.copytree(model, partial)
        (partial / COMPLETE).touch()
        os.replace(partial, kept)  # another run may have kept the same model meanwhile: fine
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        return
    name = kept.name.rsplit("-", 1)[0]
    for old in kept.parent.glob(f"{name}-*"):
        if old != kept and not old.name.endswith(".partial"):
            shutil.rmtree(old, ignore_errors=True)  # trained from what is no longer here
