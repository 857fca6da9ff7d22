"""The ledger: every license key issued, one row per sale, in the workspace's SQLite file.

Table ``ledger``: ``license_id`` (integer, primary key: 1, 2, 3, ... across all sessions),
``session_id``, ``licensee``, ``issued_on`` (ISO date) and ``key_text`` (the key as sent).
Query it with ``sqlite-utils rows ledger.db ledger`` or ``sqlite3``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from player.core.errors import PublisherError
from player.publisher.defaults import PRIVATE_FILE_MODE

TABLE = "ledger"
COLUMNS: dict[str, type] = {"license_id": int, "session_id": str, "licensee": str, "issued_on": str, "key_text": str}


@dataclass(frozen=True)
class Sale:
    """One row of the ledger."""

    license_id: int
    session_id: str
    licensee: str
    issued_on: dt.date
    key_text: str


def open_ledger(path: Path) -> Database:
    """Open (creating if needed, mode 0600: every key in it carries a content key) the ledger at ``path``.

    Raises PublisherError if it is not usable.
    """
    try:
        db = Database(path)
        if TABLE not in db.table_names():
            db[TABLE].create(COLUMNS, pk="license_id", not_null=set(COLUMNS))  # type: ignore[union-attr]
            path.chmod(PRIVATE_FILE_MODE)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise PublisherError(f"{path}: the ledger cannot be opened ({exc})") from exc
    return db


def record_sale(
    db: Database, *, session_id: str, licensee: str, issued_on: dt.date, make_key: Callable[[int], str]
) -> Sale:
    """In one transaction: take the next license id, call ``make_key(license_id)`` for the key text
    and record the sale. Nothing is recorded if ``make_key`` raises. Raises PublisherError if the
    ledger cannot be written."""
    try:
        with db.atomic():
            row = db.execute(f"select coalesce(max(license_id), 0) + 1 from {TABLE}").fetchone()
            license_id = int(row[0])
            sale = Sale(license_id, session_id, licensee, issued_on, make_key(license_id))
            db.execute(
                f"insert into {TABLE} (license_id, session_id, licensee, issued_on, key_text) values (?, ?, ?, ?, ?)",
                [sale.license_id, session_id, licensee, issued_on.isoformat(), sale.key_text],
            )
    except sqlite3.DatabaseError as exc:
        raise PublisherError(f"the ledger cannot be written ({exc})") from exc
    return sale


def sales(db: Database) -> list[Sale]:
    """Every sale, by license id."""
    rows = db.execute(f"select license_id, session_id, licensee, issued_on, key_text from {TABLE} order by 1")
    return [Sale(r[0], r[1], r[2], dt.date.fromisoformat(r[3]), r[4]) for r in rows.fetchall()]
