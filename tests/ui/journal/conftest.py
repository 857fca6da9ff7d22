"""The Journal UI tests' shared fixture: answering the journal's questions (message boxes) in a test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def answer_with(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, list[str]], None]:
    """``answer_with(label, seen)``: every question box clicks its button whose text starts with ``label``;
    each question's text and informative text, then each information box's text, are appended to ``seen``."""
    def answer(label: str, seen: list[str]) -> None:
        def exec_(box: QMessageBox) -> int:
            seen.append(box.text() + "\n" + box.informativeText())
            chosen = next(b for b in box.buttons() if b.text().startswith(label))
            monkeypatch.setattr(box, "clickedButton", lambda: chosen)
            return 0
        monkeypatch.setattr(QMessageBox, "exec", exec_)
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: seen.append(text))
    return answer
