"""Journal export formats, registered once: name, file extension, writer and whether it needs Qt.

The console's ``journal export --format`` choices and the app's File > Export menu are built from
:func:`export_formats`. A writer is named as ``"module:function"`` and imported only when that format is
written, so the PDF writer (Qt, in ``player.ui``) loads Qt only for a PDF and core never imports the UI.
Adding a format: write a :data:`Writer` and add one :class:`ExportFormat` to the list at the end of this file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path
from typing import cast

from player.core.errors import JournalError
from player.core.journal.review_filters import SessionCatalog
from player.core.journal.store import Journal


@dataclass(frozen=True)
class ExportScope:
    """Which runs an export covers and how it is labelled.

    ``since``/``until`` are local days (inclusive; None: no bound); ``session_id`` None means every session;
    ``catalog`` gives session and snippet titles; ``today`` is the day a report says it was prepared
    (None: today); ``tz`` is the local time zone (None: the machine's).
    """

    since: date | None = None
    until: date | None = None
    session_id: str | None = None
    catalog: SessionCatalog | None = None
    today: date | None = None
    tz: tzinfo | None = None


# Writes the export of ``scope`` to the path (replaced only when complete) and returns how many runs it holds;
# raises JournalError when the file cannot be written.
Writer = Callable[[Journal, Path, ExportScope], int]


@dataclass(frozen=True)
class ExportFormat:
    """One export format. ``writer`` is ``"module:function"`` (a :data:`Writer`), imported when used."""

    name: str  # the --format value, e.g. "csv"
    extension: str  # the file suffix without its dot
    title: str  # after "Export your journal as ...", e.g. "CSV", "a PDF report"
    kind: str  # the file dialog's filter name: "CSV" gives "CSV files (*.csv)"
    menu_text: str  # the File > Export journal as entry
    help: str  # the console's --format help for this choice
    writer: str
    needs_qt: bool = False
    done_text: str = "Exported {runs} runs to {path}."  # what the console prints when done

    @property
    def file_filter(self) -> str:
        """The save dialog's filter, e.g. ``CSV files (*.csv)``."""
        return f"{self.kind} files (*.{self.extension})"

    def load_writer(self) -> Writer:
        """The writer function. Raises JournalError when it cannot be loaded (Qt missing for a Qt writer)."""
        module_name, _, function = self.writer.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            needs = "Qt (PySide6)" if self.needs_qt else module_name
            raise JournalError(f"Exporting {self.title} needs {needs}, which could not be loaded: {exc}.",
                               detail=repr(exc)) from exc
        return cast(Writer, getattr(module, function))


_FORMATS: dict[str, ExportFormat] = {}


def register_format(fmt: ExportFormat) -> None:
    """Make ``fmt`` available to the console, the File menu and :func:`write_export`; ValueError on a clash."""
    if fmt.name in _FORMATS:
        raise ValueError(f"export format {fmt.name!r} is registered already")
    _FORMATS[fmt.name] = fmt


def unregister_format(name: str) -> None:
    """Forget the format ``name`` (tests add formats for a while)."""
    _FORMATS.pop(name, None)


def export_formats() -> tuple[ExportFormat, ...]:
    """Every registered format, in registration order (the order of the menu and of ``--format``)."""
    return tuple(_FORMATS.values())


def format_named(name: str) -> ExportFormat:
    """The format called ``name``; raises JournalError naming the known ones when there is none."""
    if name not in _FORMATS:
        raise JournalError(f"Unknown export format {name!r} (expected one of {', '.join(_FORMATS)}).")
    return _FORMATS[name]


def write_export(journal: Journal, path: Path, *, format: str, scope: ExportScope) -> int:
    """Write ``journal``'s runs in ``scope`` to ``path`` as ``format``; returns how many runs it holds.

    Raises JournalError for an unknown format, a writer that cannot be loaded, or a file that cannot be written.
    """
    return format_named(format).load_writer()(journal, path, scope)


for _fmt in (
    ExportFormat(name="csv", extension="csv", title="CSV", kind="CSV",
                 menu_text="CSV spreadsheet (one row per check-in)…", help="one row per check-in",
                 writer="player.core.journal.exports:write_csv_file"),
    ExportFormat(name="json", extension="json", title="JSON", kind="JSON",
                 menu_text="JSON (complete, can be imported again)…", help="complete, re-importable",
                 writer="player.core.journal.exports:write_json_file"),
    ExportFormat(name="md", extension="md", title="Markdown", kind="Markdown", menu_text="Markdown (readable text)…",
                 help="readable", writer="player.core.journal.exports:write_markdown_file"),
    ExportFormat(name="pdf", extension="pdf", title="a PDF report", kind="PDF",
                 menu_text="PDF report for a clinician (one page)…", help="a one-page report for a clinician",
                 writer="player.ui.journal.report_pdf:write_report_file", needs_qt=True,
                 done_text="Wrote a one-page report of {runs} runs to {path}."),
):
    register_format(_fmt)
