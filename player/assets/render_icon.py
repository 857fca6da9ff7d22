"""Writes the application icon: ``movement-player.svg`` (the source) and ``movement-player.png`` (256 px).

Run from anywhere: ``python player/assets/render_icon.py``. The picture is a calm dusk-to-sage tile with a
spine's wave rising from a footprint, and a play mark: the app plays movement sessions. The PNG is drawn
from the SVG by Qt's SVG renderer (offscreen), so both always match.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "movement-player"
PNG_SIZE_PX = 256

SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <title>Movement Player</title>
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#24324a"/>
      <stop offset="1" stop-color="#4f7a67"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="48" fill="url(#tile)"/>
  <!-- the footprint: heel, arch and the big toe -->
  <ellipse cx="92" cy="200" rx="34" ry="16" fill="#f4efe6" opacity="0.9"/>
  <circle cx="136" cy="194" r="9" fill="#f4efe6" opacity="0.9"/>
  <!-- the spine's wave, rising from the foot -->
  <path d="M 92 184 C 60 150, 124 126, 92 94 S 112 44, 96 28" fill="none" stroke="#f4efe6"
        stroke-width="14" stroke-linecap="round"/>
  <!-- play -->
  <path d="M 150 92 L 206 124 L 150 156 Z" fill="#e8b04a"/>
</svg>
"""


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    svg_path = HERE / f"{NAME}.svg"
    svg_path.write_text(SVG, encoding="utf-8")
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg_path))
    if not renderer.isValid():
        print(f"{svg_path}: Qt cannot read the SVG it just wrote", file=sys.stderr)
        return 1
    image = QImage(PNG_SIZE_PX, PNG_SIZE_PX, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    png_path = HERE / f"{NAME}.png"
    if not image.save(str(png_path)):
        print(f"{png_path}: cannot be written", file=sys.stderr)
        return 1
    print(f"wrote {svg_path} and {png_path} ({PNG_SIZE_PX} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
