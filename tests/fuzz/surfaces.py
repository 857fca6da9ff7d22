"""One harness per input surface (issue 10): feed it hostile input, and it must end in a result or the
surface's own clear error: never another exception (a traceback), never a hang, never a half-done install.

Each ``Harness.run(case)`` returns "ok" or "refused" and raises AssertionError for anything else, naming
the surface and the exception. The fast tests and the long campaign (``-m slow``) share them; ``COUNTS``
tallies the cases run per surface.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import signal
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from player.core.errors import CryptoError, LicenseError, ManifestError
from player.core.journal.review import search_notes
from player.core.journal.store import Answers, Journal
from player.core.licensing.encryption import ChunkedReader, encrypt, media_context
from player.core.licensing.keys import parse_license, verify_license
from player.core.licensing.keystore import key_or_license_file, read_license_file, verify_for_library
from player.core.session.cues import first_cue_in, parse_cues, read_cues
from player.core.session.library import library_roots, scan_library
from player.core.session.manifest import Session, read_session
from player.core.session.packs import PackError, install_pack
from player.core.session.settings import SPEED_STEPS, load_settings, save_settings
from tests.paid_fixtures import PLAIN, PaidSession, make_paid_session, sessions_in

COUNTS: Counter[str] = Counter()
CASE_SECONDS = 10  # far beyond any honest case (most take milliseconds): more means a hang


class Hang(Exception):
    """A case ran past CASE_SECONDS."""


@contextmanager
def time_limit(seconds: int = CASE_SECONDS) -> Iterator[None]:
    """Raise Hang inside the case after ``seconds`` (SIGALRM: the main thread, as pytest runs tests)."""
    def expire(_signum: int, _frame: object) -> None:
        raise Hang(f"more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def guarded(surface: str, action: Callable[[], str], expected: tuple[type[BaseException], ...]) -> str:
    """Run one case: "ok", "refused" (one of ``expected``), else AssertionError naming what escaped."""
    COUNTS[surface] += 1
    try:
        with time_limit():
            return action()
    except expected as exc:
        message = getattr(exc, "message", str(exc))
        assert isinstance(message, str) and message.strip(), f"{surface}: an error without a message: {exc!r}"
        return "refused"
    except Hang as exc:
        raise AssertionError(f"{surface}: hang ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - what the fuzzing looks for
        raise AssertionError(f"{surface}: traceback: {type(exc).__name__}: {exc}"[:2000]) from exc


# --- Manifests --------------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """TOML for a fuzzed value, including what the publisher's writer refuses (nan, inf, huge ints)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {float("inf"): "inf", float("-inf"): "-inf"}.get(value, "nan" if value != value else repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)  # \uXXXX escapes; lone surrogates make invalid TOML
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value))


def manifest_text(data: dict[str, Any]) -> str:
    """A manifest from a dict: top-level keys, then [publisher], [[preview]], [full], [[full.parts]]."""
    lines = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in data.items() if not isinstance(v, dict | list)
             or k not in ("preview", "publisher", "full")]
    for key in ("publisher",):
        if isinstance(data.get(key), dict):
            lines += [f"[{key}]", *(f"{json.dumps(k)} = {toml_value(v)}" for k, v in data[key].items())]
    for table in data.get("preview", []) if isinstance(data.get("preview"), list) else []:
        if isinstance(table, dict):
            lines += ["[[preview]]", *(f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items())]
    full = data.get("full")
    if isinstance(full, dict):
        lines += ["[full]", *(f"{json.dumps(k)} = {toml_value(v)}" for k, v in full.items() if k != "parts")]
        for table in full.get("parts", []) if isinstance(full.get("parts"), list) else []:
            if isinstance(table, dict):
                lines += ["[[full.parts]]", *(f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items())]
    return "\n".join(lines) + "\n"


@dataclass
class Library:
    """A library folder with real media, a FIFO, a link and a huge sparse file for manifests to point at."""

    root: Path
    paid: PaidSession

    @classmethod
    def make(cls, root: Path) -> Library:
        paid = make_paid_session(root, "demo")
        media = root / "media" / "demo"
        (media / "one.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nFirst cue\n")
        os.mkfifo(media / "fifo.mp4")
        (media / "link.mp4").symlink_to("/dev/zero")
        with (media / "huge.vtt").open("wb") as handle:
            handle.truncate(64 * 1024**2)
        return cls(root, paid)

    @property
    def manifest(self) -> Path:
        return self.root / "sessions" / "demo.toml"

    def base(self) -> dict[str, Any]:
        """The valid paid manifest as a dict (its text is what make_paid_session wrote)."""
        import tomllib

        return tomllib.loads(self.manifest.read_text())


def check_session(session: Session) -> None:
    """What the app does with a parsed session must not raise: totals, formatting, the first cue."""
    total = session.preview_duration_s + session.full_duration_s
    assert 0 < total < float("inf")
    divmod(round(total), 60)
    for snippet in (*session.preview, *(session.full.parts if session.full else ())):
        assert isinstance(snippet.first_cue, str) and len(snippet.id) <= 64


def run_manifest(path: Path, media_root: Path) -> str:
    def action() -> str:
        session, problems = read_session(path, media_root=media_root)
        assert all(isinstance(p, ManifestError) and p.file == str(path) for p in problems)
        if session is not None:
            check_session(session)
        return "ok" if session is not None and not problems else "refused"

    return guarded("manifest", action, ())


# --- Packs ------------------------------------------------------------------------------------------


