"""The core imports neither Qt nor vlc; console commands other than the GUI never import Qt."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import sys, pkgutil, importlib, player.core
for module in pkgutil.walk_packages(player.core.__path__, "player.core."):
    importlib.import_module(module.name)
import player.playback.fake, player.playback.base
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "vlc"))
print(",".join(bad))
"""

CLI_PROBE = """
import sys, contextlib, io
from player.cli.entry import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["sessions"]); main(["check"])
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))))
"""


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_core_imports_no_qt_and_no_vlc() -> None:
    assert _run(PROBE) == ""


def test_console_commands_import_no_qt() -> None:
    assert _run(CLI_PROBE) == ""
