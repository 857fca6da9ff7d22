"""Issue 9, item 8: libVLC found but its plugins missing is not "works" (doctor, auto)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PLUGINS = Path("/usr/lib/x86_64-linux-gnu/vlc/plugins")
pytestmark = pytest.mark.vlc


def _in_a_namespace_without_plugins(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with libVLC's plugin folder hidden by an empty tmpfs, in a private mount namespace."""
    script = f"mount -t tmpfs none {PLUGINS} && exec {sys.executable} -c \"$0\""
    return subprocess.run(["unshare", "-m", "sh", "-c", script, code], cwd=REPO, capture_output=True, text=True,
                          timeout=60)


def _can_hide_plugins() -> bool:
    if not PLUGINS.is_dir() or shutil.which("unshare") is None:
        return False
    return _in_a_namespace_without_plugins("print('ok')").stdout.strip() == "ok"


def test_vlc_without_its_plugins_is_unavailable_with_install_advice() -> None:
    if not _can_hide_plugins():
        pytest.skip("needs root and util-linux's unshare to hide libVLC's plugins (CI runs as root)")
    result = _in_a_namespace_without_plugins(
        "from player.playback.registry import entry_named\n"
        "print(entry_named('vlc').unavailable())")
    assert "plugins seem to be missing" in result.stdout
    assert "apt-get install libvlc5 vlc-plugin-base" in result.stdout


def test_vlc_with_its_plugins_works() -> None:
    from player.playback.registry import entry_named

    assert entry_named("vlc").unavailable() is None
