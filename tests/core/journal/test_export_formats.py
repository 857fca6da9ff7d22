"""Export formats registered once: the console's --format choices come from the registry, every format writes
through its registered writer, and an unknown or unloadable format is told in plain words."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.cli.entry import build_parser, main
from player.core.errors import JournalError
from player.core.journal.export_formats import (
    ExportFormat,
    ExportScope,
    export_formats,
    format_named,
    register_format,
    unregister_format,
    write_export,
)
from player.core.journal.store import Journal
from tests.journal_seed import seeded_journal

PLAIN = ExportFormat(name="plain", extension="txt", title="plain text", kind="Text", menu_text="Plain text…",
                     help="one line per run", writer="tests.core.journal.test_export_formats:write_plain",
                     done_text="Wrote {runs} lines to {path}.")


def write_plain(journal: Journal, path: Path, scope: ExportScope) -> int:
    """A writer made up for these tests: one line per run."""
    runs = journal.runs(session_id=scope.session_id)
    path.write_text("".join(f"{run.session_id} {run.started_at}\n" for run in runs), encoding="utf-8")
    return len(runs)


@pytest.fixture
def plain() -> Iterator[ExportFormat]:
    register_format(PLAIN)
    yield PLAIN
    unregister_format(PLAIN.name)


def format_choices(parser: argparse.ArgumentParser) -> list[str]:
    """The choices of ``journal export --format`` in the console's own parser."""
    for name in ("journal", "export"):
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = commands.choices[name]
    option = next(a for a in parser._actions if "--format" in a.option_strings)
    return list(option.choices or [])


def test_the_four_formats_in_order() -> None:
    assert [(f.name, f.extension, f.needs_qt) for f in export_formats()] == [
        ("csv", "csv", False), ("json", "json", False), ("md", "md", False), ("pdf", "pdf", True)]
    assert format_named("pdf").file_filter == "PDF files (*.pdf)"


def test_console_offers_every_registered_format() -> None:
    assert format_choices(build_parser()) == [f.name for f in export_formats()]


def test_a_new_format_reaches_the_console(plain: ExportFormat, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert "plain" in format_choices(build_parser())
    journal, _ids = seeded_journal(tmp_path / "data" / "journal.db")
    journal.close()
    out = tmp_path / "runs.txt"
    code = main(["--data-dir", str(tmp_path / "data"), "journal", "export", "--format", "plain", "--output", str(out)])
    assert code == 0 and capsys.readouterr().out == f"Wrote 5 lines to {out}.\n"
    assert len(out.read_text().splitlines()) == 5


def test_unknown_and_unloadable_formats_are_told(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        with pytest.raises(JournalError, match=r"Unknown export format 'xls' \(expected one of csv, json, md, pdf\)"):
            write_export(journal, tmp_path / "x.xls", format="xls", scope=ExportScope())
        broken = ExportFormat(name="broken", extension="b", title="a broken thing", kind="B", menu_text="B",
                              help="b", writer="player.no_such_module:write", needs_qt=True)
        register_format(broken)
        try:
            with pytest.raises(JournalError, match=r"Exporting a broken thing needs Qt \(PySide6\), which could not "
                                                   "be loaded"):
                write_export(journal, tmp_path / "x.b", format="broken", scope=ExportScope())
        finally:
            unregister_format("broken")
    with pytest.raises(ValueError, match="registered already"):
        register_format(format_named("csv"))
