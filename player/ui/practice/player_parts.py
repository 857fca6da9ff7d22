"""Pieces of the player page: labelled buttons, the countdown card, the snippet list, status text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from player.core.session.practice import Loop
from player.playback.base import PlaybackBackend
from player.playback.registry import entry_named
from player.ui.shared.formatting import clock


class VideoSurface(QWidget):
    """A native, black child window that libVLC draws into. It is never re-parented."""

    def __init__(self) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setAccessibleName("Video")

    def native_handle(self) -> int:
        """The platform window id libVLC needs."""
        return int(self.winId())

    def show_video_of(self, backend: PlaybackBackend) -> None:
        """Let ``backend`` draw here (call once the window exists natively): its own picture widget (Qt draws
        it), or this native window where the platform allows embedding."""
        entry = entry_named(backend.name)
        if entry.picture_widget is not None:
            frame = QVBoxLayout(self)
            frame.setContentsMargins(0, 0, 0, 0)
            frame.addWidget(entry.picture_widget(backend))
        elif entry.embeds_on(QGuiApplication.platformName()):
            backend.attach_window(self.native_handle())


def key_button(text: str, key: str, tip: str, handler: Callable[[], object]) -> QPushButton:
    """A button labelled with its key ("Mirror  M"), a tooltip naming the key, no keyboard focus.

    Keys belong to the page's shortcuts: Space must pause, not press whichever button has focus.
    """
    button = QPushButton(f"{text}  {key}" if key else text)
    button.setToolTip(f"{tip} ({key})" if key else tip)
    button.setAccessibleName(text)
    button.setAccessibleDescription(tip)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(handler)
    return button


class CountdownCard(QFrame):
    """3-2-1 before a snippet, with its title and first cue; Space skips it."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("countdown")
        self.number = QLabel()
        self.number.setObjectName("countdownNumber")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # from the manifest
        self.title.setObjectName("snippetTitle")
        self.cue = QLabel()
        self.cue.setTextFormat(Qt.TextFormat.PlainText)  # from the cue file
        self.cue.setObjectName("subtitle")
        self.cue.setWordWrap(True)
        hint = QLabel("Get into position — Space starts now")
        hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.number, self.cue, hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_count(self, seconds: int, *, title: str, first_cue: str) -> None:
        """Show ``seconds`` left before ``title`` plays."""
        self.number.setText(str(seconds))
        self.title.setText(f"Next: {title}")
        self.cue.setText(f"“{first_cue}”" if first_cue else "")


