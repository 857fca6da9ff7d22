"""Adding a question kind is one core definition and one widget: a kind made up here flows through the check-in,
the journal, the summary, the edit dialog, the CSV and JSON exports and the JSON import. The summary words a
list answer as ``a, b``, like the run detail."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from player.core.journal.exports import export_file
from player.core.journal.imports import JournalImportError, import_file
from player.core.journal.review import SessionCatalog
from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import read_entry
from player.core.session.manifest import Session
from player.core.session.question_kinds import Answer, AnswerError, QuestionKind, kind_registered, unregister_kind
from player.core.session.questions import Question
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.journal.checkin_edit_dialog import CheckinEditDialog
from player.ui.journal.run_detail_view import checkin_cells
from player.ui.shared.question_inputs import input_registered
from tests.conftest import DATA, NO_COUNTDOWN

MANIFEST = """
schema = 1
id = "yes-no-demo"
title = "Yes-no demo"
summary = "One snippet with a made-up question kind."

[[preview]]
id = "one"
title = "First movement"
media = "demo/one.mp4"
duration_s = 2.0
checkin = ["standard",
  { id = "taller", kind = "yesno", prompt = "Felt taller?" },
  { id = "also", kind = "body", prompt = "Anywhere else?" }]
"""


class YesNoKind(QuestionKind):
    """Yes or no, stored as JSON true/false, shown as yes/no."""

    name = "yesno"

    def reads_json(self, raw: object) -> bool:
        return isinstance(raw, bool)

    def from_json(self, raw: object) -> Answer:
        if isinstance(raw, bool):
            return raw
        raise AnswerError(f"must be true or false, got {raw!r}")

    def text(self, value: Answer, question: Question | None = None) -> str:
        return "yes" if value else "no"

    def data_text(self, value: Answer) -> str:
        return "yes" if value else "no"


class YesNoInput(QComboBox):
    """Not answered, yes or no."""

    CHOICES: dict[str, bool | None] = {"": None, "yes": True, "no": False}

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.addItems(list(self.CHOICES))
        self.setAccessibleName(question.prompt)

    def value(self) -> Answer:
        return self.CHOICES[self.currentText()]

    def set_value(self, value: Answer) -> None:
        self.setCurrentText({True: "yes", False: "no"}.get(value, "") if isinstance(value, bool) else "")

    def problem(self) -> str:
        return ""


@pytest.fixture
def yes_no() -> Iterator[None]:
    with kind_registered(YesNoKind()), input_registered("yesno", YesNoInput):
        yield


@pytest.fixture
def practice(yes_no: None, qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[App, Session]]:
    (tmp_path / "lib" / "sessions").mkdir(parents=True)
    (tmp_path / "lib" / "media" / "demo").mkdir(parents=True)
    shutil.copy(DATA / "clip-2s.mp4", tmp_path / "lib" / "media" / "demo" / "one.mp4")
    manifest = tmp_path / "lib" / "sessions" / "yes-no-demo.toml"
    manifest.write_text(MANIFEST)
    entry = read_entry(manifest, media_dir=tmp_path / "lib" / "media")
    assert entry.session is not None, entry
    application = App(settings=NO_COUNTDOWN, entries=[entry], journal=Journal.open(tmp_path / "data" / "journal.db"),
                      backend=FakeBackend(durations_ms={"one.mp4": 2000}), licenses=LicenseStore(tmp_path / "lic"),
                      now=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    qtbot.addWidget(application.window)
    yield application, entry.session
    application.shut_down()


def test_a_new_kind_flows_from_checkin_to_import(practice: tuple[App, Session], qtbot: QtBot,
                                                 tmp_path: Path) -> None:
    app, session = practice
    assert app.start_session("yes-no-demo") and app.controller is not None
    app.controller.end_now()
    checkin = app.window.checkin
    assert app.window.pages.currentWidget() is checkin
    checkin.inputs["taller"].set_value(True)
    checkin.inputs["also"].set_value(["neck", "jaw-left"])
    checkin.inputs["discomfort"].set_value(2)
    checkin.save_button.click()

    # saved, as its JSON value
    run = app.journal.runs()[0]
    saved = app.journal.checkins(run.id)[0]
    assert dict(saved.answers.extra) == {"taller": True, "also": ["neck", "jaw-left"]}
    # the summary words it through its kind; a list answer reads "a, b" (it read ['neck', 'jaw-left'] before)
    summary = app.window.summary
    assert app.window.pages.currentWidget() is summary
    assert [summary.table.item(0, column).text() for column in (1, 4)] == [  # type: ignore[union-attr]
        "2 / 10", "Felt taller?: yes · Anywhere else?: Neck, Jaw (left)"]
    # the run detail words it the same way
    cells = checkin_cells(saved, SessionCatalog.from_sessions([session]), session.id)
    assert cells[2] == "2 / 10" and cells[6] == "Felt taller?: yes\nAnywhere else?: Neck, Jaw (left)"
    # the edit dialog shows it again through its widget, and keeps it
    snippet = session.snippet("one")
    assert snippet is not None
    dialog = CheckinEditDialog(saved, snippet.questions, title="First movement", when="today")
    qtbot.addWidget(dialog)
    assert dialog.inputs["taller"].value() is True and dialog.inputs["also"].value() == ["neck", "jaw-left"]
    assert dict(dialog.answers().extra) == dict(saved.answers.extra)

    # CSV and JSON exports
    export_file(app.journal, tmp_path / "out.csv", format="csv")
    row = next(csv.DictReader((tmp_path / "out.csv").open(newline="", encoding="utf-8")))
    assert (row["taller"], row["also"]) == ("yes", "neck;jaw-left")
    export_file(app.journal, tmp_path / "out.json", format="json")
    answers = json.loads((tmp_path / "out.json").read_text())["runs"][0]["checkins"][0]["answers"]
    assert answers == {"taller": True, "also": ["neck", "jaw-left"]}

    # the JSON import reads it through the kind, and gives back the same document
    with Journal.open(tmp_path / "other.db") as other:
        assert import_file(other, tmp_path / "out.json").checkins_added == 1
        export_file(other, tmp_path / "again.json", format="json")
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "out.json").read_bytes()


def test_without_the_kind_the_import_refuses_its_answers(yes_no: None, tmp_path: Path) -> None:
    document = {"format": "movement-player-journal", "version": 1, "runs": [{
        "session_id": "s", "started_at": "2026-11-23T09:00:00.000Z", "checkins": [{
            "snippet_id": "one", "answered_at": "2026-11-23T09:01:00.000Z", "answers": {"taller": True}}]}]}
    (tmp_path / "doc.json").write_text(json.dumps(document))
    with Journal.open(tmp_path / "a.db") as journal:
        assert import_file(journal, tmp_path / "doc.json").checkins_added == 1
    unregister_kind("yesno")  # the same document once the kind is gone
    with Journal.open(tmp_path / "b.db") as journal, pytest.raises(JournalImportError) as refused:
        import_file(journal, tmp_path / "doc.json")
    assert refused.value.problems == ("runs[0].checkins[0].answers.taller: must be a number, text, a list of texts "
                                      "or null, got true",)
