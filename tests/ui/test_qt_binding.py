"""The installed Qt binding survives a long session's worth of calls (PySide6 6.12.0 on 3.11 did not)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(50_000):  # about three hours of time-label updates at 5 per second
    label.setText("0:42")
print("alive")
"""


def test_void_qt_calls_do_not_exhaust_none() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert result.stdout.strip() == "alive", result.stderr[-500:]
