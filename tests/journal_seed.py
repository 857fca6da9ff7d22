"""A small journal with known answers, written through the real Journal API, for the review/export tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from player.core.journal.followups import save_followup
from player.core.journal.review import SessionCatalog
from player.core.journal.store import Answers, Journal
from player.core.session.library import builtin_root, scan_library

SESSION = "foot-spine-connections"
OTHER = "home-made"  # a session the library does not know: labelled by its id
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # a Monday

# Per run: (day offset, session, completed, [(snippet_id, answers or None when skipped), ...])
RUNS: list[tuple[int, str, bool, list[tuple[str, Answers | None]]]] = [
    (0, SESSION, True, [
        ("big-toe-hip", Answers(discomfort=5, ease=2, body_areas=("big-toe-left", "hip-left"),
                                note="Left big toe stiff, hip tight")),
        ("foot-roll-spine", Answers(discomfort=4, ease=3, body_areas=("arch-left",))),
        ("weight-spiral", None),
        ("toe-touch-test", Answers(discomfort=3, ease=3, extra={"reach-before": -8.0, "reach-after": -4.5})),
    ]),
    (1, SESSION, True, [
        ("big-toe-hip", Answers(discomfort=4, ease=3, body_areas=("hip-left",), note="Stiffness eased after rolling")),
        ("foot-roll-spine", Answers(discomfort=3, ease=4)),
        ("weight-spiral", Answers(discomfort=2, ease=4, body_areas=("lower-back",))),
        ("toe-touch-test", Answers(discomfort=2, ease=4, extra={"reach-before": -7.0, "reach-after": -2.0})),
    ]),
    (3, SESSION, False, [
        ("big-toe-hip", Answers(discomfort=6, ease=2, body_areas=("hip-left", "lower-back"),
                                note='Sore "quoted" AND( back, NEAR(x y) *')),
        ("big-toe-hip", Answers(discomfort=3, ease=3, note="Replayed it slower: better")),
    ]),
    (8, OTHER, True, [
        ("warm-up", Answers(discomfort=1, ease=5, note="Gentle warm-up, nothing to report")),
    ]),
    (9, SESSION, True, [
        ("big-toe-hip", Answers(discomfort=2, ease=4)),
        ("toe-touch-test", Answers(discomfort=1, ease=5, body_areas=("hip-left",),
                                   extra={"reach-before": -5.0, "reach-after": 0.0}, note="Touched the floor")),
    ]),
]


@dataclass(frozen=True)
class Seeded:
    """The ids the seed produced, oldest run first."""

    run_ids: list[int]
    checkin_ids: list[list[int]]


def seed(journal: Journal) -> Seeded:
    """Write RUNS (a check-in a minute apart, runs ended 5 minutes after the start) and a follow-up on run 1."""
    run_ids, checkin_ids = [], []
    for offset, session, completed, checkins in RUNS:
        started = START + timedelta(days=offset)
        run = journal.start_run(session, now=started)
        ids = []
        for index, (snippet, answers) in enumerate(checkins):
            saved = journal.save_checkin(run.id, snippet, answers or Answers(),
                                         now=started + timedelta(minutes=index + 1), skipped=answers is None)
            ids.append(saved.id)
        journal.end_run(run.id, now=started + timedelta(minutes=5), completed=completed)
        run_ids.append(run.id)
        checkin_ids.append(ids)
    save_followup(journal, run_ids[0], answer="better", note="Slept well", today=date(2026, 11, 3),
                  now=START + timedelta(days=1, hours=1))
    return Seeded(run_ids=run_ids, checkin_ids=checkin_ids)


def builtin_catalog() -> SessionCatalog:
    """The built-in sessions as a catalog (titles, questions with the toe-touch before/after pair)."""
    return SessionCatalog.from_sessions(e.session for e in scan_library([builtin_root()]) if e.session is not None)


def seeded_journal(path: Path) -> tuple[Journal, Seeded]:
    """A new journal at ``path`` with the seed in it."""
    journal = Journal.open(path)
    return journal, seed(journal)
