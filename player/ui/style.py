"""The app's look: one stylesheet, large type and big targets for people a few steps from the screen, and one
palette to go with it (:func:`apply_style`), so a dark system theme cannot leave dialogs and menus dark on dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

INK = "#1f2a33"  # text
PAPER = "#f4f1ec"  # pages
CARD = "#ffffff"  # inputs, lists, cards
ACCENT = "#1d7874"  # primary buttons, chosen answers
FOCUS = "#d4881c"  # the keyboard's ring: amber, visible on white, paper and the accent alike
MUTED = "#52616b"

STYLESHEET = """
QWidget { font-size: 15px; color: #1f2a33; }
QMainWindow, QStackedWidget > QWidget { background: #f4f1ec; }
QScrollArea, QScrollArea > QWidget > QWidget#sessionContents { background: #f4f1ec; }
QLabel#pageTitle { font-size: 28px; font-weight: 600; }
QLabel#subtitle { font-size: 16px; color: #52616b; }
QLabel#snippetTitle { font-size: 24px; font-weight: 600; }
QLabel#counter, QLabel#time { font-size: 18px; color: #52616b; }
QLabel#licenceMark { font-size: 13px; color: #52616b; }
QLabel#error { font-size: 18px; color: #8a1c1c; }
QLabel#hint { font-size: 14px; color: #52616b; }
QLabel#badge { font-size: 13px; font-weight: 700; color: #7a4f00; background: #fff1cc; border: 1px solid #e0a526;
               border-radius: 4px; padding: 1px 8px; }
QLabel#cardStatus { font-size: 15px; color: #1f2a33; }
QLabel#licenceMark { font-size: 12px; color: #6b7780; }
QListWidget#libraryCards { background: #f4f1ec; border: none; }
QListWidget#libraryCards:focus { border: none; }
QLabel#gentle { font-size: 18px; background: #fff6db; border: 1px solid #e0c46c; border-radius: 8px;
                padding: 14px; }
