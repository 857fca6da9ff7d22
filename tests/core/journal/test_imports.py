"""Importing JSON: malformed or hostile documents report every problem with its path and change nothing."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from player.core.journal import import_checks, import_json
from player.core.journal import imports as journal_import
from player.core.journal.exports import document_text, load_records
from player.core.journal.imports import JournalImportError, import_document, import_file, validate_document
from player.core.journal.store import Journal, iso_utc
from tests.conftest import REPO
from tests.journal_seed import Seeded

Document = dict[str, Any]


@pytest.fixture
def document(seeded: tuple[Journal, Seeded]) -> Document:
    journal, _ = seeded
    return json.loads(document_text(load_records(journal)))


def refused_file(journal: Journal, path: Path, content: str | bytes) -> JournalImportError:
    """Write ``content`` to ``path``, import it, and return the refusal (the test fails if it is imported)."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(JournalImportError) as caught:
        import_file(journal, path)
    return caught.value


def problems_of(document: object) -> list[str]:
    with pytest.raises(JournalImportError) as caught:
        validate_document(document)
    return list(caught.value.problems)


def set_at(path: str, value: object) -> Callable[[Document], None]:
    """A change to the document: the value at a dotted path with [i] indexes (created when missing)."""
    def change(document: Document) -> None:
        *parents, last = path.replace("[", ".").replace("]", "").split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
    return change


@pytest.mark.parametrize(("change", "problem"), [
    (set_at("runs[3].checkins[0].discomfort", 12), "runs[3].checkins[0].discomfort: must be a whole number 0-10 or "
                                                   "null, got 12"),
    (set_at("runs[0].checkins[1].discomfort", 4.5), "runs[0].checkins[1].discomfort: must be a whole number 0-10"),
    (set_at("runs[0].checkins[1].discomfort", "4"), 'runs[0].checkins[1].discomfort: must be a whole number 0-10 '
                                                    'or null, got "4"'),
    (set_at("runs[0].checkins[1].ease", True), "runs[0].checkins[1].ease: must be a whole number 1-5 or null, got "
                                               "true"),
    (set_at("runs[0].checkins[1].ease", 0), "runs[0].checkins[1].ease: must be a whole number 1-5"),
    (set_at("runs[1].completed", 1), "runs[1].completed: must be true or false, got 1"),
    (set_at("runs[1].started_at", "yesterday"), "runs[1].started_at: must be an ISO-8601 time with a time zone"),
    (set_at("runs[1].started_at", "2026-11-03T08:00:00"), "runs[1].started_at: must be an ISO-8601 time with a time "
                                                          "zone"),
    (set_at("runs[1].ended_at", 5), "runs[1].ended_at: must be an ISO-8601 time"),
    (set_at("runs[0].session_id", ""), "runs[0].session_id: must be an id"),
    (set_at("runs[0].session_id", "x" * 101), "runs[0].session_id: must be an id of letters, digits and - _ . : (up "
                                              "to 100 characters), got a text of 101 characters"),
    (set_at("runs[0].session_id", "a b/../c"), "runs[0].session_id: must be an id"),
    (set_at("runs[0].checkins[0].note", "x" * 10_001), "runs[0].checkins[0].note: must be at most 10,000 characters, "
                                                       "got 10,001"),
    (set_at("runs[0].checkins[0].note", ["a"]), "runs[0].checkins[0].note: must be text, got a list"),
    (set_at("runs[0].checkins[0].body_areas", ["hip"]), 'runs[0].checkins[0].body_areas[0]: unknown body area "hip"'),
    (set_at("runs[0].checkins[0].body_areas", "hip-left"), "runs[0].checkins[0].body_areas: must be a list"),
    (set_at("runs[0].checkins[0].body_areas", ["hip-left", "hip-left"]), "runs[0].checkins[0].body_areas: lists an "
                                                                         "area twice"),
    (set_at("runs[0].checkins[3].answers.reach-after", True), "runs[0].checkins[3].answers.reach-after: must be a "
                                                              "number, text, a list of texts or null, got true"),
    (set_at("runs[0].checkins[3].answers.reach-after", "y" * 10_001), "runs[0].checkins[3].answers.reach-after: must "
                                                                      "be at most 10,000 characters"),
    (set_at("runs[0].checkins[3].answers.reach-after", {"a": 1}), "runs[0].checkins[3].answers.reach-after: must be "
                                                                  "a number, text, a list of up to 100 short texts"),
    (set_at("runs[0].checkins[3].answers.reach-after", 1e300), "runs[0].checkins[3].answers.reach-after: must be a "
                                                               "number up to 1e12 in size"),
    (set_at("runs[0].checkins[3].answers.discomfort", 3), "runs[0].checkins[3].answers.discomfort: must be a custom "
                                                          "question id"),
    (set_at("runs[0].checkins[3].answers", []), "runs[0].checkins[3].answers: must be an object"),
    (set_at("runs[0].checkins[0].colour", "red"), "runs[0].checkins[0].colour: unknown field"),
    (set_at("runs[0].id", 7), "runs[0].id: unknown field"),
    (set_at("runs[2].checkins[0]", "big-toe-hip"), 'runs[2].checkins[0]: must be an object, got "big-toe-hip"'),
    (set_at("runs[2].checkins", {}), "runs[2].checkins: must be a list, got an object"),
    (set_at("runs[0].followup.answer", "great"), 'runs[0].followup.answer: must be "better", "same", "worse" or '
                                                 'null, got "great"'),
    (set_at("runs[0].followup.asked_on", "2026-02-30"), "runs[0].followup.asked_on: must be a date like 2026-11-24"),
    (set_at("version", 2), "version: must be 1 (this app reads version 1), got 2"),
    (set_at("version", "1"), "version: must be 1"),
    (set_at("format", "something-else"), 'format: must be "movement-player-journal", got "something-else"'),
    (set_at("runs", None), "runs: must be a list, got null"),
    (set_at("x" * 5000, 1), '"' + "x" * 37 + '...": unknown field'),
])
def test_each_problem_is_reported_with_its_path(document: Document, change: Callable[[Document], None],
                                                problem: str) -> None:
    change(document)
    assert any(found.startswith(problem) for found in problems_of(document)), problems_of(document)


