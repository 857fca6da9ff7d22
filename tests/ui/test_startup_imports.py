"""What the app imports before its first frame: the key code and cryptography wait until a key is entered or
verified, the Journal page (QtCharts) until it is opened. Each import there delays the first picture (issue 13)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

STARTUP_PROBE = """
import sys
import player.cli.entry, player.ui.bootstrap
print(",".join(sorted(m for m in sys.modules
                      if m.split(".")[0] == "cryptography" or m.startswith("PySide6.QtCharts")
                      or m in ("player.core.licensing.keys", "player.ui.journal.page"))))
"""


def test_start_up_imports_neither_the_key_code_nor_the_journal_page() -> None:
    result = subprocess.run([sys.executable, "-c", STARTUP_PROBE], cwd=REPO, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
