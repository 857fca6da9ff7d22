"""Journal schema migrations (sqlite-utils ``Migrations``). Never edit one once released; add a new one."""

from __future__ import annotations

from functools import cache

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from player.core.journal.identity import MIGRATION_SET

MIGRATIONS = Migrations(MIGRATION_SET)


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


@MIGRATIONS()
def m002_enable_note_search(db: Database) -> None:
    """Full-text search over check-in notes: FTS5 table ``checkins_fts``, kept current by triggers.

    ``enable_fts`` indexes the rows already there. The porter tokenizer lets "stiff" find "stiffness".
    """
    db.table("checkins").enable_fts(["note"], create_triggers=True, tokenize="porter")


@MIGRATIONS()
def m003_create_followups(db: Database) -> None:
    """The next-day follow-up: how a run settled (better/same/worse, or null when dismissed), one per run."""
    db.table("followups").create(
        {"id": int, "run_id": int, "asked_on": str, "answer": str, "note": str, "answered_at": str},
        pk="id", foreign_keys=[("run_id", "runs", "id")], not_null={"run_id", "asked_on", "note"},
        defaults={"note": ""},
    )
    db.table("followups").create_index(["run_id"], unique=True)


@MIGRATIONS()
def m004_create_resume_points(db: Database) -> None:
    """Where an unfinished run was, saved while it plays, so the next start can offer to continue it."""
    db.table("resume_points").create(
        {"run_id": int, "part": str, "snippet_index": int, "snippet_id": str, "position_ms": int, "saved_at": str},
        pk="run_id", foreign_keys=[("run_id", "runs", "id")],
        not_null={"part", "snippet_index", "snippet_id", "position_ms", "saved_at"},
    )


@MIGRATIONS()
def m005_add_checkin_sequence(db: Database) -> None:
    """``checkins.sequence``: the order of check-ins within a run (1, 2, …), so a clock stepped back never
    reorders them. Existing check-ins are numbered in the order they had (answered_at, then id)."""
    db.execute("alter table checkins add column sequence integer")
    db.execute(
        "update checkins set sequence = (select n from (select id, row_number() over "
        "(partition by run_id order by answered_at, id) as n from checkins) numbered "
        "where numbered.id = checkins.id)")
    db.execute("create index idx_checkins_run_id_sequence on checkins (run_id, sequence)")


@MIGRATIONS()
def m006_index_snippet_trends(db: Database) -> None:
    """A covering index for the trends query (every snippet's answers in answer order): read from the index
    alone instead of one table lookup per check-in (on 50,000 check-ins about half the time)."""
    db.execute("create index idx_checkins_trends on checkins "
               "(snippet_id, answered_at, run_id, skipped, discomfort, ease)")


@cache
def known_names() -> frozenset[str]:
    """Names of every migration this version of the app knows (applied or not)."""
    return frozenset(m.name for m in MIGRATIONS.pending(Database(memory=True, execute_plugins=False)))