def test_duplicate_runs_and_checkins(document: Document) -> None:
    document["runs"].append(copy.deepcopy(document["runs"][1]))
    document["runs"][2]["checkins"][1]["answered_at"] = document["runs"][2]["checkins"][0]["answered_at"]
    assert problems_of(document) == [
        "runs[2].checkins[1]: the same check-in (snippet_id and answered_at) as checkins[0]",
        "runs[5]: the same run (session_id and started_at) as runs[1]",
    ]


def test_the_same_time_written_differently_is_a_duplicate(document: Document) -> None:
    document["runs"].append(copy.deepcopy(document["runs"][0]))
    document["runs"][-1]["started_at"] = "2026-11-02T09:00:00+01:00"  # = 08:00Z
    assert problems_of(document) == ["runs[5]: the same run (session_id and started_at) as runs[0]"]


def test_missing_fields(document: Document) -> None:
    del document["runs"][0]["started_at"], document["runs"][0]["checkins"][0]["snippet_id"], document["version"]
    assert problems_of(document) == ["version: missing", "runs[0].started_at: missing",
                                     "runs[0].checkins[0].snippet_id: missing"]


def test_every_problem_at_once_and_nothing_changes(seeded: tuple[Journal, Seeded], document: Document,
                                                   tmp_path: Path) -> None:
    journal, _ = seeded
    before = document_text(load_records(journal))
    fresh = copy.deepcopy(document)
    for run in fresh["runs"]:
        run["started_at"] = run["started_at"].replace("2026", "2027")  # all new runs...
    fresh["runs"][4]["checkins"][1]["discomfort"] = -1  # ...but one bad value
    fresh["runs"][0]["unknown"] = True
    refused = refused_file(journal, tmp_path / "bad.json", json.dumps(fresh))
    assert refused.problems == ("runs[0].unknown: unknown field",
                                "runs[4].checkins[1].discomfort: must be a whole number 0-10 or null, got -1")
    assert refused.message == "The file has 2 problems; nothing was imported."
    assert document_text(load_records(journal)) == before


