"""Journal exports: the CSV, JSON and Markdown writers (registered in ``export_formats``, with the PDF report,
which lives in the UI). No Qt. Answers are written through their question kinds (``question_kinds``).

The JSON document is complete and re-importable. It carries no database ids: a run is identified by its
``session_id`` and ``started_at``, a check-in within its run by ``snippet_id`` and ``answered_at``, so
importing the same document twice adds nothing the second time, and export -> import into an empty
journal -> export gives the same bytes. The import itself (validation, then one transaction) is in
``imports``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path
from typing import Any, TextIO

from player.core.errors import JournalError
from player.core.files import replaced_when_done
from player.core.journal.export_formats import ExportScope, write_export
from player.core.journal.followups import Followup, followup_from_row
from player.core.journal.json_writer import write_document
from player.core.journal.review import RunFilter, SessionCatalog, run_clause
from player.core.journal.store import Answers, AnswerValue, Checkin, Journal, Run, run_from_row
from player.core.localtime import local_moment
from player.core.session.question_kinds import answer_csv, answer_data_text, answer_to_json
from player.core.session.questions import body_area_label

# The JSON document's "format" and "version"; an import refuses any other (a newer app writes a newer one).
FORMAT_NAME = "movement-player-journal"
FORMAT_VERSION = 1
CSV_FIXED_COLUMNS = ("run_id", "session_id", "started_at", "snippet_id", "answered_at", "discomfort", "ease",
                     "body_areas", "note", "skipped")
# A spreadsheet runs a cell starting with one of these as a formula; such text cells get a leading "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RunRecord:
    """A run with its check-ins (oldest first) and its follow-up: one unit of every export."""

    run: Run
    checkins: tuple[Checkin, ...]
    followup: Followup | None


def load_records(journal: Journal, *, since: date | None = None, until: date | None = None,
                 session_id: str | None = None, tz: tzinfo | None = None) -> list[RunRecord]:
    """Runs started from local day ``since`` to ``until`` (inclusive; None: no bound) of ``session_id``
    (None: all), oldest first, each with its check-ins, answers and follow-up. Four queries in all."""
    clause, params = run_clause(RunFilter(since=since, until=until, session_id=session_id), tz)
    runs = [run_from_row(row) for row in journal._db.query(
        "select id, session_id, started_at, ended_at, completed from runs r "
        f"{clause} order by started_at, session_id, id", params)]
    extras: dict[int, dict[str, AnswerValue]] = {}
    for checkin_id, question_id, value in journal._db.execute(
            "select a.checkin_id, a.question_id, a.value from answers a join checkins c on c.id = a.checkin_id "
            f"join runs r on r.id = c.run_id {clause} order by a.id", params):
        extras.setdefault(checkin_id, {})[question_id] = json.loads(value) if value is not None else None
    checkins: dict[int, list[Checkin]] = {}
    areas: dict[str, tuple[str, ...]] = {}  # a journal holds few distinct lists: parse each once
    for row in journal._db.execute(
            "select c.id, c.run_id, c.snippet_id, c.answered_at, c.discomfort, c.ease, c.body_areas, c.note, "
            f"c.skipped from checkins c join runs r on r.id = c.run_id {clause} "
            "order by c.run_id, c.sequence, c.id", params):  # within a run: the order saved
        stored = row[6] or "[]"
        if stored not in areas:
            areas[stored] = tuple(json.loads(stored))
        answers = Answers(discomfort=row[4], ease=row[5], body_areas=areas[stored],
                          note=row[7] or "", extra=extras.get(row[0], {}))
        checkins.setdefault(row[1], []).append(Checkin(id=row[0], run_id=row[1], snippet_id=row[2],
                                                       answered_at=row[3], skipped=bool(row[8]), answers=answers))
    followups = {row[0]: followup_from_row(row) for row in journal._db.execute(
        "select f.run_id, f.asked_on, f.answer, f.note, f.answered_at from followups f "
        f"join runs r on r.id = f.run_id {clause}", params)}
    return [RunRecord(run=run, checkins=tuple(checkins.get(run.id, ())), followup=followups.get(run.id))
            for run in runs]


def export_file(journal: Journal, path: Path, *, format: str, since: date | None = None,
                until: date | None = None, session_id: str | None = None, catalog: SessionCatalog | None = None,
                tz: tzinfo | None = None, today: date | None = None) -> int:
    """Write an export (any registered format: ``csv``, ``json``, ``md``, ``pdf``) of the runs that match to
    ``path`` (replaced only when complete); returns the run count.

    Raises JournalError for an unknown format or when the file cannot be written.
    """
    scope = ExportScope(since=since, until=until, session_id=session_id, catalog=catalog, today=today, tz=tz)
    return write_export(journal, path, format=format, scope=scope)


def _records(journal: Journal, scope: ExportScope) -> list[RunRecord]:
    return load_records(journal, since=scope.since, until=scope.until, session_id=scope.session_id, tz=scope.tz)


def write_csv_file(journal: Journal, path: Path, scope: ExportScope) -> int:
    """The CSV export's writer (see ``export_formats.Writer``)."""
    records = _records(journal, scope)
    with atomic_output(path, newline="") as out:
        write_csv(records, out)
    return len(records)


