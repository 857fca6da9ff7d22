"""What an installed package carries: the built-in sessions and media, the icon, the desktop files, the
licence and one version. (CI also builds the wheel and plays from it: .ci/setup, check_installed_wheel.)"""

from __future__ import annotations

import ast
import fnmatch
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from player import __version__
from player.core.session import library
from player.core.session.library import builtin_root
from tests.conftest import REPO


def _setup_call() -> dict[str, object]:
    """The literal values of setup.py's BUILTIN mapping and package_data."""
    tree = ast.parse((REPO / "setup.py").read_text())
    found: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "BUILTIN":
            found["BUILTIN"] = ast.literal_eval(node.value)
        if isinstance(node, ast.keyword) and node.arg == "package_data":
            found["package_data"] = ast.literal_eval(node.value)
    return found


def _tracked(folder: str) -> list[str]:
    listed = subprocess.run(["git", "ls-files", folder], cwd=REPO, capture_output=True, text=True, check=True)
    return [line for line in listed.stdout.splitlines() if line]


def test_every_builtin_file_but_the_render_script_goes_into_the_wheel() -> None:
    setup = _setup_call()
    mapping = setup["BUILTIN"]
    package_data = setup["package_data"]
    assert isinstance(mapping, dict) and isinstance(package_data, dict)
    assert set(mapping.values()) == {"sessions", "media"}
    for package, folder in mapping.items():
        files = [path for path in _tracked(folder) if not path.endswith(".py")]
        assert files, f"nothing tracked in {folder}/"
        for path in files:
            inside = path[len(folder) + 1 :]
            assert any(fnmatch.fnmatch(inside, pattern) and inside.count("/") == pattern.count("/")
                       for pattern in package_data[package]), f"{path} would be left out of the wheel"


def test_builtin_root_prefers_the_packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packaged = tmp_path / "player" / "builtin"
    (packaged / "sessions").mkdir(parents=True)
    (packaged / "media").mkdir()
    monkeypatch.setattr(library.resources, "files", lambda package: packaged)
    assert builtin_root() == library.LibraryRoot(packaged / "sessions", packaged / "media")


def test_builtin_root_in_a_checkout_is_the_top_level_folders() -> None:
    assert builtin_root() == library.LibraryRoot(REPO / "sessions", REPO / "media")


def test_one_version_everywhere() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    metainfo = ElementTree.parse(REPO / "player" / "assets" / "io.github.movementplayer.MovementPlayer.metainfo.xml")
    assert metainfo.getroot().find("releases/release").get("version") == __version__  # type: ignore[union-attr]
    shown = subprocess.run([sys.executable, "-m", "player.cli", "--version"], cwd=REPO, capture_output=True,
                           text=True, timeout=60)
    assert shown.stdout.strip() == f"movement-player {__version__}"


def test_spdx_licence_and_licence_file() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text().startswith("MIT License")


def test_pyside6_excludes_only_the_broken_release_on_python_311() -> None:
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    pyside = [d for d in dependencies if d.startswith("PySide6")]
    for wheel in ("PySide6-Essentials", "PySide6-Addons"):
        ours = [d for d in pyside if d.startswith(wheel + ">")]
        assert ours == [f"{wheel}>=6.10,!=6.12.0; python_version < '3.12'", f"{wheel}>=6.10; python_version >= '3.12'"]


def test_icon_png_is_drawn_from_the_svg() -> None:
    assets = REPO / "player" / "assets"
    svg, png = assets / "movement-player.svg", assets / "movement-player.png"
    assert svg.read_text().lstrip().startswith("<?xml") and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    script = (assets / "render_icon.py").read_text()
    assert svg.read_text() in script  # the script holds the SVG it writes: re-running it changes nothing
