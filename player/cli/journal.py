"""``movement-player journal ...``: list, show, export, import and back up the journal. No Qt, except that
``export --format pdf`` loads its writer (Qt) when it runs (see ``core/journal/export_formats.py``)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from player.core.errors import JournalError
from player.core.journal.backup import backup_journal
from player.core.journal.export_formats import ExportScope, export_formats, format_named, write_export
from player.core.journal.health import check_folder
from player.core.journal.imports import JournalImportError, import_file
from player.core.journal.review import RunFilter, SessionCatalog, count_runs, run_detail, run_history
from player.core.journal.store import Journal
from player.core.localtime import local_moment
from player.core.paths import journal_path
from player.core.session.library import library_roots, scan_library
from player.core.session.question_kinds import answer_label, answer_text
from player.core.session.questions import body_area_label
from player.core.text import printable

# An import with many problems prints this many, then how many more there are.
PRINTED_PROBLEMS = 50


def add_journal_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``journal`` command and its actions."""
    journal = commands.add_parser("journal", help="list, show, export, import or back up your journal")
    actions = journal.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list practice runs, newest first, with their discomfort figures")
    _filters(listing)
    show = actions.add_parser("show", help="show one run with every check-in and answer")
    show.add_argument("run_id", metavar="RUN_ID", help="the run's number (see: journal list)")
    export = actions.add_parser("export", help="export runs as CSV, JSON (re-importable), Markdown or a PDF report")
    export.add_argument("--format", required=True, choices=[f.name for f in export_formats()],
                        help="; ".join(f"{f.name}: {f.help}" for f in export_formats()))
    export.add_argument("--output", required=True, metavar="FILE", type=Path, help="the file to write (replaced)")
    _filters(export)
    importing = actions.add_parser("import", help="add the runs of a JSON export (what is already there is kept)")
    importing.add_argument("file", metavar="FILE.json", type=Path, help="a file made by: journal export --format json")
    backup = actions.add_parser("backup", help="a consistent copy of the journal, safe while the app is running")
    backup.add_argument("destination", metavar="DEST", type=Path, help="the copy's file name")
    backup.add_argument("--force", action="store_true", help="replace DEST when it exists")


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="only runs on or after this day (YYYY-MM-DD, local time)")
    parser.add_argument("--until", metavar="DATE", help="only runs on or before this day (YYYY-MM-DD)")
    parser.add_argument("--session", metavar="ID", help="only runs of this session id (see: movement-player sessions)")


def run_journal(args: argparse.Namespace, data_directory: Path) -> int:
    """Run ``journal ...``; returns the exit code. Problems are one line on stderr and exit code 1."""
    path = journal_path(data_directory)
    try:
        check_folder(data_directory)
        if args.journal_command == "backup":
            return _backup(path, args.destination, force=args.force)
        if args.journal_command == "import":
            with Journal.open(path) as journal:
                return _import(journal, args.file)
        if not path.exists():
            raise JournalError(f"There is no journal at {path} yet: it is created when the app first opens.")
        entries = scan_library(library_roots(data_directory))
        catalog = SessionCatalog.from_sessions(e.session for e in entries if e.session)
        with Journal.open(path) as journal:
            if args.journal_command == "show":
                return _show(journal, args.run_id, catalog)
            since, until = _day(args.since, "--since"), _day(args.until, "--until")
            if args.journal_command == "list":
                return _list(journal, RunFilter(since=since, until=until, session_id=args.session), catalog)
            return _export(journal, args, catalog, since=since, until=until)
    except JournalImportError as exc:
        print(f"Not imported: {exc.message}", file=sys.stderr)
        for problem in exc.problems[:PRINTED_PROBLEMS]:
            print(f"  {problem}", file=sys.stderr)
        hidden = len(exc.problems) - PRINTED_PROBLEMS + exc.more
        if hidden > 0:
            print(f"  ... and {hidden} more", file=sys.stderr)
        return 1
    except JournalError as exc:
        print(exc.message, file=sys.stderr)
        return 1


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise JournalError(f"{option}: expected a day like 2026-11-23, got {text!r}.") from None


