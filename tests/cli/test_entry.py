"""The console commands: output, exit codes, help text on every command."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli.entry import build_parser, main
from tests.conftest import REPO
from tests.paid_fixtures import make_paid_session


def test_every_command_has_help() -> None:
    def walk(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help for a in action._choices_actions}
                for name, sub in action.choices.items():
                    found.append((name, helps.get(name)))
                    found.extend(walk(sub))
        return found
    commands = walk(build_parser())
    assert {"play", "sessions", "check", "doctor", "license", "install"} <= {name for name, _ in commands}
    assert [name for name, text in commands if not text] == []


def test_sessions_lists_builtin(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert main(["sessions"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["ID", "TITLE", "SNIPPETS", "DURATION", "STATUS"]
    assert "foot-spine-connections" in out and "Foot-Spine Connections" in out and "ready" in out


def test_check_builtin_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_check_reports_each_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sessions").mkdir()
    bad = tmp_path / "sessions" / "bad.toml"
    bad.write_text('schema = 1\nid = "bad"\ntitle = "Bad"\n[[preview]]\nid = "a"\ntitle = "A"\n'
                   'media = "../x.mp4"\nduration_s = 3\n[[preview]]\nid = "b"\nmedia = "b.mp4"\nduration_s = 3\n')
    assert main(["check", str(tmp_path / "sessions")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f'{bad}: preview[0].media: "../x.mp4" climbs out of media/ with ".."',
                     f"{bad}: preview[1].title: missing"]


def test_doctor(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    main(["doctor"])
    out = capsys.readouterr().out
    assert f"Data directory:  {data_dir}" in out and "journal.db" in out and "libVLC:" in out


def test_data_dir_option_beats_environment(tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--data-dir", str(tmp_path / "elsewhere"), "doctor"])
    assert f"Data directory:  {tmp_path / 'elsewhere'}" in capsys.readouterr().out


def test_license_commands(tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paid = make_paid_session(tmp_path / "pack")
    assert main(["install", str(paid.root)]) == 0
    key = paid.key(licensee="Bo", license_id=12)
    assert main(["license", "verify", key]) == 0
    assert "licensed to Bo" in capsys.readouterr().out
    assert main(["license", "list"]) == 0
    assert capsys.readouterr().out.strip() == "No license keys stored."
    key_file = tmp_path / "bo.key"
    key_file.write_text("# my license\n" + key)
    assert main(["license", "add", str(key_file)]) == 0
    assert main(["license", "list"]) == 0
    assert "12  paid-demo  licensed to Bo" in capsys.readouterr().out
    assert main(["license", "remove", "12"]) == 0
    assert main(["license", "verify", key[:-6]]) == 1
    assert "Not unlocked:" in capsys.readouterr().err


def test_install_refuses_bad_pack(tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install", str(tmp_path / "nothing")]) == 1
    assert "Not installed:" in capsys.readouterr().err


def test_missing_libvlc_is_explained_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON_VLC_LIB_PATH": str(tmp_path / "no-libvlc.so.5"), "QT_QPA_PLATFORM": "offscreen"}
    # Asked for by name: auto would play with another real backend (Qt Multimedia) where libVLC is missing.
    result = subprocess.run([sys.executable, "-m", "player.cli", "--data-dir", str(tmp_path), "--backend", "vlc"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "libVLC (VLC's engine) was not found" in result.stderr and "apt-get install libvlc5" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_doctor_lists_each_backend_and_what_auto_picks(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from player.playback import registry

    monkeypatch.delenv(registry.BACKEND_ENV, raising=False)
    main(["doctor"])
    out = capsys.readouterr().out
    for entry in registry.backends():
        assert f"{entry.label}:" in out and f"({entry.name})" in out
    auto = registry.auto_choice()
    assert auto is not None and f"Plays with:      {auto.name} (auto's pick)" in out
    assert "Fake:            works (fake)" in out and "never by auto" in out


def test_doctor_with_a_chosen_backend(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["--backend", "fake", "doctor"]) == 0
    assert "Plays with:      fake (asked for; auto would pick " in capsys.readouterr().out
    monkeypatch.setenv("MOVEMENT_PLAYER_BACKEND", "fake")
    assert main(["doctor"]) == 0
    assert "Plays with:      fake (asked for" in capsys.readouterr().out
    assert main(["--backend", "nope", "doctor"]) == 1
    assert "Plays with:      NOTHING (nope): There is no playback backend called “nope”" in capsys.readouterr().out


def test_doctor_fails_when_no_real_backend_works(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from player.playback import registry

    monkeypatch.delenv(registry.BACKEND_ENV, raising=False)
    entries = tuple(dataclasses.replace(e, unavailable=lambda: "Install VLC.") if e.real else e
                    for e in registry.backends())
    monkeypatch.setattr(registry, "backends", lambda: entries)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "libVLC:          MISSING (vlc)\nInstall VLC." in out
    assert "Plays with:      NOTHING (auto): Install VLC." in out  # never the fake


def test_backend_option_reaches_the_app(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    import player.ui.bootstrap as bootstrap

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(bootstrap, "run_app", lambda **kwargs: calls.append(kwargs) or 0)
    assert main(["--backend", "fake", "play", "foot-spine-connections"]) == 0
    assert main(["--data-dir", str(data_dir), "--backend", "vlc"]) == 0
    from player.cli.entry import open_app

    assert open_app(["--backend", "fake"]) == 0
    assert calls == [{"data_directory": data_dir, "session_id": "foot-spine-connections", "backend": "fake"},
                     {"data_directory": data_dir, "session_id": None, "backend": "vlc"},
                     {"data_directory": data_dir, "session_id": None, "backend": "fake"}]
