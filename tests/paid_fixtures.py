"""Build small paid sessions for tests: a publisher key pair, encrypted parts and a manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from player.core.licensing.encryption import encrypt, media_context
from player.core.licensing.keys import generate_keypair, issue_license, public_key_to_text
from player.core.session.library import LibraryRoot, scan_library
from player.core.session.manifest import Session
from tests.conftest import DATA

PLAIN = (DATA / "clip-2s.mp4").read_bytes()


@dataclass
class PaidSession:
    session_id: str
    root: Path
    private_key: Ed25519PrivateKey
    content_key: bytes

    def key(self, *, licensee: str = "Ada", license_id: int = 7, session_id: str | None = None) -> str:
        return issue_license(private_key=self.private_key, session_id=session_id or self.session_id,
                             license_id=license_id, licensee=licensee, issued_on=dt.date(2026, 11, 23),
                             content_key=self.content_key)

    def part(self, part_id: str) -> Path:
        return self.root / "media" / self.session_id / "full" / f"{part_id}.mpe"


def make_paid_session(root: Path, session_id: str = "paid-demo", *,
                      private_key: Ed25519PrivateKey | None = None) -> PaidSession:
    """A library root with one session: one free snippet and two encrypted paid parts."""
    private_key = private_key or generate_keypair()[0]
    content_key = os.urandom(16)
    media = root / "media" / session_id
    (media / "full").mkdir(parents=True)
    (root / "sessions").mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "clip-2s.mp4", media / "free.mp4")
    parts = []
    for part_id in ("part-one", "part-two"):
        sealed = encrypt(PLAIN, key=content_key, context=media_context(session_id, part_id))
        (media / "full" / f"{part_id}.mpe").write_bytes(sealed)
        parts.append(f"""
[[full.parts]]
id = "{part_id}"
title = "Paid {part_id}"
media = "{session_id}/full/{part_id}.mpe"
duration_s = 2.0
size_bytes = {len(sealed)}
sha256 = "{hashlib.sha256(sealed).hexdigest()}"
""")
    (root / "sessions" / f"{session_id}.toml").write_text(f"""
schema = 1
id = "{session_id}"
title = "Paid demo {session_id}"

[publisher]
name = "Test publisher"
public_key = "{public_key_to_text(private_key.public_key())}"

[[preview]]
id = "free"
title = "Free one"
media = "{session_id}/free.mp4"
duration_s = 2.0

[full]
price = "$20"
""" + "".join(parts))
    return PaidSession(session_id, root, private_key, content_key)


def sessions_in(*roots: Path) -> list[Session]:
    entries = scan_library([LibraryRoot(r / "sessions", r / "media") for r in roots])
    assert all(e.available for e in entries), [p.message for e in entries for p in e.problems]
    return [e.session for e in entries if e.session is not None]
