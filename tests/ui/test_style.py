"""One palette with the stylesheet: under a dark system theme, message boxes, menus and dialogs stay light
with dark text (issue 11: 8, "dark on dark")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QStyleFactory
from pytestqt.qtbot import QtBot

from player.ui.style import FOCUS, application_palette, apply_style


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.WindowText, "#e8eaed"),
                         (QPalette.ColorRole.Base, "#2b2c2f"), (QPalette.ColorRole.Text, "#e8eaed"),
                         (QPalette.ColorRole.Button, "#303134"), (QPalette.ColorRole.ButtonText, "#e8eaed")):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture
def dark_system(qapp: QApplication) -> Iterator[QApplication]:
    """The app as a dark desktop theme starts it; restored afterwards for the other tests."""
    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    qapp.setPalette(dark_palette())
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setPalette(palette)


def mean_lightness(image: QImage) -> float:
    values = [image.pixelColor(x, y).lightness() for y in range(0, image.height(), 4)
              for x in range(0, image.width(), 4)]
    return sum(values) / len(values)


def test_message_boxes_and_menus_are_light_with_dark_text_under_a_dark_theme(qtbot: QtBot,
                                                                              dark_system: QApplication) -> None:
    apply_style(dark_system)
    box = QMessageBox(QMessageBox.Icon.Question, "Movement Player", "Remove this key?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    box.show()
    palette = box.palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() > 200
    assert palette.color(QPalette.ColorRole.WindowText).lightness() < 80
    assert mean_lightness(box.grab().toImage()) > 180
    menu = QMenu()
    qtbot.addWidget(menu)
    for text in ("Export journal as", "Install session pack…", "Quit"):
        menu.addAction(text)
    menu.show()
    assert mean_lightness(menu.grab().toImage()) > 180
    assert menu.palette().color(QPalette.ColorRole.Text).lightness() < 80


def test_the_palette_matches_the_stylesheet() -> None:
    palette = application_palette()
    assert palette.color(QPalette.ColorRole.Window) == QColor("#f4f1ec")  # the pages' background
    assert palette.color(QPalette.ColorRole.Text) == QColor("#1f2a33")  # the stylesheet's text
    assert QColor(FOCUS).isValid()