class WrappedRow(QStyledItemDelegate):
    """A list row whose text wraps within the list's width: sized and drawn with the same width (Qt's own word
    wrap sizes rows for a width its stylesheet padding then narrows, and cuts long titles with "…").

    Wrapped heights are kept per text and font until the width changes: the list asks for every row's size each
    time a row is marked, and measuring wrapped text is what costs."""

    PADDING = 10  # px around the text, as the stylesheet's item padding

    def __init__(self, view: SnippetList) -> None:
        super().__init__(view)
        self.view = view
        self._width = -1  # the viewport width the kept heights were measured for
        self._heights: dict[tuple[str, str], int] = {}  # (text, font key) -> wrapped text height, px

    def _text_height(self, option: QStyleOptionViewItem, text: str, width: int) -> int:
        if width != self._width:
            self._heights.clear()
            self._width = width
        key = (text, option.font.key())
        height = self._heights.get(key)
        if height is None:
            bounds = QRect(0, 0, max(width - 2 * self.PADDING, 1), 10_000)
            height = option.fontMetrics.boundingRect(bounds, Qt.TextFlag.TextWordWrap, text).height()
            self._heights[key] = height
        return height

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 (Qt's name)
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = self.view.viewport_width()
        return QSize(width, self._text_height(option, str(index.data() or ""), width) + 2 * self.PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = QStyleOptionViewItem(option)
        self.initStyleOption(row, index)
        text, row.text = row.text, ""
        style = row.widget.style() if row.widget is not None else self.view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, row, painter, row.widget)  # background, border
        painter.save()
        painter.setPen(row.palette.color(QPalette.ColorRole.Text))
        painter.setFont(row.font)
        inner = row.rect.adjusted(self.PADDING, 0, -self.PADDING, 0)
        painter.drawText(inner, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()


class SnippetList(QListWidget):
    """The session's snippets: done (✓), could not be played (✗), current (▶), to come; clicking one plays it."""

    chosen = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("snippetList")
        self.setAccessibleName("Snippets of this session")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedWidth(280)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(WrappedRow(self))  # long titles take two lines, never cut with "…"
        self.setResizeMode(QListWidget.ResizeMode.Adjust)  # rows measured again when the width changes
        self._viewport_width = -1  # known from the viewport's first resize event
        self._titles: list[str] = []  # the snippets the rows are for
        self.itemClicked.connect(lambda item: self.chosen.emit(self.row(item)))

    def viewport_width(self) -> int:
        """The width rows are laid out in, px. Never asks ``viewport()``: the first time Python wraps Qt's own
        viewport widget, PySide6 resolves every QWidget subclass to find its type (~8 ms on the GUI thread)."""
        return self._viewport_width if self._viewport_width >= 0 else self.contentsRect().width()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        # A scroll area receives its viewport's resize events here; the list then lays its rows out again.
        self._viewport_width = event.size().width()
        super().resizeEvent(event)

    def show_progress(self, titles: list[str], *, current: int, done: set[int], failed: set[int] | None = None) -> None:
        """Mark which snippets are done, which could not be played and which one plays."""
        if titles != self._titles:  # another session: new rows; the same one: only the marks change, in place
            self.clear()
            for _ in titles:
                self.addItem(QListWidgetItem())
            self._titles = list(titles)
        failed = failed or set()
        for index, title in enumerate(titles):
            mark = "▶" if index == current else ("✗" if index in failed else ("✓" if index in done else "  "))
            tip = ("Could not be played: click to try again" if index in failed and index != current
                   else "Play this snippet now")
            text, item = f"{mark}  {index + 1}. {title}", self.item(index)
            if item.text() != text:  # only the rows whose mark changed
                item.setText(text)
            if item.toolTip() != tip:
                item.setToolTip(tip)
        self.setCurrentRow(current)


@dataclass(frozen=True)
class PracticeState:
    """How playback is set, as the player shows it."""

    rate: float
    mirrored: bool
    loop: Loop | None
    cues_visible: bool
    volume_percent: int
    muted: bool


def practice_change_text(before: PracticeState | None, after: PracticeState) -> str:
    """The brief confirmation for what changed from ``before`` to ``after`` ("" when nothing shown changed,
    or at the start): ``Speed 0.75×``, ``Mirror on``, ``Loop from 0:04 — L again marks the end``, ``Loop off``,
    ``Cues off``, ``Volume 80%``, ``Muted``."""
    if before is None:
        return ""
    if after.rate != before.rate:
        return f"Speed {after.rate:g}×"
    if after.mirrored != before.mirrored:
        return "Mirror on" if after.mirrored else "Mirror off"
    if after.loop != before.loop:
        if after.loop is None:
            return "Loop off"
        if after.loop.end_ms is None:
            return f"Loop from {clock(after.loop.start_ms)} — L again marks the end"
        return f"Loop {clock(after.loop.start_ms)}–{clock(after.loop.end_ms)}"
    if after.cues_visible != before.cues_visible:
        return "Cues on" if after.cues_visible else "Cues off"
    if after.muted != before.muted or after.volume_percent != before.volume_percent:
        return "Muted" if after.muted else f"Volume {after.volume_percent}%"
    return ""


def practice_text(*, rate: float, mirrored: bool, loop: Loop | None, cues_visible: bool, volume_percent: int,
                  muted: bool) -> str:
    """One line saying how playback is set: ``Speed 0.75× · Mirrored · Loop 0:04–0:09 · Cues on · Volume 80%``."""
    parts = [f"Speed {rate:g}×"]
    if mirrored:
        parts.append("Mirrored")
    if loop is not None:
        parts.append(f"Loop {clock(loop.start_ms)}–{clock(loop.end_ms)}" if loop.end_ms is not None
                     else f"Loop from {clock(loop.start_ms)} (L again marks the end)")
    parts.append("Cues on" if cues_visible else "Cues off")
    parts.append("Muted" if muted else f"Volume {volume_percent}%")
    return "  ·  ".join(parts)
