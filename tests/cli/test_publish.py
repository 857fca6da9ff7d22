"""``movement-player publish ...``: every command through its arguments, exit codes and messages."""

from __future__ import annotations

import argparse
import base64
import zipfile
from pathlib import Path

import pytest

from player.cli.publish import add_publish_parser, run_publish
from player.core.session.packs import install_pack
from tests.publisher.test_publisher import make_source

pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace folder and the passphrase, both from the environment; returns the workspace folder."""
    monkeypatch.setenv("MOVEMENT_PLAYER_PUBLISHER_DIR", str(tmp_path / "ws"))
    monkeypatch.setenv("MOVEMENT_PLAYER_PASSPHRASE", "s3cret passphrase")
    return tmp_path / "ws"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="movement-player")
    add_publish_parser(top.add_subparsers(dest="command"))
    return top


def run(*argv: str | Path) -> int:
    return run_publish(parser().parse_args(["publish", *map(str, argv)]))


def test_every_publish_command_and_option_has_help() -> None:
    publish = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)).choices["publish"]
    actions = next(a for a in publish._actions if isinstance(a, argparse._SubParsersAction))
    assert set(actions.choices) == {"init", "pack", "issue", "verify"}
    assert all(choice.help for choice in actions._choices_actions)
    for name, command in actions.choices.items():
        for option in command._actions:
            assert option.help, f"publish {name} {option.dest} has no help text"


def test_init_prints_the_public_key_and_refuses_a_second_time(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("init", "--name", "Pub") == 0
    out = capsys.readouterr().out
    key = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Public key: "))
    assert len(base64.b64decode(key)) == 32 and (env / "public-key.txt").read_text().strip() == key
    assert run("init") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "already there" in err and len(err.splitlines()) == 1


def test_passphrase_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOVEMENT_PLAYER_PASSPHRASE", raising=False)
    (tmp_path / "pass.txt").write_text("from a file, at least 12\n")
    assert run("init", "--workspace", tmp_path / "ws", "--passphrase-file", tmp_path / "pass.txt") == 0


def test_no_passphrase_when_not_interactive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("MOVEMENT_PLAYER_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run("init", "--workspace", tmp_path / "ws") == 1
    assert "no passphrase" in capsys.readouterr().err
    assert not (tmp_path / "ws").exists()


def test_sell_a_session_end_to_end(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = make_source(tmp_path / "src", "s-cli")
    out = tmp_path / "pack"
    assert run("init", "--name", "Pub") == 0
    assert run("pack", source, "--output", out, "--zip") == 0
    printed = capsys.readouterr().out
    assert "Packed 'Session s-cli' (s-cli)" in printed and "paid part part-a: 2 s" in printed
    assert run("issue", "--session", "s-cli", "--to", "Ann Example", "--output", tmp_path / "ann.key") == 0
    key = capsys.readouterr().out.strip()
    license_file = (tmp_path / "ann.key").read_text()
    assert license_file.startswith('# Movement Player license key for "Session s-cli"')
    assert "# Licensed to: Ann Example" in license_file and license_file.rstrip().endswith(key)
    assert run("verify", tmp_path / "ann.key", "--pack", out) == 0
    assert "licensed to Ann Example (license 1" in capsys.readouterr().out
    assert run("verify", key.lower().replace("-", " "), "--pack", out / "sessions" / "s-cli.toml") == 0
    typo = key[:10] + ("X" if key[10] != "X" else "Y") + key[11:]
    assert run("verify", typo, "--pack", out) == 1
    assert "mistyped" in capsys.readouterr().err


def test_the_zip_installs_with_the_apps_installer(env: Path, tmp_path: Path) -> None:
    assert run("init", "--name", "Pub") == 0
    assert run("pack", make_source(tmp_path / "src", "s-zip"), "--output", tmp_path / "pack", "--zip") == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as archive:
        assert sorted(archive.namelist())[-1] == "sessions/s-zip.toml"
    installed = install_pack(tmp_path / "pack.zip", data_directory=tmp_path / "data")
    assert [s.id for s in installed.sessions] == ["s-zip"]


def test_wrong_passphrase_is_one_line_and_exit_1(env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run("init") == 0
    monkeypatch.setenv("MOVEMENT_PLAYER_PASSPHRASE", "not it")
    assert run("issue", "--session", "x", "--to", "Ann") == 1
    err = capsys.readouterr().err
    assert err == f"error: {env / 'private-key.json'}: wrong passphrase, or the publisher key file is damaged\n"


def test_source_problems_are_listed_one_per_line(env: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    source = make_source(tmp_path / "src", "s-bad")
    manifest = source / "session.toml"
    manifest.write_text(manifest.read_text().replace('price = "$20"', "price = 20").replace('"Part part-b"', "[]"))
    assert run("init", "--name", "Pub") == 0
    assert run("pack", source, "--output", tmp_path / "pack") == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"error: {manifest}: full.price: must be a non-empty string, got an integer",
                     f"error: {manifest}: full.parts[1].title: must be a non-empty string, got a list"]


def test_missing_workspace_and_chapters_without_video(env: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert run("issue", "--session", "x", "--to", "Ann") == 1
    assert "not a publisher workspace" in capsys.readouterr().err
    assert run("pack", tmp_path, "--output", tmp_path / "p", "--chapters", tmp_path / "c.txt") == 1
    assert capsys.readouterr().err == "error: --chapters needs --from-video\n"