def test_many_problems_are_capped(document: Document) -> None:
    for run in document["runs"]:
        run["checkins"] = [{"snippet_id": "a", "answered_at": f"2026-01-01T00:00:{i % 60:02d}.{i // 60:03d}Z",
                            "discomfort": 99} for i in range(600)]
    with pytest.raises(JournalImportError) as caught:
        validate_document(document)
    assert len(caught.value.problems) == import_checks.MAX_PROBLEMS and caught.value.more == 3000 - 1000
    assert caught.value.message.startswith("The file has 3000 problems")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is not valid JSON"),
    (b"{", "is not valid JSON"),
    (b'{"format": NaN}', "NaN is not a number JSON allows"),
    (b'{"version": Infinity}', "Infinity is not a number JSON allows"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"a": ' + b"9" * 5000 + b"}", "is not valid JSON"),
    (b"\xff\xfe{}", "is not UTF-8 text"),
    (b"[]", "must be an object, got a list"),
    (b'{"format": "movement-player-journal", "version": 1, "runs": [], "runs": 3}', "runs: appears twice"),
])
def test_hostile_files(seeded: tuple[Journal, Seeded], tmp_path: Path, content: bytes, message: str) -> None:
    journal, _ = seeded
    refused = refused_file(journal, tmp_path / "hostile.json", content)
    assert message in refused.message + "\n".join(refused.problems)
    assert journal._db.table("runs").count == 5


def test_duplicate_keys_inside_a_checkin(seeded: tuple[Journal, Seeded], tmp_path: Path) -> None:
    journal, _ = seeded
    text = document_text(load_records(journal)).replace('"discomfort": 5,', '"discomfort": 5, "discomfort": 1,', 1)
    assert refused_file(journal, tmp_path / "twice.json", text).problems == (
        "runs[0].checkins[0].discomfort: appears twice in the same object",)


def test_huge_files_are_refused_before_reading(seeded: tuple[Journal, Seeded], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    journal, _ = seeded
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2_000)
    monkeypatch.setattr(journal_import, "MAX_IMPORT_BYTES", 1_000)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file it should have refused"))
    with pytest.raises(JournalImportError, match="takes files up to"):
        import_file(journal, path)


def test_missing_file(seeded: tuple[Journal, Seeded], tmp_path: Path) -> None:
    with pytest.raises(JournalImportError, match="cannot be read"):
        import_file(seeded[0], tmp_path / "nope.json")


def test_an_import_is_one_transaction(seeded: tuple[Journal, Seeded], document: Document, tmp_path: Path) -> None:
    journal, _ = seeded
    with Journal.open(tmp_path / "empty.db") as empty:
        # The database refuses the last check-in: everything inserted before it must go too.
        empty._db.execute("create trigger refuse before insert on checkins when new.snippet_id = 'toe-touch-test' "
                         "and new.answered_at like '2026-11-11%' begin select raise(abort, 'refused'); end")
        with pytest.raises(Exception, match="refused"):
            import_document(empty, document)
        assert [empty._db.table(t).count for t in ("runs", "checkins", "answers", "followups")] == [0, 0, 0, 0]


