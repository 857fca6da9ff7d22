"""The ledger: every license issued, one row per sale, in the workspace's SQLite file.

Table ``ledger``: ``license_id`` (integer, primary key: 1, 2, 3, ... across all sessions),
``session_id``, ``licensee``, ``issued_on`` (ISO date) and ``key_sha256`` (hex SHA-256 of the key text
as sent: a fingerprint to recognise a key, from which the key cannot be rebuilt). A key carries the
session's content key, so the ledger never stores one: whoever reads it learns who bought what, not how
to decrypt anything. A lost key is issued again with the passphrase: Ed25519 signatures are
deterministic, so the same license number, label and date give the very same key.
Query it with ``sqlite-utils rows ledger.db ledger`` or ``sqlite3``.

Ledgers written before (with a ``key_text`` column) are migrated when opened: the fingerprints are
computed, the column is dropped and the file is vacuumed with ``secure_delete`` on, so no page keeps a key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from player.core.errors import PublisherError
from player.publisher.defaults import PRIVATE_FILE_MODE

TABLE = "ledger"
COLUMNS: dict[str, type] = {"license_id": int, "session_id": str, "licensee": str, "issued_on": str, "key_sha256": str}


@dataclass(frozen=True)
class Sale:
    """One row of the ledger; ``key_text`` is the key itself only right after issuing ("" when read back)."""

    license_id: int
    session_id: str
    licensee: str
    issued_on: dt.date
    key_sha256: str
    key_text: str = ""


def key_fingerprint(key_text: str) -> str:
    """The hex SHA-256 of a key's canonical text (what the ledger keeps instead of the key)."""
    return hashlib.sha256(key_text.encode("ascii")).hexdigest()


def open_ledger(path: Path) -> Database:
    """Open (creating if needed, mode 0600) the ledger at ``path``; an older ledger that kept the keys
    in clear is migrated first. Raises PublisherError if it is not usable."""
    try:
        db = Database(path, execute_plugins=False)  # no sqlite-utils plugin touches the ledger
        db.execute("pragma secure_delete = on")  # deleted rows are overwritten, not left in free pages
        if TABLE not in db.table_names():
            db[TABLE].create(COLUMNS, pk="license_id", not_null=set(COLUMNS))  # type: ignore[union-attr]
            path.chmod(PRIVATE_FILE_MODE)
        elif "key_text" in {c.name for c in db[TABLE].columns}:
            _forget_keys(db)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise PublisherError(f"{path}: the ledger cannot be opened ({exc})") from exc
    return db


def _forget_keys(db: Database) -> None:
    """Replace the ``key_text`` column by ``key_sha256`` and vacuum, so the file holds no key any more."""
    rows = db.execute(f"select license_id, session_id, licensee, issued_on, key_text from {TABLE}").fetchall()
    with db.atomic():
        db.execute(f"drop table {TABLE}")
        db[TABLE].create(COLUMNS, pk="license_id", not_null=set(COLUMNS))  # type: ignore[union-attr]
        for license_id, session_id, licensee, issued_on, key_text in rows:
            db.execute(f"insert into {TABLE} values (?, ?, ?, ?, ?)",
                       [license_id, session_id, licensee, issued_on, key_fingerprint(key_text)])
    db.execute("vacuum")


def record_sale(
    db: Database, *, session_id: str, licensee: str, issued_on: dt.date, make_key: Callable[[int], str]
) -> Sale:
    """In one transaction: take the next license id, call ``make_key(license_id)`` for the key text
    and record the sale (its fingerprint, not the key). Nothing is recorded if ``make_key`` raises.
    Raises PublisherError if the ledger cannot be written."""
    try:
        with db.atomic():
            row = db.execute(f"select coalesce(max(license_id), 0) + 1 from {TABLE}").fetchone()
            license_id = int(row[0])
            key_text = make_key(license_id)
            sale = Sale(license_id, session_id, licensee, issued_on, key_fingerprint(key_text), key_text)
            db.execute(
                f"insert into {TABLE} (license_id, session_id, licensee, issued_on, key_sha256) values (?, ?, ?, ?, ?)",
                [sale.license_id, session_id, licensee, issued_on.isoformat(), sale.key_sha256],
            )
    except sqlite3.DatabaseError as exc:
        raise PublisherError(f"the ledger cannot be written ({exc})") from exc
    return sale


def sales(db: Database) -> list[Sale]:
    """Every sale, by license id (without the keys: the ledger keeps their fingerprints only)."""
    rows = db.execute(f"select license_id, session_id, licensee, issued_on, key_sha256 from {TABLE} order by 1")
    return [Sale(r[0], r[1], r[2], dt.date.fromisoformat(r[3]), r[4]) for r in rows.fetchall()]
