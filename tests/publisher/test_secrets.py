"""Issue 10, findings 9-11: the private key sealed with scrypt like the content keys, weak passphrases
refused with a reason, labels without control characters, and a ledger that keeps no key in clear."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from player.core.errors import PublisherError
from player.core.licensing.keys import generate_keypair, private_key_to_encrypted_pem, public_key_to_text
from player.publisher import defaults
from player.publisher.ledger import key_fingerprint, open_ledger, sales
from player.publisher.sales import issue_key
from player.publisher.secrets import PASSPHRASE_RULE, passphrase_problem
from player.publisher.workspace import create_workspace, open_workspace
from tests.conftest import DATA
from tests.publisher.test_publisher import PASSPHRASE, TODAY, pack

DEMO = DATA / "demo-publisher"


pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.mark.parametrize(("passphrase", "reason"), [
    (b"x", "it has 1 characters; use at least 12"),
    (b"s3cret", "it has 6 characters"),
    (b"aaaaaaaaaaaaaaaaaaaaaaaa", "only 1 different characters"),
    (b"abababababab", "only 2 different characters"),
    (b"123456789012345", "only digits"),
    (b"\xff\xfe" * 8, "not UTF-8"),
])
def test_weak_passphrases_are_refused_with_a_reason(tmp_path: Path, passphrase: bytes, reason: str) -> None:
    assert reason in passphrase_problem(passphrase)
    with pytest.raises(PublisherError, match="the passphrase is too weak") as refused:
        create_workspace(tmp_path / "ws", passphrase=passphrase)
    assert reason in refused.value.message and PASSPHRASE_RULE in refused.value.message
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize("passphrase", [b"correct horse", b"demo-publisher", "Grüße aus Köln".encode()])
def test_reasonable_passphrases_pass(passphrase: bytes) -> None:
    assert passphrase_problem(passphrase) == ""


def test_the_private_key_costs_as_much_to_guess_as_the_content_keys(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "SCRYPT_LOG_N", 14)
    workspace = create_workspace(tmp_path / "ws", passphrase=PASSPHRASE, name="P")
    pack(tmp_path, workspace)
    sealed = json.loads(workspace.private_key_file.read_text())
    content = json.loads((workspace.directory / "content-keys.json").read_text())["sessions"]["s-one"]
    assert sealed["kdf"] == content["kdf"] == "scrypt"
    assert (sealed["log_n"], sealed["r"], sealed["p"]) == (content["log_n"], content["r"], content["p"]) == (14, 8, 1)
    assert b"PRIVATE KEY" not in workspace.private_key_file.read_bytes()
    with pytest.raises(PublisherError, match="wrong passphrase"):
        workspace.unlock(b"correct horsf")


def test_the_committed_demo_workspace_is_sealed_with_scrypt_and_its_ledger_holds_no_key() -> None:
    sealed = json.loads((DEMO / "private-key.json").read_text())
    assert (sealed["kdf"], sealed["log_n"]) == ("scrypt", 17)
    assert not (DEMO / "private-key.pem").exists()
    key = "".join(line for line in (DEMO / "demo-license.key").read_text().splitlines() if not line.startswith("#"))
    raw = (DEMO / "ledger.db").read_bytes()
    assert key.encode() not in raw and b"MP1-" not in raw
    with sqlite3.connect(f"file:{DEMO / 'ledger.db'}?mode=ro", uri=True) as db:
        columns = [row[1] for row in db.execute("pragma table_info(ledger)")]
        assert columns == ["license_id", "session_id", "licensee", "issued_on", "key_sha256"]
        assert db.execute("select key_sha256 from ledger").fetchone()[0] == key_fingerprint(key)


def legacy_workspace(folder: Path) -> tuple[Path, str]:
    """A workspace as older versions wrote it: PBKDF2 PEM, and a ledger with the key text in clear."""
    folder.mkdir()
    private_key, public_key = generate_keypair()
    (folder / "private-key.pem").write_bytes(private_key_to_encrypted_pem(private_key, PASSPHRASE))
    (folder / "public-key.txt").write_text(public_key_to_text(public_key) + "\n")
    key_text = "MP1-" + "ABCDE-" * 50 + "FGHJK"
    with sqlite3.connect(folder / "ledger.db") as db:
        db.execute("create table ledger (license_id integer primary key, session_id text not null, "
                   "licensee text not null, issued_on text not null, key_text text not null)")
        db.execute("insert into ledger values (1, 's', 'Ann', '2026-11-23', ?)", [key_text])
    db.close()
    return folder, key_text


def test_an_older_workspace_is_resealed_and_its_ledger_forgets_the_keys(tmp_path: Path) -> None:
    folder, key_text = legacy_workspace(tmp_path / "old")
    workspace = open_workspace(folder)
    with pytest.raises(PublisherError, match="wrong passphrase"):
        workspace.unlock(b"not the passphrase")
    assert (folder / "private-key.pem").exists() and not (folder / "private-key.json").exists()
    private_key = workspace.unlock(PASSPHRASE)
    assert not (folder / "private-key.pem").exists()
    assert json.loads((folder / "private-key.json").read_text())["kdf"] == "scrypt"
    assert workspace.unlock(PASSPHRASE).private_bytes_raw() == private_key.private_bytes_raw()
    with open_ledger(workspace.ledger_file) as db:
        assert [(s.license_id, s.licensee, s.key_sha256) for s in sales(db)] == [(1, "Ann", key_fingerprint(key_text))]
    assert key_text.encode() not in workspace.ledger_file.read_bytes()


def test_issued_keys_are_not_in_the_ledger_and_can_be_issued_again_identically(tmp_path: Path) -> None:
    workspace = create_workspace(tmp_path / "ws", passphrase=PASSPHRASE, name="P")
    pack(tmp_path, workspace)
    sale = issue_key(workspace, passphrase=PASSPHRASE, session_id="s-one", licensee="Ann", today=TODAY)
    assert sale.key_text.encode() not in workspace.ledger_file.read_bytes()
    with open_ledger(workspace.ledger_file) as db:
        assert sales(db)[0].key_sha256 == key_fingerprint(sale.key_text) and sales(db)[0].key_text == ""


@pytest.mark.parametrize("label", ["Ann\nMP1-XXXXX", "\x1b[31mred", "tab\there", "bidi\u202eevil", "nul\x00"])
def test_labels_with_control_characters_are_refused(tmp_path: Path, label: str) -> None:
    workspace = create_workspace(tmp_path / "ws", passphrase=PASSPHRASE, name="P")
    pack(tmp_path, workspace)
    with pytest.raises(PublisherError, match="control characters"):
        issue_key(workspace, passphrase=PASSPHRASE, session_id="s-one", licensee=label, today=dt.date(2026, 11, 23))
    with open_ledger(workspace.ledger_file) as db:
        assert sales(db) == []
    with pytest.raises(PublisherError, match="publisher name contains control characters"):
        create_workspace(tmp_path / "other", passphrase=PASSPHRASE, name="Pub\nlisher")


def test_a_copy_of_the_demo_workspace_unlocks_with_its_documented_passphrase(tmp_path: Path) -> None:
    workspace = open_workspace(Path(shutil.copytree(DEMO, tmp_path / "demo")))
    workspace.unlock(b"demo-publisher")
    assert workspace.content_keys.get("foot-spine-connections", passphrase=b"demo-publisher") is not None


def test_a_source_manifest_that_nests_deeply_or_is_a_fifo_is_a_clear_error(tmp_path: Path) -> None:
    import os

    from player.publisher.source import read_source

    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "session.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(PublisherError, match="nest too deeply"):
        read_source(tmp_path / "deep", from_video=False)
    (tmp_path / "fifo").mkdir()
    os.mkfifo(tmp_path / "fifo" / "session.toml")
    with pytest.raises(PublisherError, match="is not a regular file"):
        read_source(tmp_path / "fifo", from_video=False)