def _list(journal: Journal, where: RunFilter, catalog: SessionCatalog) -> int:
    runs = run_history(journal, where=where, limit=None)
    if not runs:
        print("No runs." if count_runs(journal) else "No runs yet.")
        return 0
    rows = [("ID", "STARTED", "SESSION", "DONE", "CHECK-INS", "MEAN", "MAX")]
    for s in runs:
        rows.append((str(s.run.id), f"{local_moment(s.run.started_at):%Y-%m-%d %H:%M}",
                     catalog.session_title(s.run.session_id), "yes" if s.run.completed else "no",
                     str(s.checkin_count), "-" if s.mean_discomfort is None else f"{s.mean_discomfort:.1f}",
                     "-" if s.max_discomfort is None else str(s.max_discomfort)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print(f"{len(runs)} run{'' if len(runs) == 1 else 's'}; MEAN and MAX are the discomfort (0-10) of the answered "
          "check-ins.")
    return 0


def _show(journal: Journal, run_id: str, catalog: SessionCatalog) -> int:
    if not run_id.isdigit():
        raise JournalError(f"RUN_ID is a number (see: movement-player journal list), not {run_id!r}.")
    detail = run_detail(journal, int(run_id))
    run = detail.run
    ended = f" to {local_moment(run.ended_at):%H:%M}" if run.ended_at else ""
    state = "completed" if run.completed else "not completed"
    print(f"Run {run.id}: {catalog.session_title(run.session_id)}, {local_moment(run.started_at):%a %d %b %Y %H:%M}"
          f"{ended}, {state}")
    for c in detail.checkins:
        title = catalog.snippet_title(run.session_id, c.snippet_id)
        print(f"\n  {local_moment(c.answered_at):%H:%M}  {title}" + ("  (skipped)" if c.skipped else ""))
        a = c.answers
        questions = {q.id: q for q in catalog.questions(run.session_id, c.snippet_id)}
        facts = [f"discomfort {a.discomfort}" if a.discomfort is not None else "",
                 f"ease {a.ease}" if a.ease is not None else "",
                 "where: " + ", ".join(body_area_label(x) for x in a.body_areas) if a.body_areas else ""]
        if any(facts):
            print("    " + "; ".join(f for f in facts if f))
        if a.note:
            print(f"    note: {printable(a.note)}")  # a note is text from a file: escapes shown, not obeyed
        for question_id, value in a.extra.items():
            question = questions.get(question_id)
            print(f"    {printable(answer_label(question, question_id))}: {printable(answer_text(value, question))}")
    if not detail.checkins:
        print("\n  No check-ins.")
    if detail.followup:
        note = f" ({printable(detail.followup.note)})" if detail.followup.note else ""
        print(f"\nNext day ({detail.followup.asked_on:%d %b}): {detail.followup.answer or 'dismissed'}{note}")
    return 0


def _export(journal: Journal, args: argparse.Namespace, catalog: SessionCatalog, *, since: date | None,
            until: date | None) -> int:
    output: Path = args.output
    if output.is_dir():
        raise JournalError(f"{output} is a folder; give the file to write, e.g. {output / ('journal.' + args.format)}.")
    if not output.parent.is_dir():
        raise JournalError(f"The folder {output.parent} does not exist.")
    scope = ExportScope(since=since, until=until, session_id=args.session, catalog=catalog, today=date.today())
    count = write_export(journal, output, format=args.format, scope=scope)
    print(format_named(args.format).done_text.format(runs=count, path=output))
    return 0


def _import(journal: Journal, file: Path) -> int:
    result = import_file(journal, file)
    print(f"Imported {result.runs_added} runs, {result.checkins_added} check-ins and {result.followups_added} "
          f"follow-ups from {file.name}.")
    if result.runs_present or result.checkins_present:
        print(f"Already in the journal, left as they were: {result.runs_present} runs, "
              f"{result.checkins_present} check-ins.")
    return 0


def _backup(path: Path, destination: Path, *, force: bool) -> int:
    result = backup_journal(path, destination, overwrite=force)
    if result.integrity != "ok":
        print(f"Copied to {destination}, but the journal fails its integrity check: {result.integrity}",
              file=sys.stderr)
        return 1
    print(f"Backed up {result.runs} runs and {result.checkins} check-ins to {destination} (integrity ok).")
    return 0
