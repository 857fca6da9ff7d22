"""Editing and deleting a check-in: answers replaced or removed in one transaction, bad values refused."""

from __future__ import annotations

import pytest

from player.core.errors import JournalError
from player.core.journal.edits import check_answers, delete_checkin, update_checkin
from player.core.journal.store import Answers, Journal
from tests.journal_seed import Seeded


def test_update_replaces_every_answer(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    target = ids.checkin_ids[0][3]  # toe-touch-test with two measurements
    before = journal.checkin(target)
    edited = update_checkin(journal, target, Answers(discomfort=2, ease=5, body_areas=("heel-right",),
                                                     note="Typo fixed", extra={"reach-after": -3.5}))
    assert edited.answers == Answers(discomfort=2, ease=5, body_areas=("heel-right",), note="Typo fixed",
                                     extra={"reach-after": -3.5})
    assert (edited.answered_at, edited.snippet_id, edited.run_id) == (before.answered_at, before.snippet_id,
                                                                     before.run_id)
    assert journal._db.execute("select count(*) from answers where checkin_id = ?", [target]).fetchone()[0] == 1


def test_update_can_fill_a_skipped_checkin(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    skipped = ids.checkin_ids[0][2]
    assert journal.checkin(skipped).skipped
    assert not update_checkin(journal, skipped, Answers(discomfort=4)).skipped
    assert update_checkin(journal, skipped, Answers(), skipped=True).skipped


@pytest.mark.parametrize(("answers", "message"), [
    (Answers(discomfort=11), "Discomfort is 0-10"), (Answers(discomfort=-1), "Discomfort is 0-10"),
    (Answers(ease=0), "Ease is 1-5"), (Answers(ease=6), "Ease is 1-5"),
    (Answers(body_areas=("elbow-left",)), "Unknown body area"), (Answers(note="x" * 10_001), "10,000"),
])
def test_update_refuses_bad_values_and_changes_nothing(seeded: tuple[Journal, Seeded], answers: Answers,
                                                       message: str) -> None:
    journal, ids = seeded
    target = ids.checkin_ids[0][0]
    before = journal.checkin(target)
    with pytest.raises(JournalError, match=message):
        update_checkin(journal, target, answers)
    assert journal.checkin(target) == before
    check_answers(Answers(discomfort=0, ease=1, note="x" * 10_000))  # the limits themselves are fine


def test_delete_removes_the_checkin_and_its_answers(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    run_id, target = ids.run_ids[0], ids.checkin_ids[0][3]
    delete_checkin(journal, target)
    assert [c.id for c in journal.checkins(run_id)] == ids.checkin_ids[0][:3]
    assert journal._db.execute("select count(*) from answers where checkin_id = ?", [target]).fetchone()[0] == 0
    assert journal.integrity() == "ok"
    with pytest.raises(JournalError, match="no check-in"):
        delete_checkin(journal, target)
    with pytest.raises(JournalError, match="no check-in"):
        update_checkin(journal, target, Answers())


def test_delete_is_one_transaction(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    target = ids.checkin_ids[1][3]
    # A trigger that refuses to delete check-ins: the answers deleted just before must come back.
    journal._db.execute("create trigger keep before delete on checkins begin select raise(abort, 'kept'); end")
    with pytest.raises(JournalError, match="kept"):
        delete_checkin(journal, target)
    assert journal.checkin(target).answers.extra == {"reach-before": -7.0, "reach-after": -2.0}
