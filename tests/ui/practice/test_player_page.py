"""The player page on its own: the error panel is made when a snippet first cannot be played, and works then."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QPushButton
from pytestqt.qtbot import QtBot

from player.ui.practice.player_page import PlayerPage


def test_the_error_panel_is_made_when_first_needed_and_its_keys_work(qtbot: QtBot) -> None:
    page = PlayerPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)  # the page's keys are shortcuts: they need the window active
    page.show_snippet(session_title="Demo", title="First movement", number=1, count=2)
    assert page.findChild(QFrame, "errorPanel") is None  # most runs never show it
    assert not page.showing_error()
    with qtbot.assertNotEmitted(page.go_on_requested):
        qtbot.keyClick(page, Qt.Key.Key_Return)  # Enter goes on only from the error
    page.show_error("one.mp4 could not be decoded")
    assert page.showing_error() and page.findChild(QFrame, "errorPanel") is page.error_panel
    assert page.error_panel.isVisible() and page.error_label.isVisible()
    assert page.error_label.text() == "one.mp4 could not be decoded"
    names = {button.accessibleName() for button in page.error_panel.findChildren(QPushButton)}
    assert names == {"Try again", "Go on to the next snippet"}
    with qtbot.waitSignal(page.replay_requested, timeout=1000):
        qtbot.keyClick(page, Qt.Key.Key_R)
    with qtbot.waitSignal(page.go_on_requested, timeout=1000):
        qtbot.keyClick(page, Qt.Key.Key_Return)
    panel = page.error_panel
    page.show_snippet(session_title="Demo", title="Second movement", number=2, count=2)
    assert not page.showing_error() and page.stack.currentWidget() is page.video
    page.show_error("two.mp4 is missing")
    assert page.error_panel is panel and page.error_label.text() == "two.mp4 is missing"  # made once