SECRET = b"a secret outside the pack, which no install may copy"


def check_installed(data: Path, work: Path, before: set[Path]) -> None:
    """After an install, refused or not: no staging left, nothing written outside ``data/packs/<id>/`` and
    ``publishers.json``, no file linked from outside copied in, and the library loads."""
    packs = data / "packs"
    assert not [p for p in packs.iterdir() if p.name.startswith(".")] if packs.exists() else True, "staging left"
    for path in work.rglob("*"):
        if path in before or path == packs or path.name == "publishers.json" and path.parent == data:
            continue
        inside = path.is_relative_to(packs) and not path.relative_to(packs).parts[0].startswith(".")
        assert inside, f"written outside the pack folder: {path}"
        if path.is_file() and not path.is_symlink():
            assert path.read_bytes() != SECRET, f"a linked file was copied in: {path}"
        assert not path.is_symlink(), f"a link was installed: {path}"
    for entry in scan_library(library_roots(data)):
        if entry.session is not None:
            check_session(entry.session)


def run_pack(surface: str, pack: Path, data: Path, work: Path) -> str:
    before = set(work.rglob("*"))

    def action() -> str:
        try:
            install_pack(pack, data_directory=data, replace=True)
        finally:
            check_installed(data, work, before)
        return "ok"

    return guarded(surface, action, (PackError,))


def zip_bytes(entries: list[tuple[str, bytes, int]]) -> bytes:
    """A zip of (name, data, unix mode) entries; mode 0o120777 makes a symbolic link."""
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as archive, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # repeated names are one of the attacks
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return sink.getvalue()


# --- Keys, license files ----------------------------------------------------------------------------


def run_key_text(text: str, paid: PaidSession, sessions: list[Session]) -> str:
    from player.core.licensing.keys import public_key_from_text

    public_key = public_key_from_text(sessions[0].publisher.public_key if sessions[0].publisher else "")

    def action() -> str:
        verify_license(text, public_key=public_key, expected_session_id=paid.session_id)
        parse_license(text, public_keys={paid.session_id: public_key})
        verify_for_library(key_or_license_file(text), sessions)
        return "ok"

    return guarded("license key text", action, (LicenseError,))


def run_license_file(path: Path, sessions: list[Session]) -> str:
    def action() -> str:
        verify_for_library(read_license_file(path), sessions)
        return "ok"

    return guarded("license file", action, (LicenseError,))


# --- WebVTT -----------------------------------------------------------------------------------------


def run_webvtt(data: bytes, path: Path) -> str:
    def action() -> str:
        text = data.decode("utf-8", errors="replace")
        cues = parse_cues(text)
        assert first_cue_in(text) == (cues[0].text if cues else "")
        path.write_bytes(data)
        assert read_cues(path) == cues
        assert all(c.start_ms >= 0 and c.end_ms >= 0 and "\n" not in c.text for c in cues)
        return "ok"

    return guarded("WebVTT", action, ())


# --- Encrypted parts --------------------------------------------------------------------------------

PART_KEY = bytes(range(16))
PART_CONTEXT = media_context("demo", "part")
PART_PLAIN = PLAIN[:40_000]
PART_SEALED = encrypt(PART_PLAIN, key=PART_KEY, context=PART_CONTEXT, salt=bytes(24))


def run_encrypted(data: bytes, seeks: list[tuple[int, int]]) -> str:
    def action() -> str:
        reader = ChunkedReader(io.BytesIO(data), key=PART_KEY, context=PART_CONTEXT)
        whole = reader.read()
        for offset, count in seeks:
            assert reader.read_at(offset, count) == whole[offset:offset + count]
        assert data == PART_SEALED and whole == PART_PLAIN, "altered ciphertext decrypted"
        return "ok"

    return guarded("encrypted part", action, (CryptoError,))


# --- Settings ---------------------------------------------------------------------------------------


def run_settings(data: bytes, folder: Path) -> str:
    def action() -> str:
        for leftover in folder.iterdir():
            leftover.unlink()
        (folder / "settings.json").write_bytes(data)
        settings = load_settings(folder)
        assert 0 <= settings.volume_percent <= 100 and settings.countdown_s >= 1
        assert all(rate in SPEED_STEPS for rate in settings.speeds.values())
        save_settings(folder, settings)
        assert load_settings(folder) == settings
        return "ok"

    return guarded("settings file", action, ())


# --- Note search ------------------------------------------------------------------------------------


def make_journal(path: Path) -> Journal:
    journal = Journal.open(path)
    start = datetime(2026, 11, 2, 8, tzinfo=UTC)
    run = journal.start_run("demo", now=start)
    for index, note in enumerate(["Left big toe stiff", 'Sore "quoted" AND( back NEAR(x y) *', "ünïcödé ✓ 日本語"]):
        journal.save_checkin(run.id, f"s{index}", Answers(discomfort=index, note=note),
                             now=start + dt.timedelta(minutes=index))
    return journal


def run_note_search(journal: Journal, text: str) -> str:
    def action() -> str:
        hits = search_notes(journal, text, tz=UTC)
        assert isinstance(hits, list)
        return "ok"

    return guarded("note search", action, ())


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


__all__ = ["COUNTS", "Library", "PART_SEALED", "fresh", "make_journal", "manifest_text", "run_encrypted",
           "run_key_text", "run_license_file", "run_manifest", "run_note_search", "run_pack", "run_settings",
           "run_webvtt", "sessions_in", "zip_bytes"]
