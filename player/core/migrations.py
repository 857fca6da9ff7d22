"""Journal schema migrations (sqlite-utils ``Migrations``). Never edit one once released; add a new one."""

from __future__ import annotations

from functools import cache

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("movement-player-journal")


@MIGRATIONS()
def m001_create_journal(db: Database) -> None:
    """runs, checkins and answers (custom questions), with the indexes the review queries use."""
    db.table("runs").create(
        {"id": int, "session_id": str, "started_at": str, "ended_at": str, "completed": int},
        pk="id", not_null={"session_id", "started_at", "completed"}, defaults={"completed": 0},
    )
    db.table("checkins").create(
        {
            "id": int, "run_id": int, "snippet_id": str, "answered_at": str, "discomfort": int,
            "ease": int, "body_areas": str, "note": str, "skipped": int,
        },
        pk="id", foreign_keys=[("run_id", "runs", "id")],
        not_null={"run_id", "snippet_id", "answered_at", "skipped"}, defaults={"skipped": 0, "body_areas": "[]"},
    )
    db.table("answers").create(
        {"id": int, "checkin_id": int, "question_id": str, "value": str},
        pk="id", foreign_keys=[("checkin_id", "checkins", "id")], not_null={"checkin_id", "question_id"},
    )
    db.table("runs").create_index(["session_id", "started_at"])
    db.table("checkins").create_index(["run_id"])
    db.table("checkins").create_index(["snippet_id", "answered_at"])
    db.table("answers").create_index(["checkin_id"])


@cache
def known_names() -> frozenset[str]:
    """Names of every migration this version of the app knows (applied or not)."""
    return frozenset(m.name for m in MIGRATIONS.pending(Database(memory=True)))
