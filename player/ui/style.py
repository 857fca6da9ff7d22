"""The app's look: one stylesheet, large type and big targets for people a few steps from the screen."""

from __future__ import annotations

STYLESHEET = """
QWidget { font-size: 15px; color: #1f2a33; }
QMainWindow, QStackedWidget > QWidget { background: #f4f1ec; }
QLabel#pageTitle { font-size: 28px; font-weight: 600; }
QLabel#subtitle { font-size: 16px; color: #52616b; }
QLabel#snippetTitle { font-size: 22px; font-weight: 600; }
QLabel#counter, QLabel#time { font-size: 18px; color: #52616b; }
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
QPushButton:focus { border: 2px solid #1d7874; }
QPushButton:checked { background: #1d7874; color: white; border-color: #1d7874; }
QPushButton#primary { background: #1d7874; color: white; border-color: #1d7874; font-weight: 600; }
QPushButton#primary:disabled { background: #9fb9b7; border-color: #9fb9b7; }
QPushButton#scale { min-width: 44px; padding: 4px 0; font-size: 18px; }
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