def test_a_hand_written_document_with_defaults(tmp_path: Path) -> None:
    document = {"format": "movement-player-journal", "version": 1, "runs": [
        {"session_id": "s", "started_at": "2026-11-02T09:00:00+01:00",
         "checkins": [{"snippet_id": "a", "answered_at": "2026-11-02T08:01:00Z", "discomfort": 0}]}]}
    with Journal.open(tmp_path / "journal.db") as journal:
        import_document(journal, document)
        (record,) = load_records(journal)
    assert record.run.started_at == "2026-11-02T08:00:00.000Z" and record.run.ended_at is None
    assert not record.run.completed and record.followup is None
    (checkin,) = record.checkins
    assert checkin.answered_at == "2026-11-02T08:01:00.000Z" and checkin.answers.discomfort == 0
    assert checkin.answers.note == "" and checkin.answers.body_areas == () and not checkin.skipped


# --- issue 10 item 5: hostile values never traceback; memory stays bounded (issue 13: streamed) ------------------

def test_lone_surrogates_are_refused_with_their_path(seeded: tuple[Journal, Seeded], tmp_path: Path) -> None:
    journal, _ = seeded
    text = document_text(load_records(journal)).replace('"Left big toe stiff, hip tight"', '"stiff \\ud800 toe"', 1)
    assert refused_file(journal, tmp_path / "surrogate.json", text).problems == (
        "runs[0].checkins[0].note: holds \\ud800, which is not text (a lone UTF-16 surrogate)",)
    assert journal._db.table("runs").count == 5


@pytest.mark.parametrize("areas", [[["hip-left"]], [{"a": 1}], [3], [None]])
def test_body_areas_that_are_not_text_are_refused(document: Document, areas: list[object]) -> None:
    document["runs"][3]["checkins"][0]["body_areas"] = areas
    (problem,) = problems_of(document)
    assert problem.startswith("runs[3].checkins[0].body_areas[0]: must be a body area id (text), got ")


def test_a_run_with_many_check_ins_is_read_one_check_in_at_a_time(tmp_path: Path) -> None:
    checkins = [{"snippet_id": "a", "answered_at": f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}.000Z"}
                for i in range(import_json.RUN_OBJECTS_IN_ONE_GO + 10)]
    document = {"format": "movement-player-journal", "version": 1,
                "runs": [{"checkins": checkins, "session_id": "s", "started_at": "2026-01-01T00:00:00Z"}]}
    with Journal.open(tmp_path / "journal.db") as journal:
        result = import_document(journal, document)
        assert result.checkins_added == len(checkins)
        run = journal.runs()[0]
        assert [c.answered_at for c in journal.checkins(run.id)][:2] == [checkins[0]["answered_at"],
                                                                         checkins[1]["answered_at"]]


