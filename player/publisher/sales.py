"""License keys: issue one per sale (recorded in the ledger) and check a key against a pack.

Checking uses the app's own code: :func:`player.core.licensing.keys.verify_license` (or
:func:`~player.core.licensing.keys.parse_license` for a pack of several sessions) with the publisher key of
the pack's manifest, then :func:`player.core.licensing.paid_parts.check_unlocks`, which opens every paid part with
``ChunkedReader`` (key commitment and authenticated length) to prove the key decrypts the media.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from player.core.errors import CryptoError, LicenseError, PublisherError
from player.core.licensing import keys as licensing
from player.core.licensing.keys import License
from player.core.licensing.paid_parts import check_unlocks
from player.core.session.manifest import Session
from player.core.text import control_characters
from player.publisher.ledger import Sale, open_ledger, record_sale
from player.publisher.pack import check_manifest
from player.publisher.workspace import Workspace


def issue_key(
    workspace: Workspace, *, passphrase: bytes, session_id: str, licensee: str, today: dt.date
) -> Sale:
    """Issue a license key for ``session_id`` to ``licensee`` and record it in the ledger (one transaction;
    the license id is the ledger's next number).

    Raises PublisherError for a wrong passphrase, a session this workspace never packed, a licensee
    label that is empty, longer than 40 utf-8 bytes or holds control characters (line breaks, terminal
    escapes), or a ledger that cannot be written.
    """
    private_key = workspace.unlock(passphrase)
    content_key = workspace.content_keys.get(session_id, passphrase=passphrase)
    if content_key is None:
        known = ", ".join(workspace.content_keys.session_ids()) or "none yet"
        raise PublisherError(f"no content key for session '{session_id}' in {workspace.directory} "
                             f"(packed sessions: {known}); pack it first")
    if not licensee.strip():
        raise PublisherError("the licensee label must not be empty")
    controls = control_characters(licensee)
    if controls:  # a line break or terminal escape would travel in every copy of the key
        raise PublisherError(f"the licensee label contains control characters ({', '.join(controls)}); "
                             "use plain text on one line")

    def make_key(license_id: int) -> str:
        return licensing.issue_license(private_key=private_key, session_id=session_id, license_id=license_id,
                                       licensee=licensee, issued_on=today, content_key=content_key)

    db = open_ledger(workspace.ledger_file)
    try:
        return record_sale(db, session_id=session_id, licensee=licensee, issued_on=today, make_key=make_key)
    except ValueError as exc:
        raise PublisherError(f"cannot issue the key: {exc}") from exc
    finally:
        db.close()


def license_file_text(sale: Sale, *, title: str) -> str:
    """A license file: comment lines (session, licensee, date, license number), then the key."""
    return (f"# Movement Player license key for \"{title or sale.session_id}\" ({sale.session_id})\n"
            f"# Licensed to: {sale.licensee}\n"
            f"# Issued: {sale.issued_on.isoformat()}, license {sale.license_id}\n"
            f"{sale.key_text}\n")


@dataclass(frozen=True)
class Verified:
    """A key that verifies against a pack, and the session it unlocks."""

    license: License
    session: Session


def pack_sessions(pack: Path) -> list[Session]:
    """The sessions with a paid part in ``pack``: a pack folder (``sessions/*.toml`` and ``media/``) or one
    manifest (media in ``../media``). Raises PublisherError (ManifestProblemsError) if one has problems."""
    if pack.is_dir():
        manifests, media_root = sorted((pack / "sessions").glob("*.toml")), pack / "media"
    elif pack.is_file():
        manifests, media_root = [pack], pack.resolve().parent.parent / "media"
    else:
        raise PublisherError(f"{pack}: no such pack folder or manifest")
    # The key's own check (the media's commitment) proves what matters; a part's hash would only say "changed".
    sessions = [check_manifest(manifest, media_root=media_root, verify_files=False) for manifest in manifests]
    paid = [s for s in sessions if s.full is not None and s.publisher is not None]
    if not paid:
        raise PublisherError(f"{pack}: no session with a paid part ([full] and [publisher]) here")
    return paid


def _public_key(session: Session) -> Ed25519PublicKey:
    """The session's publisher key. Raises LicenseError (PublisherKeyError) if it is not a key."""
    if session.publisher is None:
        raise PublisherError(f"{session.file}: has no [publisher]")
    return licensing.public_key_from_text(session.publisher.public_key)


def verify_key(text: str, *, pack: Path) -> Verified:
    """Verify a key (or a license file's text) against the session(s) in ``pack`` and prove it decrypts
    every paid part.

    Raises LicenseError (malformed, mistyped, not signed by the pack's publisher, for another session,
    or genuine but not decrypting the media) or PublisherError (the pack cannot be read).
    """
    key_text = licensing.read_license_text(text)
    sessions = pack_sessions(pack)
    if len(sessions) == 1:
        session = sessions[0]
        license_ = licensing.verify_license(key_text, public_key=_public_key(session), expected_session_id=session.id)
    else:
        keys = {s.id: _public_key(s) for s in sessions}
        license_ = licensing.parse_license(key_text, public_keys=keys)
        session = next(s for s in sessions if s.id == license_.session_id)
    try:
        check_unlocks(session, license_.content_key)
    except CryptoError as exc:
        raise LicenseError(f"the key is genuine but does not decrypt '{session.id}': {exc.message}") from exc
    return Verified(license_, session)
