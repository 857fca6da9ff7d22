"""The one-page A4 report for a clinician, drawn with Qt's own QPdfWriter and QPainter.

Imported only by the PDF export (lazily: ``export_formats`` names :func:`write_report_file` as the ``pdf``
writer), so no other console command loads Qt. Works without a display:
when no Qt application exists it makes an offscreen QGuiApplication for the fonts. Coordinates are in
points (1/72 inch) on A4 (595 x 842).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPolygonF,
)

from player.core.errors import JournalError
from player.core.files import replaced_when_done
from player.core.journal.export_formats import ExportScope
from player.core.journal.report import ClinicianReport, build_report
from player.core.journal.review import AreaCount, SnippetTrend
from player.core.journal.store import Journal

PAGE_W, PAGE_H = 595.0, 842.0
MARGIN = 42.0
BODY_PT = 10.0
SMALL_PT = 8.5
HEADING_PT = 12.0
TITLE_PT = 17.0
INK = QColor("#1d1d1f")
MUTED = QColor("#5f6368")
ACCENT = QColor("#c0392b")  # discomfort: the same red as the check-in page's high end
OUTLINE = QColor("#9aa0a6")
FIGURE_FILL = QColor("#eceff1")
# Sparklines average the runs into at most this many steps so a 10-year history stays a readable line.
SPARK_STEPS = 60
NEXT_DAY_WORDS = {"better": "better", "same": "about the same", "worse": "worse"}
# Room a note needs: its label line and up to two lines of text.
NOTE_HEIGHT = 44.0

# Where each body area sits on the outline, as (view, x, y) with x from the figure's centre line and y
# from the top of a 180-pt tall figure. Front view: the person faces the reader, so their left is on the
# right. Back view: their left is on the left.
FRONT, BACK = "front", "back"
SPOT_RADIUS = 5.5
AREA_SPOTS: dict[str, tuple[str, float, float]] = {
    "jaw-left": (FRONT, 6, 19), "jaw-right": (FRONT, -6, 19),
    "shoulder-left": (FRONT, 25, 36), "shoulder-right": (FRONT, -25, 36),
    "hip-left": (FRONT, 14, 100), "hip-right": (FRONT, -14, 100),
    "knee-left": (FRONT, 11, 138), "knee-right": (FRONT, -11, 138),
    "ankle-left": (FRONT, 12, 159), "ankle-right": (FRONT, -12, 159),
    "arch-left": (FRONT, 6, 174), "arch-right": (FRONT, -6, 174),
    "big-toe-left": (FRONT, 20, 175), "big-toe-right": (FRONT, -20, 175),
    "neck": (BACK, 0, 27), "upper-back": (BACK, 0, 45), "mid-back": (BACK, 0, 63),
    "lower-back": (BACK, 0, 81), "pelvis-sacrum": (BACK, 0, 97),
    "heel-left": (BACK, -12, 176), "heel-right": (BACK, 12, 176),
}


def write_report_file(journal: Journal, path: Path, scope: ExportScope) -> int:
    """The ``pdf`` export's writer: the report of the runs in ``scope``, drawn into a temporary file beside
    ``path`` and moved into place. Returns the run count; raises JournalError when it cannot be written."""
    report = build_report(journal, today=scope.today or date.today(), catalog=scope.catalog, since=scope.since,
                          until=scope.until, session_id=scope.session_id, tz=scope.tz)
    try:
        with replaced_when_done(path) as temp:
            write_report_pdf(report, temp)
    except OSError as exc:
        raise JournalError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    return report.runs


def write_report_pdf(report: ClinicianReport, path: Path) -> None:
    """Draw ``report`` on one A4 page into ``path`` (overwritten). Raises OSError when it cannot be written."""
    app = QGuiApplication.instance() or QGuiApplication(["movement-player", "-platform", "offscreen"])
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setResolution(72)  # one device unit = one point
    writer.setTitle("Movement practice report")
    writer.setCreator("Movement Player")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _Page(painter, report).draw()
    finally:
        painter.end()
    del app  # kept alive until the page is drawn


class _Page:
    def __init__(self, painter: QPainter, report: ClinicianReport) -> None:
        self.p = painter
        self.r = report
        self.y = MARGIN
        self.width = PAGE_W - 2 * MARGIN

    def draw(self) -> None:
        self.header()
        self.sessions()
        self.trends()
        self.body()
        self.notes()
        self.footer()

    # --- text helpers ---

    def font(self, size: float, *, bold: bool = False) -> QFont:
        font = QFont("DejaVu Sans")
        font.setPointSizeF(size)
        font.setBold(bold)
        if hasattr(QFont, "Tag"):  # Qt 6.7+: no "ﬀ" ligatures, so copied or extracted text reads "stiff"
            font.setFeature(QFont.Tag("liga"), 0)
        self.p.setFont(font)
        return font

    def metrics(self, size: float, *, bold: bool = False) -> QFontMetricsF:
        """Sets the font and returns its metrics on the PDF itself (the screen's DPI would differ)."""
        return QFontMetricsF(self.font(size, bold=bold), self.p.device())

    def line(self, text: str, *, size: float = BODY_PT, bold: bool = False, color: QColor = INK, x: float = 0,
             width: float | None = None, gap: float = 3) -> None:
        """One line of text at the cursor, elided to fit; the cursor moves below it."""
        metrics = self.metrics(size, bold=bold)
        room = width if width is not None else self.width - x
        self.p.setPen(color)
        self.p.drawText(QPointF(MARGIN + x, self.y + metrics.ascent()),
                        metrics.elidedText(text, Qt.TextElideMode.ElideRight, room))
        self.y += metrics.height() + gap

    def wrapped(self, text: str, *, size: float = BODY_PT, x: float = 0, max_lines: int = 2,
                color: QColor = INK) -> None:
        """Up to ``max_lines`` lines of wrapped text, the last elided."""
        metrics = self.metrics(size)
        room = self.width - x
        words, lines, current = text.split(), [], ""
        for word in words:
            trial = f"{current} {word}".strip()
            if metrics.horizontalAdvance(trial) <= room or not current:
                current = trial
            else:
                lines.append(current)
                current = word
        lines.append(current)
        if len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
        for text_line in lines:
            self.line(text_line, size=size, x=x, color=color, gap=1)
        self.y += 2

    def heading(self, text: str) -> None:
        self.y += 8
        self.line(text, size=HEADING_PT, bold=True, gap=2)
        self.p.setPen(QPen(OUTLINE, 0.6))
        self.p.drawLine(QPointF(MARGIN, self.y), QPointF(PAGE_W - MARGIN, self.y))
        self.y += 5

    # --- sections ---

    def header(self) -> None:
        self.line("Movement practice report", size=TITLE_PT, bold=True, gap=4)
        r = self.r
        period = (f"{_day(r.first_day)} to {_day(r.last_day)}" if r.first_day and r.last_day else "no runs yet")
        self.line(f"Period: {period}", bold=True)
        self.line(f"Prepared {_day(r.prepared_on)} from the practitioner's Movement Player journal (their own "
                  "ratings after each movement).", size=SMALL_PT, color=MUTED)

    def sessions(self) -> None:
        r = self.r
        self.heading("Sessions done")
        self.line(f"{_count(r.runs, 'practice run')} on {_count(r.practice_days, 'day')}; {r.completed} completed "
                  "to the end.")
        for count in r.sessions[:4]:
            self.line(f"{count.title}: {_count(count.runs, 'run')} ({count.completed} completed)", x=10)
        if len(r.sessions) > 4:
            self.line(f"and {len(r.sessions) - 4} more sessions", x=10, color=MUTED)
        self.next_day()

    def next_day(self) -> None:
        """The next-day answers ("how did that run settle?") and their newest notes."""
        asked = self.r.next_day
        if not asked.answered:
            self.line("Next day: no answers to \"how did that run settle?\" in this period.", color=MUTED)
            return
        self.line(f"Next day ({_count(asked.answered, 'run')} answered): {asked.better} better, {asked.same} about "
                  f"the same, {asked.worse} worse.")
        for note in asked.notes:
            label = NEXT_DAY_WORDS.get(note.answer, note.answer)
            self.line(f"{_day(note.day)}, {label}: {note.note}", x=10, size=SMALL_PT, color=MUTED, gap=1)

    def trends(self) -> None:
        self.heading("Discomfort per movement, run by run (0 none - 10 worst; oldest at left)")
        if not self.r.trends:
            self.line("No check-ins in this period.", color=MUTED)
        for trend in self.r.trends:
            top = self.y
            self.sparkline(trend, QRectF(MARGIN, top, 120, 24))
            self.y = top + 1
            sentence, _, how = trend.summary.partition(" (")  # the how on its own line: the sentence stays whole
            self.line(sentence, x=132, bold=True, gap=1)
            if how:
                self.line(how.removesuffix(")"), x=132, size=SMALL_PT, color=MUTED, gap=1)
            for pair in trend.pairs:
                self.line(pair.summary, x=132, size=SMALL_PT, color=MUTED, gap=1)
            self.y = max(self.y, top + 24) + 6
        if self.r.more_trends:
            self.line(f"{self.r.more_trends} less practised movements not shown.", size=SMALL_PT, color=MUTED)

    def sparkline(self, trend: SnippetTrend, box: QRectF) -> None:
        values = _steps([p.discomfort for p in trend.points if p.discomfort is not None], SPARK_STEPS)
        self.p.setPen(QPen(QColor("#dadce0"), 0.5))
        self.p.setBrush(QBrush(QColor("#fafafa")))
        self.p.drawRect(box)
        if not values:
            return
        step = box.width() / max(1, len(values) - 1)
        points = [QPointF(box.left() + i * step if len(values) > 1 else box.center().x(),
                          box.bottom() - 2 - v / 10 * (box.height() - 4)) for i, v in enumerate(values)]
        self.p.setPen(QPen(ACCENT, 1.2))
        self.p.drawPolyline(QPolygonF(points))
        self.p.setBrush(QBrush(ACCENT))
        self.p.drawEllipse(points[-1], 1.6, 1.6)

    def body(self) -> None:
        self.heading("Where it was felt (times flagged; darker = more often)")
        top = self.y
        counts = {a.area: a for a in self.r.body}
        most = max((a.count for a in self.r.body), default=0)
        for view, centre in ((FRONT, MARGIN + 45), (BACK, MARGIN + 150)):
            self.figure(QPointF(centre, top + 12), view, counts, most)
        self.y = top
        listing_x = 230
        if not self.r.body:
            self.line("No body areas were flagged.", x=listing_x, color=MUTED)
        for area in sorted(self.r.body, key=lambda a: -a.count)[:10]:
            mean = f", mean discomfort {area.mean_discomfort:.1f}" if area.mean_discomfort is not None else ""
            self.line(f"{area.label}: {area.count}×{mean}", x=listing_x, gap=2)
        self.y = top + 205

    def figure(self, origin: QPointF, view: str, counts: dict[str, AreaCount], most: int) -> None:
        """A plain standing outline 180 pt tall, centre line at ``origin.x()``, with its flagged spots."""
        x, y = origin.x(), origin.y()
        p = self.p
        p.setPen(QPen(OUTLINE, 0.8))
        p.setBrush(QBrush(FIGURE_FILL))
        p.drawEllipse(QPointF(x, y + 11), 10, 11)  # head
        p.drawRect(QRectF(x - 4, y + 21, 8, 9))  # neck
        p.drawRoundedRect(QRectF(x - 24, y + 30, 48, 72), 8, 8)  # torso and pelvis
        for side in (-1, 1):
            p.drawRoundedRect(QRectF(x + side * 27 - 5, y + 33, 10, 68), 5, 5)  # arm
            p.drawRoundedRect(QRectF(x + side * 12 - 7, y + 100, 14, 70), 6, 6)  # leg
            p.drawEllipse(QRectF(x + side * 13 - (6 if view == BACK else 9) + (side * 3 if view == FRONT else 0),
                                 y + 168, 18 if view == FRONT else 12, 10))  # foot
        self.font(SMALL_PT)
        p.setPen(MUTED)
        p.drawText(QRectF(x - 40, y + 182, 80, 12), Qt.AlignmentFlag.AlignCenter, view.capitalize())
        left_x = 1 if view == FRONT else -1  # where the person's left side is drawn
        p.drawText(QRectF(x + left_x * 34 - 6, y - 2, 12, 12), Qt.AlignmentFlag.AlignCenter, "L")
        p.drawText(QRectF(x - left_x * 34 - 6, y - 2, 12, 12), Qt.AlignmentFlag.AlignCenter, "R")
        for area, (where, dx, dy) in AREA_SPOTS.items():
            found = counts.get(area)
            if where != view or found is None or most == 0:
                continue
            shade = QColor(ACCENT)
            shade.setAlphaF(0.25 + 0.7 * found.count / most)
            p.setPen(QPen(ACCENT.darker(130), 0.6))
            p.setBrush(QBrush(shade))
            p.drawEllipse(QPointF(x + dx, y + dy), SPOT_RADIUS, SPOT_RADIUS)

    def notes(self) -> None:
        self.heading("Notable notes (highest discomfort first)")
        if not self.r.notes:
            self.line("No notes in this period.", color=MUTED)
        for note in self.r.notes:
            if self.y + NOTE_HEIGHT > PAGE_H - MARGIN:  # one page, always: the footer keeps its place
                break
            rating = f", discomfort {note.discomfort}" if note.discomfort is not None else ""
            self.line(f"{_day(note.day)} · {note.session_title} · {note.snippet_title}{rating}", size=SMALL_PT,
                      color=MUTED, gap=1)
            self.wrapped(f"“{' '.join(note.note.split())}”", x=10)

    def footer(self) -> None:
        self.y = PAGE_H - MARGIN + 6
        self.line("Discomfort is the 0-10 numeric rating scale; ease runs from 1 (hard) to 5 (effortless). "
                  "Self-reported; not a diagnosis.", size=7.5, color=MUTED)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _day(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day is not None else "-"


def _steps(values: Sequence[int], steps: int) -> list[float]:
    """``values`` averaged into at most ``steps`` consecutive buckets."""
    if len(values) <= steps:
        return [float(v) for v in values]
    size = len(values) / steps
    return [sum(chunk) / len(chunk) for chunk in
            (values[round(i * size): round((i + 1) * size)] for i in range(steps)) if chunk]
