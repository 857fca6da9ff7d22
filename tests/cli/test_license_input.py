"""Issue 10, findings 3 and 9: `license add/verify KEY` decide key or file without crashing on long keys,
license files are read bounded, and labels with control characters are stored safely and printed escaped."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import threading
from pathlib import Path

import pytest

from player.cli.license import run_license
from player.core.defaults import MAX_LICENSE_FILE_BYTES
from player.core.errors import LicenseError
from player.core.licensing.keys import issue_license
from player.core.licensing.keystore import LICENSES_DIRNAME, LicenseStore, key_or_license_file, read_license_file
from player.core.session.packs import install_pack
from tests.paid_fixtures import PaidSession, make_paid_session, sessions_in


@pytest.fixture
def installed(tmp_path: Path) -> tuple[PaidSession, Path]:
    paid = make_paid_session(tmp_path / "pack", "a-session-with-a-longer-name")
    data = tmp_path / "data"
    install_pack(paid.root, data_directory=data)
    return paid, data


def license_cli(data: Path, action: str, key: str) -> int:
    return run_license(argparse.Namespace(license_command=action, key=key), data)


def test_keys_of_every_length_from_240_to_340_characters_are_keys(installed: tuple[PaidSession, Path],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Finding 3: a key of 256-299 characters was tried as a file name first: "File name too long"."""
    paid, data = installed
    lengths = set()
    for size in range(1, 41):
        key = paid.key(licensee="J" * size)
        lengths.add(len(key))
        assert key_or_license_file(key) == key
        assert key_or_license_file(key.replace("-", " ").lower()) == key.replace("-", " ").lower()
        assert license_cli(data, "verify", key) == 0
    assert set(range(256, 300)) & lengths, sorted(lengths)
    assert license_cli(data, "add", paid.key(licensee="Jane")) == 0
    assert "licensed to Jane" in capsys.readouterr().out


@pytest.mark.parametrize("argument", ["x" * 5000, "a/" * 3000, "bad\x00name", "MP1-" + "Z" * 400])
def test_arguments_no_file_can_have_are_treated_as_key_text(installed: tuple[PaidSession, Path], argument: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    _paid, data = installed
    assert key_or_license_file(argument) == argument
    assert license_cli(data, "verify", argument) == 1
    err = capsys.readouterr().err
    assert err.startswith("Not unlocked: ") and "Traceback" not in err


def test_a_license_file_is_read_bounded(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.key"
    os.mkfifo(fifo)
    result: list[str] = []

    def read() -> None:
        with pytest.raises(LicenseError, match="pipe.key is not a regular file"):
            key_or_license_file(str(fifo))
        result.append("done")

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert result == ["done"], "reading a FIFO as a license file hung"
    big = tmp_path / "big.key"
    with big.open("wb") as handle:
        handle.truncate(MAX_LICENSE_FILE_BYTES + 1)
    with pytest.raises(LicenseError, match="big.key is too large"):
        read_license_file(big)
    with pytest.raises(LicenseError, match="zero is not a regular file"):
        read_license_file(Path("/dev/zero"))


def test_a_newline_in_the_label_does_not_break_the_stored_key(tmp_path: Path) -> None:
    """Finding 9: the label went into the file's comment line raw; its newline spilled into the key."""
    paid = make_paid_session(tmp_path / "lib")
    sessions = sessions_in(paid.root)
    key = issue_license(private_key=paid.private_key, session_id=paid.session_id, license_id=3,
                        licensee="Eve\nMP1-XXXXX\n\x1b[2J", issued_on=dt.date(2026, 11, 23),
                        content_key=paid.content_key)
    store = LicenseStore(tmp_path / LICENSES_DIRNAME)
    store.add(key, sessions)
    licenses, problems = store.verified(sessions)
    assert problems == [] and licenses[paid.session_id].licensee == "Eve\nMP1-XXXXX\n\x1b[2J"
    comment = store.files()[0].read_text().splitlines()[0]
    assert comment.startswith("#") and "\\n" in comment and "\x1b" not in comment


def test_labels_are_printed_with_control_characters_escaped(installed: tuple[PaidSession, Path],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    paid, data = installed
    key = issue_license(private_key=paid.private_key, session_id=paid.session_id, license_id=4,
                        licensee="\x1b]0;pwned\x07\x1b[31mRed\u202e", issued_on=dt.date(2026, 11, 23),
                        content_key=paid.content_key)
    assert license_cli(data, "add", key) == 0
    assert run_license(argparse.Namespace(license_command="list"), data) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;pwned\\x07\\x1b[31mRed\\u202e" in out
