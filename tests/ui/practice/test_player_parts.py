"""The snippet list beside the video: rows sized for their wrapped titles, kept right as the width and marks change."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from player.ui.practice.player_parts import SnippetList, WrappedRow

TITLES = [f"Part {n}: where the big toe meets the hip{' and the spine rolls down' * (n % 3)}" for n in range(1, 9)]


def heights(listing: SnippetList) -> list[int]:
    return [listing.visualItemRect(listing.item(row)).height() for row in range(listing.count())]


def measured(listing: SnippetList) -> list[int]:
    """Each row's height measured afresh for the list's width now: its wrapped text and the padding around it."""
    width = listing.viewport().width() - 2 * WrappedRow.PADDING
    metrics = listing.fontMetrics()
    return [metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap,
                                 listing.item(row).text()).height() + 2 * WrappedRow.PADDING
            for row in range(listing.count())]


def shown(qtbot: QtBot, listing: SnippetList) -> None:
    """Wait until the rows are laid out for the list's width now."""
    qtbot.waitUntil(lambda: listing.viewport_width() == listing.viewport().width()
                    and listing.visualItemRect(listing.item(0)).width() == listing.viewport().width(), timeout=2000)
    qtbot.waitUntil(lambda: heights(listing) == measured(listing), timeout=2000)


def test_rows_are_measured_again_when_the_width_changes(qtbot: QtBot) -> None:
    listing = SnippetList()
    qtbot.addWidget(listing)
    listing.show_progress(TITLES, current=0, done=set())  # before the list is on screen: its width still unknown
    listing.resize(280, 900)
    listing.show()
    shown(qtbot, listing)
    narrow = heights(listing)
    assert max(narrow) > min(narrow)  # some titles need more lines than others at this width
    listing.setFixedWidth(520)
    shown(qtbot, listing)
    wide = heights(listing)
    assert sum(wide) < sum(narrow)  # fewer lines: kept heights were not reused for the new width
    listing.setFixedWidth(280)
    shown(qtbot, listing)
    assert heights(listing) == narrow


def test_new_marks_change_the_rows_in_place(qtbot: QtBot) -> None:
    listing = SnippetList()
    qtbot.addWidget(listing)
    listing.setFixedWidth(280)
    listing.show()
    listing.show_progress(TITLES, current=0, done=set())
    shown(qtbot, listing)
    first = listing.item(1)
    listing.show_progress(TITLES, current=1, done={0}, failed={2})
    assert listing.item(1) is first and listing.currentRow() == 1
    texts = [listing.item(row).text() for row in range(3)]
    assert texts == [f"✓  1. {TITLES[0]}", f"▶  2. {TITLES[1]}", f"✗  3. {TITLES[2]}"]
    assert listing.item(2).toolTip() == "Could not be played: click to try again"
    assert listing.item(1).toolTip() == "Play this snippet now"
    shown(qtbot, listing)  # every row still fits its text with its new mark
    listing.show_progress(TITLES[:2], current=0, done=set())  # another session: its own rows
    assert listing.count() == 2 and listing.item(1).text() == f"    2. {TITLES[1]}"