def write_json_file(journal: Journal, path: Path, scope: ExportScope) -> int:
    """The JSON export's writer (see ``export_formats.Writer``)."""
    records = _records(journal, scope)
    with atomic_output(path) as out:  # run by run, the same bytes as document_text(records)
        write_document(records, out, format_name=FORMAT_NAME, version=FORMAT_VERSION)
    return len(records)


def write_markdown_file(journal: Journal, path: Path, scope: ExportScope) -> int:
    """The Markdown export's writer (see ``export_formats.Writer``)."""
    records = _records(journal, scope)
    with atomic_output(path) as out:
        write_markdown(records, out, catalog=scope.catalog, tz=scope.tz)
    return len(records)


# --- CSV -----------------------------------------------------------------------------------------------


def write_csv(records: Sequence[RunRecord], out: TextIO) -> None:
    """One row per check-in: the fixed columns, then one column per custom question id (first seen first).

    Body areas are joined with ``;``, lists too; times stay ISO-8601 UTC; ``skipped`` is 0/1. Text that a
    spreadsheet would run as a formula (starting ``= + - @``) gets a leading ``'``.
    """
    question_ids: dict[str, None] = {}
    for record in records:
        for checkin in record.checkins:
            question_ids.update(dict.fromkeys(checkin.answers.extra))
    headers = [f"answer:{q}" if q in CSV_FIXED_COLUMNS else q for q in question_ids]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*CSV_FIXED_COLUMNS, *headers])
    for record in records:
        run = record.run
        for c in record.checkins:
            a = c.answers
            writer.writerow([
                run.id, run.session_id, run.started_at, c.snippet_id, c.answered_at, _blank(a.discomfort),
                _blank(a.ease), ";".join(a.body_areas), _cell_text(a.note), int(c.skipped),
                *(_csv_value(a.extra.get(q)) for q in question_ids),
            ])


def _blank(value: int | None) -> str | int:
    return "" if value is None else value


def _cell_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value: AnswerValue) -> str:
    cell = answer_csv(value)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return cell if number else _cell_text(cell)  # "-2" is a number, not a formula


# --- JSON ----------------------------------------------------------------------------------------------


def journal_document(records: Sequence[RunRecord]) -> dict[str, Any]:
    """The JSON document (plain dicts and lists, keys in a fixed order)."""
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "runs": [_run_json(r) for r in records]}


