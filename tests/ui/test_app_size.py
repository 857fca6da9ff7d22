"""App only wires: its module stays small (issue 8: under 300 lines) and decides nothing of the core's."""

from __future__ import annotations

import ast

from tests.conftest import REPO

APP = REPO / "player" / "ui" / "app.py"


def test_app_stays_under_300_lines() -> None:
    assert len(APP.read_text(encoding="utf-8").splitlines()) < 300


def test_app_does_not_open_media_or_speak_sql() -> None:
    """Which snippets play and how each opens is core/session/playlist.py's; the journal's SQL is core's."""
    imported = {node.module for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and node.module}
    assert "player.core.licensing.paid_parts" not in imported and "player.core.session.playlist" in imported
    assert not imported & {"sqlite3", "sqlite_utils"}
