"""``movement-player license ...``: the practitioner's license keys. No Qt. (``install`` is cli/install.py.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from player.core.errors import LicenseError
from player.core.licensing.keystore import LICENSES_DIRNAME, LicenseStore, key_or_license_file, verify_for_library
from player.core.session.library import library_roots, scan_library
from player.core.session.manifest import Session
from player.core.text import printable


def add_license_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``license`` command."""
    license_parser = commands.add_parser("license", help="add, list, remove or verify license keys")
    actions = license_parser.add_subparsers(dest="license_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="verify a key (or license file) and keep it: unlocks the full session")
    add.add_argument("key", metavar="KEY|FILE", help="the key text (quote it) or a license file")
    actions.add_parser("list", help="list stored keys: session, license number, licensee, status")
    remove = actions.add_parser("remove", help="forget a stored key")
    remove.add_argument("license_id", metavar="LICENSE_ID", help="the license number (see: license list)")
    verify = actions.add_parser("verify", help="check a key without keeping it (exit 0 when it unlocks something)")
    verify.add_argument("key", metavar="KEY|FILE", help="the key text (quote it) or a license file")


def run_license(args: argparse.Namespace, data_directory: Path) -> int:
    """Run ``license ...``; returns the exit code."""
    store = LicenseStore(data_directory / LICENSES_DIRNAME)
    sessions = _sessions(data_directory)
    try:
        if args.license_command == "add":
            license_ = store.add(key_or_license_file(args.key), sessions)
            print(f"Unlocked '{_title(sessions, license_.session_id)}': license {license_.license_id}, "
                  f"licensed to {printable(license_.licensee)}.")
        elif args.license_command == "verify":
            license_ = verify_for_library(key_or_license_file(args.key), sessions)
            print(f"Valid: unlocks '{_title(sessions, license_.session_id)}', license {license_.license_id}, "
                  f"licensed to {printable(license_.licensee)}, issued {license_.issued_on.isoformat()}.")
        elif args.license_command == "remove":
            for file in store.remove(args.license_id):
                print(f"Removed {file.name}.")
        else:
            return _list(store, sessions)
    except LicenseError as exc:
        prefix = "Not removed" if args.license_command == "remove" else "Not unlocked"
        print(f"{prefix}: {printable(exc.message.rstrip('.'))}.", file=sys.stderr)
        return 1
    return 0


def _list(store: LicenseStore, sessions: list[Session]) -> int:
    licenses, problems = store.verified(sessions)
    if not licenses and not problems:
        print("No license keys stored.")
    for license_ in licenses.values():
        print(f"{license_.license_id}  {license_.session_id}  licensed to {printable(license_.licensee)}  "
              f"issued {license_.issued_on.isoformat()}  ok")
    for problem in problems:
        print(f"{printable(problem.file.name)}: NOT VALID: {printable(problem.message)}")
    return 0


def _sessions(data_directory: Path) -> list[Session]:
    return [e.session for e in scan_library(library_roots(data_directory)) if e.session is not None and e.available]


def _title(sessions: list[Session], session_id: str) -> str:
    return printable(next((s.title for s in sessions if s.id == session_id), session_id))