def test_memory_while_importing_stays_within_a_few_times_the_file(tmp_path: Path) -> None:
    import tracemalloc

    start = datetime(2025, 1, 1, tzinfo=UTC)
    runs = [{"session_id": "s", "started_at": iso_utc(start + timedelta(minutes=i)),
             "checkins": [{"snippet_id": f"s{j}", "answered_at": iso_utc(start + timedelta(minutes=i, seconds=j)),
                           "discomfort": 3, "body_areas": ["hip-left"], "note": "n" * 40} for j in range(4)]}
            for i in range(3000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"format": "movement-player-journal", "version": 1, "runs": runs}))
    size = path.stat().st_size
    del runs
    with Journal.open(tmp_path / "journal.db") as journal:
        tracemalloc.start()
        try:
            import_file(journal, path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert journal.counts() == (3000, 12000)
    assert peak < 5 * size, f"{peak / size:.1f} bytes of memory per byte of file"


def test_the_import_limit_is_one_a_normal_computer_can_honour() -> None:
    assert journal_import.MAX_IMPORT_BYTES <= 64 * 1024**2  # at ~4 bytes of memory per byte: well under 1 GB


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)
FIELDS = sorted(import_checks.RUN_FIELDS | import_checks.CHECKIN_FIELDS | {"format", "version", "runs"})


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_mutation_of_an_export_is_imported_or_refused_with_paths(data: st.DataObject) -> None:
    """Structured mutations of a real export (types, huge numbers, unicode, nesting): imported, or refused
    with problems that each name a path; never a traceback, and a refused import writes nothing."""
    document: Any = {"format": "movement-player-journal", "version": 1, "runs": [
        {"session_id": "s", "started_at": "2026-11-02T08:00:00Z", "completed": True, "checkins": [
            {"snippet_id": "a", "answered_at": "2026-11-02T08:01:00Z", "discomfort": 3, "ease": 4,
             "body_areas": ["hip-left"], "note": "fine", "answers": {"reach": 4.5}}]}]}
    for _ in range(data.draw(st.integers(1, 4))):
        target: Any = document
        path = data.draw(st.sampled_from([(), ("runs",), ("runs", 0), ("runs", 0, "checkins"),
                                          ("runs", 0, "checkins", 0), ("runs", 0, "checkins", 0, "answers")]))
        try:
            for step in path:
                target = target[step]
        except (KeyError, IndexError, TypeError):
            continue
        value = data.draw(JSON_VALUES | st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                                                min_size=1, max_size=3))
        if isinstance(target, dict):
            target[data.draw(st.sampled_from(FIELDS) | st.text(max_size=8))] = value
        elif isinstance(target, list) and target:
            target[data.draw(st.integers(0, len(target) - 1))] = value
    with tempfile.TemporaryDirectory() as folder, Journal.open(Path(folder) / "journal.db") as journal:
        try:
            import_document(journal, document)
        except JournalImportError as exc:
            assert exc.message and all(": " in problem for problem in exc.problems)
            assert journal.counts() == (0, 0)


DENSE_CHILD = """
import resource, sys
from pathlib import Path
from player.core.journal import imports
from player.core.journal.store import Journal
with Journal.open(Path(sys.argv[2])) as journal:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        imports.import_file(journal, Path(sys.argv[1]))
    except imports.JournalImportError as exc:
        print(exc.message)
    print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)
"""


@pytest.mark.parametrize("filler", ["[]", "{}", '"ab"', "1.5"])
def test_a_dense_hostile_value_is_refused_before_it_is_parsed(tmp_path: Path, filler: str) -> None:
    """One check-in holding just over a mebibyte of tiny values: parsed whole, ~25 bytes of memory per byte."""
    inner = ",".join([filler] * (import_json.MAX_VALUE_CHARS // (len(filler) + 1) + 1_000))
    path = tmp_path / "dense.json"
    path.write_text('{"format": "movement-player-journal", "version": 1, "runs": [{"session_id": "s", "started_at": '
                    '"2026-01-01T00:00:00Z", "checkins": [{"snippet_id": "a", "answered_at": "2026-01-01T00:00:00Z", '
                    f'"answers": {{"q": [{inner}]}}}}]}}]}}')
    del inner
    done = subprocess.run([sys.executable, "-c", DENSE_CHILD, str(path), str(tmp_path / "journal.db")], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    message, grown = done.stdout.splitlines()
    assert message.endswith("is longer than 1,048,576 characters; no run or check-in of an export is.")
    assert int(grown) < 4 * path.stat().st_size + 8 * 1024**2, f"grew {int(grown) / 1e6:.0f} MB"
    with Journal.open(tmp_path / "journal.db") as journal:
        assert journal.counts() == (0, 0)


def test_an_export_measured_value_by_value_imports_whole(seeded: tuple[Journal, Seeded], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    journal, _ = seeded
    compact = json.dumps(json.loads(document_text(load_records(journal))), separators=(",", ":"))
    path = tmp_path / "compact.json"
    path.write_text(compact)
    monkeypatch.setattr(import_json, "DENSE_CONTAINERS", 0.0)  # as if it were dense: every value measured
    assert import_json.Scanner(compact, "x").guarded
    with Journal.open(tmp_path / "empty.db") as empty:
        result = import_file(empty, path)
        assert (result.runs_added, result.checkins_added) == (5, 13)