def document_text(records: Sequence[RunRecord]) -> str:
    """The JSON document as text: UTF-8, indented, one trailing newline; the same records give the same text."""
    return json.dumps(journal_document(records), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _run_json(record: RunRecord) -> dict[str, Any]:
    run, followup = record.run, record.followup
    return {
        "session_id": run.session_id, "started_at": run.started_at, "ended_at": run.ended_at,
        "completed": run.completed,
        "followup": None if followup is None else {
            "asked_on": followup.asked_on.isoformat(), "answer": followup.answer, "note": followup.note,
            "answered_at": followup.answered_at,
        },
        "checkins": [{
            "snippet_id": c.snippet_id, "answered_at": c.answered_at, "skipped": c.skipped,
            "discomfort": c.answers.discomfort, "ease": c.answers.ease, "body_areas": list(c.answers.body_areas),
            "note": c.answers.note, "answers": {q: answer_to_json(v) for q, v in c.answers.extra.items()},
        } for c in record.checkins],
    }


# --- Markdown ------------------------------------------------------------------------------------------


def write_markdown(records: Sequence[RunRecord], out: TextIO, *, catalog: SessionCatalog | None = None,
                   tz: tzinfo | None = None) -> None:
    """A readable journal: a heading per run (local time, session title) and a table of its check-ins."""
    catalog = catalog or SessionCatalog()
    out.write("# Movement Player journal\n\n")
    if not records:
        out.write("No runs in this period.\n")
        return
    first, last = records[0].run.started_at, records[-1].run.started_at
    out.write(f"{len(records)} runs, {local_moment(first, tz):%d %b %Y} to {local_moment(last, tz):%d %b %Y}"
              " (times are local).\n")
    seen: dict[object, str] = {}
    for record in records:
        run = record.run
        out.write(f"\n## {local_moment(run.started_at, tz):%a %d %b %Y, %H:%M} — "
                  f"{_md(catalog.session_title(run.session_id))}\n\n")
        state = "completed" if run.completed else "not completed"
        out.write(f"{state.capitalize()}, {len(record.checkins)} check-ins.")
        if record.followup is not None:
            answer = record.followup.answer or "dismissed"
            note = f": {_md(record.followup.note)}" if record.followup.note else ""
            out.write(f" Next day: {answer}{note}.")
        out.write("\n")
        if record.checkins:
            out.write("\n| Time | Snippet | Discomfort | Ease | Where | Note | Other answers |\n")
            out.write("| --- | --- | --- | --- | --- | --- | --- |\n")
            out.write("".join(_md_row(c, run.session_id, catalog, tz, seen) for c in record.checkins))


def _md_row(c: Checkin, session_id: str, catalog: SessionCatalog, tz: tzinfo | None, seen: dict[object, str]) -> str:
    """One table row. ``seen`` keeps the escaped cells that repeat (titles, lists of body areas) across rows."""
    a = c.answers
    title = seen.get((session_id, c.snippet_id))
    if title is None:
        title = seen[(session_id, c.snippet_id)] = _md(catalog.snippet_title(session_id, c.snippet_id))
    areas = seen.get(a.body_areas)
    if areas is None:
        areas = seen[a.body_areas] = _md(", ".join(body_area_label(x) for x in a.body_areas))
    other = "; ".join(f"{q}: {answer_data_text(v)}" for q, v in a.extra.items() if v is not None)
    score = "skipped" if c.skipped else _text(a.discomfort)  # digits and letters: nothing to escape
    return (f"| {local_moment(c.answered_at, tz):%H:%M} | {title} | {score} | {_text(a.ease)} | {areas} | "
            f"{_md(a.note) if a.note else ''} | {_md(other) if other else ''} |\n")


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


# Markdown markup characters, each escaped with a backslash (one C-level pass per cell).
MD_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#!"})


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: markup characters escaped, line breaks as <br>."""
    return "<br>".join(text.translate(MD_ESCAPES).splitlines())


# --- files ---------------------------------------------------------------------------------------------


@contextmanager
def atomic_output(path: Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """Write text to a temporary file beside ``path``, moved into place only when the block succeeds.

    Raises JournalError when the folder cannot be written.
    """
    try:
        with replaced_when_done(path) as temp, temp.open("w", encoding="utf-8", newline=newline) as out:
            yield out
    except OSError as exc:
        raise JournalError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
