"""Unlocking is decrypting: stored keys, re-verification, swapped parts, edited data, decrypting streams."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from player.core.errors import CryptoError, LicenseError
from player.core.licensing.encryption import HeaderError
from player.core.licensing.keys import LicenseNotGenuineError, LicenseTypoError, LicenseWrongSessionError
from player.core.licensing.keystore import LicenseStore, verify_for_library
from player.core.licensing.paid_parts import check_unlocks, open_part
from tests.paid_fixtures import PLAIN, PaidSession, make_paid_session, sessions_in


def test_genuine_key_is_kept_and_reverified(paid: PaidSession, tmp_path: Path) -> None:
    store = LicenseStore(tmp_path / "licenses")
    sessions = sessions_in(paid.root)
    license_ = store.add(paid.key(), sessions)
    assert (license_.session_id, license_.license_id, license_.licensee) == ("paid-demo", "7", "Ada")
    assert [f.name for f in store.files()] == ["paid-demo-7.key"]
    licenses, problems = LicenseStore(tmp_path / "licenses").verified(sessions)
    assert problems == [] and licenses["paid-demo"].content_key == paid.content_key


def test_paste_tolerant(paid: PaidSession) -> None:
    messy = "  " + paid.key().lower().replace("-", " ").replace("0", "o") + "\n"
    assert verify_for_library(messy, sessions_in(paid.root)).license_id == "7"


def test_license_file_with_comments(paid: PaidSession) -> None:
    text = "# Movement Player license\n# for Ada\n" + paid.key() + "\n"
    assert verify_for_library(text, sessions_in(paid.root)).licensee == "Ada"


def test_typo_reported_as_typo(paid: PaidSession) -> None:
    key = paid.key()
    position = 30
    wrong = "1" if key[position] != "1" else "2"
    with pytest.raises(LicenseTypoError, match="group"):
        verify_for_library(key[:position] + wrong + key[position + 1 :], sessions_in(paid.root))


def test_key_from_another_publisher_is_not_genuine(paid: PaidSession, tmp_path: Path) -> None:
    other = make_paid_session(tmp_path / "other", "paid-demo")
    with pytest.raises(LicenseNotGenuineError):
        verify_for_library(other.key(), sessions_in(paid.root))


def test_key_for_another_session(paid: PaidSession, tmp_path: Path) -> None:
    other = make_paid_session(tmp_path / "other", "other-session")
    with pytest.raises(LicenseWrongSessionError, match="other-session"):
        verify_for_library(paid.key(session_id="other-session"), sessions_in(paid.root))
    with pytest.raises(LicenseNotGenuineError):
        verify_for_library(other.key(), sessions_in(paid.root))


def test_parts_swapped_between_sessions_do_not_decrypt(paid: PaidSession, tmp_path: Path) -> None:
    other = make_paid_session(tmp_path / "other", "other-session", private_key=paid.private_key)
    shutil.copy(other.part("part-one"), paid.part("part-one"))
    with pytest.raises(LicenseError, match="does not decrypt the installed media"):
        verify_for_library(paid.key(), sessions_in(paid.root, other.root))


def test_parts_swapped_within_a_session_do_not_decrypt(paid: PaidSession) -> None:
    session = sessions_in(paid.root)[0]
    first, second = paid.part("part-one"), paid.part("part-two")
    first_bytes = first.read_bytes()
    first.write_bytes(second.read_bytes())
    second.write_bytes(first_bytes)
    with pytest.raises(HeaderError):
        check_unlocks(session, paid.content_key)


def test_decrypting_stream_reads_and_seeks_the_plaintext(paid: PaidSession) -> None:
    session = sessions_in(paid.root)[0]
    assert session.full is not None
    part = open_part(session, session.full.parts[1], paid.content_key)
    assert part.size == len(PLAIN) and part.name == "part-two.mpe"
    with part.open() as stream:
        assert stream.read() == PLAIN
        stream.seek(5000)
        assert stream.read(100) == PLAIN[5000:5100]
        assert stream.seek(-10, io.SEEK_END) == len(PLAIN) - 10


@pytest.mark.parametrize("damage", ["truncate", "extend", "flip"])
def test_damaged_part_refuses_to_open(paid: PaidSession, damage: str) -> None:
    path = paid.part("part-one")
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[:-20]
    elif damage == "extend":
        data += b"\x00" * 20
    else:
        data[-30] ^= 1
    path.write_bytes(bytes(data))
    session = sessions_in(paid.root)[0]
    assert session.full is not None
    with pytest.raises(CryptoError):
        open_part(session, session.full.parts[0], paid.content_key)


def test_wrong_content_key_cannot_play(paid: PaidSession) -> None:
    """Patched code that skips the license check still has no key: the media stays sealed."""
    session = sessions_in(paid.root)[0]
    assert session.full is not None
    with pytest.raises(HeaderError):
        open_part(session, session.full.parts[0], bytes(16))


def test_edited_data_directory_does_not_unlock(paid: PaidSession, tmp_path: Path) -> None:
    store = LicenseStore(tmp_path / "licenses")
    store.directory.mkdir()
    (store.directory / "paid-demo-1.key").write_text("MP1-UNLOCKED-TRUE\n")
    forged = paid.key().replace(paid.key()[-12:-7], "00000")
    (store.directory / "paid-demo-2.key").write_text(forged)
    other = make_paid_session(tmp_path / "forger", "paid-demo")
    (store.directory / "paid-demo-3.key").write_text(other.key())
    licenses, problems = store.verified(sessions_in(paid.root))
    assert licenses == {}
    assert [p.file.name for p in problems] == ["paid-demo-1.key", "paid-demo-2.key", "paid-demo-3.key"]


def test_key_kept_but_media_replaced_is_reported_at_start(paid: PaidSession, tmp_path: Path) -> None:
    store = LicenseStore(tmp_path / "licenses")
    store.add(paid.key(), sessions_in(paid.root))
    paid.part("part-two").write_bytes(b"\x00" * 1000)
    licenses, problems = store.verified(sessions_in(paid.root))
    assert licenses == {} and "does not decrypt the installed media" in problems[0].message


def test_remove(paid: PaidSession, tmp_path: Path) -> None:
    store = LicenseStore(tmp_path / "licenses")
    store.add(paid.key(), sessions_in(paid.root))
    assert [p.name for p in store.remove("7")] == ["paid-demo-7.key"]
    with pytest.raises(LicenseError, match="no stored license 7"):
        store.remove("7")


def test_no_paid_sessions(tmp_path: Path, paid: PaidSession) -> None:
    with pytest.raises(LicenseError, match="No installed session has a paid part"):
        verify_for_library(paid.key(), [])