QPushButton { min-height: 44px; padding: 4px 18px; border-radius: 8px; border: 1px solid #b9c2c8;
              background: #ffffff; font-size: 16px; }
QPushButton:hover { background: #eef5f4; }
QPushButton:disabled { color: #9aa5ad; background: #eeeae4; border-color: #d9dee2; }
QPushButton:checked { background: #1d7874; color: white; border-color: #1d7874; }
QPushButton#primary { background: #1d7874; color: white; border-color: #1d7874; font-weight: 600; }
QPushButton#primary:disabled { background: #9fb9b7; border-color: #9fb9b7; }
QPushButton:focus, QPushButton#primary:focus { border: 3px solid #d4881c; }
QPushButton#scale { min-width: 44px; padding: 4px 0; font-size: 18px; }
QPushButton#area { padding: 4px 12px; font-size: 15px; min-height: 40px; }
QPushButton#scale:checked, QPushButton#area:checked { font-weight: 700; }
QFrame#scaleInput { border: 3px solid transparent; border-radius: 10px; }
QLabel#scaleEnd { font-size: 14px; color: #52616b; }
QFrame#scaleInput:focus { border-color: #d4881c; background: #fff8e8; }
QPushButton#toggle:checked { background: #1d7874; color: white; border-color: #0f4f4c; }
QMenu { background: #ffffff; color: #1f2a33; border: 1px solid #b9c2c8; font-size: 16px; }
QMenu::item { padding: 8px 28px 8px 18px; }
QMenu::item:selected { background: #d8ebe9; color: #1f2a33; }
QMenu::item:checked { font-weight: 700; }
QMenuBar { background: #eae6df; color: #1f2a33; }
QMenuBar::item:selected { background: #d8ebe9; }
QMessageBox, QDialog { background: #f4f1ec; }
QToolTip { background: #ffffff; color: #1f2a33; border: 1px solid #b9c2c8; padding: 4px; }
QScrollBar:vertical { width: 14px; }
QLabel#osd { font-size: 24px; font-weight: 700; color: #ffffff; background: #1b2430;
             border-radius: 10px; padding: 2px 16px; }
QLabel#pausedBanner { font-size: 32px; font-weight: 800; color: #ffffff; background: #b4542a;
                      border-radius: 10px; padding: 2px 22px; }
QLabel#bigTime { font-size: 30px; font-weight: 700; color: #1f2a33; }
QLabel#bigCounter { font-size: 30px; font-weight: 700; color: #1d7874; }
QLabel#upNext { background: #ffffff; border: 1px solid #d9dee2; border-radius: 10px; padding: 10px 14px;
                font-size: 16px; }
QFrame#countdown { background: #1b2430; }
QFrame#countdown QLabel { color: #f4f1ec; }
QLabel#countdownNumber { font-size: 120px; font-weight: 700; color: #7fd1c7; }
QListWidget#snippetList { font-size: 15px; }
QListWidget#snippetList::item { padding: 10px; }
QWidget#playerPage[fullscreen="true"] QLabel#snippetTitle { font-size: 34px; }
QWidget#playerPage[fullscreen="true"] QLabel#time, QWidget#playerPage[fullscreen="true"] QLabel#counter {
    font-size: 26px; }
QWidget#playerPage[fullscreen="true"] QLabel#subtitle { font-size: 20px; }
QWidget#playerPage[fullscreen="true"] QLabel#bigTime, QWidget#playerPage[fullscreen="true"] QLabel#bigCounter {
    font-size: 48px; }
QWidget#playerPage[fullscreen="true"] QLabel#snippetTitle { font-size: 40px; }
QWidget#playerPage[fullscreen="true"] QLabel#pausedBanner { font-size: 64px; }
QWidget#playerPage[fullscreen="true"] QLabel#osd { font-size: 32px; }
QFrame#card { background: #ffffff; border: 1px solid #d9dee2; border-radius: 12px; }
QFrame#errorPanel { background: #2b2b2b; }
QFrame#errorPanel QLabel { color: #f4f1ec; }
QListWidget { background: #ffffff; border: 1px solid #d9dee2; border-radius: 12px; font-size: 17px; }
QListWidget::item { padding: 14px; border-bottom: 1px solid #eceff1; }
QListWidget::item:selected { background: #d8ebe9; color: #1f2a33; }
QSlider::groove:horizontal { height: 8px; background: #d9dee2; border-radius: 4px; }
QSlider::sub-page:horizontal { background: #1d7874; border-radius: 4px; }
QSlider::handle:horizontal { width: 20px; margin: -7px 0; border-radius: 10px; background: #1d7874; }
QLineEdit, QDoubleSpinBox { min-height: 40px; padding: 2px 8px; border: 1px solid #b9c2c8; border-radius: 6px;
                            background: white; font-size: 16px; }
QTableWidget { background: white; border: 1px solid #d9dee2; border-radius: 8px; font-size: 16px;
               gridline-color: #eceff1; }
QTableWidget::item { padding: 8px 10px; }
QHeaderView::section { background: #eef1f3; padding: 8px 10px; border: none; font-weight: 600; }
QComboBox, QDateEdit { min-height: 36px; font-size: 15px; }
QLineEdit:focus { border: 2px solid #1d7874; }
QLabel#fieldLabel { font-size: 13px; color: #52616b; }
QLabel#sectionTitle { font-size: 16px; font-weight: 600; }
QLabel#trendSummary { font-size: 19px; font-weight: 600; }
QTabWidget::pane { border: 1px solid #d9dee2; border-radius: 8px; padding: 10px; top: -1px; }
QTabBar::tab { padding: 9px 22px; font-size: 16px; border: 1px solid #d9dee2; border-bottom: none;
               border-top-left-radius: 8px; border-top-right-radius: 8px; background: #eae6df; margin-right: 4px; }
QTabBar::tab:selected { background: #f4f1ec; font-weight: 600; }
QTabBar::tab:focus { border: 2px solid #1d7874; border-bottom: none; }
QTreeWidget { background: white; border: 1px solid #d9dee2; border-radius: 8px; font-size: 15px; }
QTreeWidget::item { padding: 5px 2px; }
QTreeWidget::item:selected, QTableWidget::item:selected { background: #d8ebe9; color: #1f2a33; }
QTreeWidget:focus, QTableWidget:focus, QListWidget:focus { border: 2px solid #1d7874; }
QListWidget#movementList, QListWidget#areaList { font-size: 15px; }
QListWidget#movementList::item, QListWidget#areaList::item { padding: 9px; }
QWidget#bodyMap:focus, QWidget#calendarStrip:focus { border: 2px solid #1d7874; }
"""


def application_palette() -> QPalette:
    """The stylesheet's colours as a palette: light, whatever the system theme (dialogs, menus, message
    boxes and tooltips that the stylesheet does not reach read their colours from here)."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: PAPER, QPalette.ColorRole.WindowText: INK, QPalette.ColorRole.Base: CARD,
        QPalette.ColorRole.AlternateBase: "#eef1f3", QPalette.ColorRole.Text: INK, QPalette.ColorRole.Button: CARD,
        QPalette.ColorRole.ButtonText: INK, QPalette.ColorRole.ToolTipBase: CARD, QPalette.ColorRole.ToolTipText: INK,
        QPalette.ColorRole.Highlight: "#d8ebe9", QPalette.ColorRole.HighlightedText: INK,
        QPalette.ColorRole.PlaceholderText: MUTED, QPalette.ColorRole.Link: ACCENT, QPalette.ColorRole.BrightText: CARD,
        QPalette.ColorRole.Light: CARD, QPalette.ColorRole.Midlight: "#eceff1", QPalette.ColorRole.Mid: "#b9c2c8",
        QPalette.ColorRole.Dark: "#8a969e", QPalette.ColorRole.Shadow: "#52616b",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a969e"))
    return palette


def apply_style(app: QApplication) -> None:
    """The Fusion style (the same on every desktop), the palette, then the stylesheet."""
    app.setStyle("Fusion")
    app.setPalette(application_palette())
    app.setStyleSheet(STYLESHEET)
