"""The library's session cards: what one card says, its poster, and the delegate that paints it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImageReader,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from player.core.session.library import LibraryEntry
from player.ui.library.reasons import plain_reasons
from player.ui.shared.formatting import length

CARD_ROLE = Qt.ItemDataRole.UserRole + 2  # the item's Card
POSTER_ROLE = Qt.ItemDataRole.UserRole + 3  # the item's poster QPixmap, or None

CARD_WIDTH = 336
POSTER_HEIGHT = CARD_WIDTH * 9 // 16
TEXT_HEIGHT = 142  # a title of up to two lines, teacher, free, full session, locked or not
CARD_SIZE = QSize(CARD_WIDTH, POSTER_HEIGHT + TEXT_HEIGHT)
GAP = 20  # between cards; the focus ring is drawn inside it

INK = QColor("#1f2a33")
DIM = QColor("#52616b")
ACCENT = QColor("#1d7874")
LOCKED = QColor("#7a5a12")
PROBLEM = QColor("#8a1c1c")
CARD = QColor("#ffffff")
EDGE = QColor("#d9dee2")


@dataclass(frozen=True)
class Card:
    """What one library card says (already in words), and where its poster is."""

    session_id: str
    title: str
    teacher: str
    free: str  # "Free: 4 snippets · 2 min 15 s"
    full: str  # "Full session: 4 parts · 2 min 32 s", or "" without a full session
    full_open: bool  # the full session is licensed here
    full_state: str  # "Locked · $20" or "Unlocked", "" without a full session
    available: bool
    reason: str  # the first plain-words reason when unavailable
    badge: str
    poster: Path | None


def card_for(entry: LibraryEntry, *, licensed: bool) -> Card:
    """The card of ``entry``; ``licensed``: its full session is unlocked on this computer."""
    session = entry.session
    reasons = plain_reasons(entry)
    if session is None:
        return Card(session_id=entry.session_id, title=entry.title, teacher="", free="", full="", full_open=False,
                    full_state="", available=False, reason=reasons[0] if reasons else "", badge="", poster=None)
    count = len(session.preview)
    free = f"Free: {count} snippet{'s' if count != 1 else ''} · {length(session.preview_duration_s)}"
    full = state = ""
    if session.full is not None:
        parts = len(session.full.parts)
        full = f"Full session: {parts} part{'s' if parts != 1 else ''} · {length(session.full_duration_s)}"
        state = "Unlocked" if licensed else f"Locked · {session.full.price}"
    return Card(session_id=session.id, title=session.title, teacher=session.teacher, free=free, full=full,
                full_open=licensed, full_state=state, available=entry.available,
                reason=reasons[0] if reasons else "", badge=session.badge, poster=session.poster)


class PosterCache:
    """Posters read once, scaled to the card, and kept while their file is unchanged."""

    def __init__(self) -> None:
        self._pixmaps: dict[Path, tuple[float, QPixmap | None]] = {}

    def cached(self, path: Path | None) -> tuple[bool, QPixmap | None]:
        """(known, poster): whether ``path`` was read since it last changed, and what it gave. Never reads
        the picture (only the file's time)."""
        if path is None:
            return True, None
        try:
            stamp = path.stat().st_mtime
        except OSError:
            return True, None
        cached = self._pixmaps.get(path)
        return (True, cached[1]) if cached is not None and cached[0] == stamp else (False, None)

    def get(self, path: Path | None, *, scale: float) -> QPixmap | None:
        """The poster at ``path`` sized for a card (``scale``: device pixel ratio), or None when unreadable.

        Reads it unless cached (a few milliseconds for a small PNG or JPEG)."""
        known, pixmap = self.cached(path)
        if known or path is None:
            return pixmap
        stamp = path.stat().st_mtime
        reader = QImageReader(str(path))
        reader.setScaledSize(QSize(round(CARD_WIDTH * scale), round(POSTER_HEIGHT * scale)))
        image = reader.read()  # a small PNG or JPEG of at most MAX_POSTER_BYTES: milliseconds
        pixmap = None if image.isNull() else QPixmap.fromImage(image)
        if pixmap is not None:
            pixmap.setDevicePixelRatio(scale)
        self._pixmaps[path] = (stamp, pixmap)
        return pixmap


def title_lines(title: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``title`` in at most two lines of ``width`` pixels, broken between words; the second elided if need be."""
    words, first = title.split(), ""
    for index, word in enumerate(words):
        trial = f"{first} {word}".strip()
        if metrics.horizontalAdvance(trial) > width and first:
            rest = " ".join(words[index:])
            return [first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
        first = trial
    return [metrics.elidedText(first, Qt.TextElideMode.ElideRight, width)]


def _font(base: QFont, *, pixel_size: int, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font


class CardDelegate(QStyledItemDelegate):
    """Paints a card: poster, title, teacher, what is free, what is locked or licensed, or why it cannot open."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return CARD_SIZE

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, Card):
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        widget = option.widget
        focused = selected and isinstance(widget, QWidget) and widget.hasFocus()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5)
        shape = QPainterPath()
        shape.addRoundedRect(frame, 12, 12)
        painter.fillPath(shape, CARD)
        poster_rect = QRectF(frame.left(), frame.top(), frame.width(), POSTER_HEIGHT - 2)
        painter.save()
        painter.setClipPath(shape)
        self._paint_poster(painter, poster_rect, card, index.data(POSTER_ROLE))
        painter.restore()
        self._paint_text(painter, QRectF(frame.left() + 14, poster_rect.bottom() + 8, frame.width() - 28,
                                         TEXT_HEIGHT - 14), card, option.font)
        edge = QPen(ACCENT if selected else EDGE, 4.0 if focused else 2.0 if selected else 1.0)
        painter.setPen(edge)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(frame, 12, 12)
        painter.restore()

    def _paint_poster(self, painter: QPainter, rect: QRectF, card: Card, poster: object) -> None:
        if isinstance(poster, QPixmap) and not poster.isNull():
            painter.drawPixmap(rect, poster, QRectF(poster.rect()))
        else:  # no picture: a calm colour field with the title's initial
            gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
            gradient.setColorAt(0.0, QColor("#2c4a52"))
            gradient.setColorAt(1.0, QColor("#1b2430"))
            painter.fillRect(rect, gradient)
            painter.setPen(QColor("#cfe3e0"))
            painter.setFont(_font(painter.font(), pixel_size=64, bold=True))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, card.title[:1].upper())
        if not card.available:
            painter.fillRect(rect, QColor(244, 241, 236, 170))  # washed out: it cannot be opened
        if card.badge:  # beside the picture's words, never part of them: read the same mirrored or not
            painter.setFont(_font(painter.font(), pixel_size=12, bold=True))
            metrics = painter.fontMetrics()
            badge = QRectF(rect.right() - metrics.horizontalAdvance(card.badge) - 26, rect.top() + 10,
                           metrics.horizontalAdvance(card.badge) + 16, metrics.height() + 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(27, 36, 48, 200))
            painter.drawRoundedRect(badge, 5, 5)
            painter.setPen(QColor("#f5b942"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, card.badge)

    def _paint_text(self, painter: QPainter, rect: QRectF, card: Card, base: QFont) -> None:
        title_font = _font(base, pixel_size=18, bold=True)
        small = _font(base, pixel_size=14)
        y = rect.top()
        painter.setFont(title_font)
        painter.setPen(INK)
        for line in title_lines(card.title, QFontMetrics(title_font), int(rect.width())):
            y = self._line(painter, rect, y, line, title_font)
        lines: list[tuple[str, QColor, bool]] = []
        if card.teacher:
            lines.append((card.teacher, DIM, False))
        if not card.available:
            lines.append(("Unavailable: " + card.reason if card.reason else "Unavailable", PROBLEM, True))
        else:
            lines.append((card.free, INK, False))
            if card.full:
                lines.append((card.full, INK, False))
                lines.append((("✓ " if card.full_open else "") + card.full_state, ACCENT if card.full_open else LOCKED,
                              False))
        for text, colour, wrap in lines:
            painter.setPen(colour)
            painter.setFont(small)
            y = self._line(painter, rect, y + 2, text, small, wrap=wrap)

    @staticmethod
    def _line(painter: QPainter, rect: QRectF, y: float, text: str, font: QFont, *, wrap: bool = False) -> float:
        """Draw ``text`` from ``y`` (elided to one line, or wrapped to what is left); the next line's y."""
        metrics = QFontMetrics(font)
        if wrap:
            box = QRectF(rect.left(), y, rect.width(), rect.bottom() - y)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), text)
            return rect.bottom()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
        painter.drawText(QRectF(rect.left(), y, rect.width(), metrics.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        return y + metrics.height()
