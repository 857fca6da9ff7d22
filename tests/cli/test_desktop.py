"""``movement-player desktop-entry``: the desktop entry, icons and metainfo land where desktops look."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli.desktop import APP_ID, app_command, install_desktop_files, remove_desktop_files, targets
from tests.conftest import REPO


def test_installs_every_file_with_exec_pointing_at_this_installation(tmp_path: Path) -> None:
    written = install_desktop_files(tmp_path, command="/opt/mp/bin/movement-player-app")
    assert sorted(written) == sorted(targets(tmp_path).values())
    entry = (tmp_path / "applications" / f"{APP_ID}.desktop").read_text()
    assert "Exec=/opt/mp/bin/movement-player-app\n" in entry and f"Icon={APP_ID}\n" in entry
    assert (tmp_path / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").read_text().lstrip().startswith("<?xml")
    assert (tmp_path / "icons/hicolor/256x256/apps" / f"{APP_ID}.png").read_bytes()[:4] == b"\x89PNG"
    assert f"<id>{APP_ID}</id>" in (tmp_path / "metainfo" / f"{APP_ID}.metainfo.xml").read_text()
    assert remove_desktop_files(tmp_path) == written and not any(path.exists() for path in written)


def test_files_pass_the_freedesktop_validators(tmp_path: Path) -> None:
    if os.environ.get("CI") is None and not (shutil.which("desktop-file-validate") and shutil.which("appstreamcli")):
        pytest.skip("desktop-file-utils and appstream are not installed (.ci/setup installs them)")
    install_desktop_files(tmp_path, command="movement-player-app")
    entry = subprocess.run(["desktop-file-validate", str(tmp_path / "applications" / f"{APP_ID}.desktop")],
                           capture_output=True, text=True)
    assert entry.returncode == 0 and entry.stdout == "", entry.stdout
    metainfo = subprocess.run(["appstreamcli", "validate", "--no-net",
                               str(tmp_path / "metainfo" / f"{APP_ID}.metainfo.xml")], capture_output=True, text=True)
    assert metainfo.returncode == 0, metainfo.stdout


def test_command_writes_under_xdg_data_home_and_says_where(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "MOVEMENT_PLAYER_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "player.cli", "desktop-entry"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"installed {tmp_path / 'applications' / (APP_ID + '.desktop')}" in done.stdout
    removed = subprocess.run([sys.executable, "-m", "player.cli", "desktop-entry", "--remove"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=60)
    assert removed.returncode == 0 and not (tmp_path / "applications" / f"{APP_ID}.desktop").exists()


def test_unwritable_place_is_told_not_raised(tmp_path: Path) -> None:
    (tmp_path / "applications").write_text("a file where a folder should be")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "MOVEMENT_PLAYER_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "player.cli", "desktop-entry"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "cannot write the desktop files" in done.stderr and "Traceback" not in done.stderr


def test_app_command_is_the_script_beside_this_python() -> None:
    command = app_command()
    beside = Path(sys.executable).with_name("movement-player-app")
    assert command == (str(beside) if beside.is_file() else command)
    assert "movement-player-app" in command or "-m player.cli" in command
