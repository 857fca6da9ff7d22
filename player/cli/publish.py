"""``movement-player publish ...``: the publisher's tools (workspace, packs, license keys). No Qt.

Also runs on its own before it is wired into ``player.cli.entry``: ``python -m player.cli.publish publish ...``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from player.core.bounded import UnreadableFileError, read_text_limited
from player.core.errors import MovementPlayerError, PublisherError
from player.core.licensing.keystore import key_or_license_file
from player.core.text import printable
from player.publisher import defaults
from player.publisher.pack import Pack, build_pack
from player.publisher.sales import issue_key, license_file_text, verify_key
from player.publisher.source import ManifestProblemsError
from player.publisher.workspace import create_workspace, open_workspace, workspace_dir

_WORKSPACE_HELP = (f"the publisher workspace (default: ${defaults.WORKSPACE_ENV}, else the platform's user data "
                   f"directory '{defaults.WORKSPACE_APPNAME}')")
_PASSPHRASE_HELP = (f"read the passphrase from the first line of FILE (else ${defaults.PASSPHRASE_ENV}, else it "
                    "is asked for)")


def add_publish_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``publish`` command and its sub-commands (each with help text) to ``commands``."""
    publish = commands.add_parser(
        "publish", help="publisher tools: key pair, session packs, license keys",
        description="Make a publisher key pair, build session packs with encrypted paid parts, "
                    "issue license keys (recorded in a ledger) and check them.",
    )
    actions = publish.add_subparsers(dest="publish_command", metavar="ACTION", required=True)
    _add_init(actions)
    _add_pack(actions)
    _add_issue(actions)
    _add_verify(actions)


def _add_common(parser: argparse.ArgumentParser, *, passphrase: bool = True) -> None:
    parser.add_argument("--workspace", metavar="DIR", help=_WORKSPACE_HELP)
    if passphrase:
        parser.add_argument("--passphrase-file", metavar="FILE", type=Path, help=_PASSPHRASE_HELP)


def _add_init(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    init = actions.add_parser("init", help="create a publisher workspace with a new key pair; prints the public key")
    _add_common(init)
    init.add_argument("--name", default="", help="the publisher's name, as packs show it (else --publisher-name "
                                                 "is needed when packing)")


def _add_pack(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pack = actions.add_parser("pack", help="build a session pack: copy the previews, encrypt the paid parts, "
                                           "write and check the manifest")
    pack.add_argument("source", metavar="SOURCE", type=Path,
                      help=f"a folder holding {defaults.SOURCE_MANIFEST} (with [full] and [[full.parts]]) and the "
                           "videos it names, relative to it")
    pack.add_argument("--output", metavar="PACK_DIR", type=Path, required=True,
                      help="the pack folder: sessions/<id>.toml and media/<id>/ are written there")
    _add_common(pack)
    pack.add_argument("--publisher-name", metavar="NAME", help="the name in [publisher] (default: the workspace's)")
    pack.add_argument("--from-video", metavar="LONG", type=Path,
                      help="cut every paid part from this long video (the parts then have no media)")
    pack.add_argument("--chapters", metavar="FILE", type=Path,
                      help="with --from-video: one line per part, 'HH:MM:SS[.mmm] part-id', its start time "
                           "(default: the video's own chapter markers, one per part in order)")
    pack.add_argument("--zip", action="store_true", help="also write PACK_DIR.zip, ready for: movement-player install")
    pack.add_argument("--replace", action="store_true", help="replace the session if the pack already holds it")


def _add_issue(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    issue = actions.add_parser("issue", help="issue a license key for one sale, record it in the ledger, print it")
    issue.add_argument("--session", metavar="ID", required=True, help="the session id (packed from this workspace)")
    issue.add_argument("--to", metavar="LABEL", required=True,
                       help="who it is licensed to, shown in the app (at most 40 bytes), e.g. a name or order number")
    issue.add_argument("--output", metavar="FILE", type=Path, help="also write a license file (comment lines + key)")
    _add_common(issue)


def _add_verify(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    verify = actions.add_parser("verify", help="check that a key is genuine, for the pack's session, and decrypts "
                                               "its paid parts (exit 0 yes, 1 no)")
    verify.add_argument("key", metavar="KEY|FILE", nargs="+", help="the key text or a license file")
    verify.add_argument("--pack", metavar="PACK_DIR_OR_MANIFEST", type=Path, required=True,
                        help="a pack folder, or one manifest (its media in ../media)")


def run_publish(args: argparse.Namespace) -> int:
    """Run ``publish ...``; returns the exit code (0 done, 1 a problem, reported on one line)."""
    commands = {"init": _init, "pack": _pack, "issue": _issue, "verify": _verify}
    try:
        return commands[args.publish_command](args)
    except ManifestProblemsError as exc:
        for problem in exc.problems:
            print(f"error: {printable(problem.message)}", file=sys.stderr)
    except MovementPlayerError as exc:
        print(f"error: {printable(exc.message)}", file=sys.stderr)
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
    except (KeyboardInterrupt, EOFError):
        print("\ncancelled", file=sys.stderr)
    return 1


def _passphrase(args: argparse.Namespace, *, confirm: bool = False) -> bytes:
    """From --passphrase-file, else the environment, else asked (twice with ``confirm``)."""
    text: str
    if args.passphrase_file is not None:
        try:
            text = read_text_limited(args.passphrase_file, max_bytes=64 * 1024).split("\n", 1)[0].rstrip("\r")
        except UnreadableFileError as exc:
            raise PublisherError(exc.message) from None
    elif defaults.PASSPHRASE_ENV in os.environ:
        text = os.environ[defaults.PASSPHRASE_ENV]
    elif sys.stdin.isatty():
        text = getpass.getpass("Publisher passphrase: ")
        if confirm and getpass.getpass("Again, to confirm: ") != text:
            raise PublisherError("the two passphrases differ; nothing was created")
    else:
        raise PublisherError(f"no passphrase: use --passphrase-file FILE or set ${defaults.PASSPHRASE_ENV}")
    if not text:
        raise PublisherError("the passphrase is empty")
    return text.encode("utf-8")


def _init(args: argparse.Namespace) -> int:
    directory = workspace_dir(override=args.workspace)
    workspace = create_workspace(directory, passphrase=_passphrase(args, confirm=True), name=args.name)
    print(f"Created the publisher workspace {directory}")
    print(f"Public key: {workspace.public_key_text()}")
    print("Keep the passphrase safe: without it no key can be issued. Never share private-key.json "
          "or content-keys.json.")
    return 0


def _pack(args: argparse.Namespace) -> int:
    if args.chapters is not None and args.from_video is None:
        raise PublisherError("--chapters needs --from-video")
    workspace = open_workspace(workspace_dir(override=args.workspace))
    started = time.perf_counter()
    pack = build_pack(
        args.source, workspace=workspace, passphrase=_passphrase(args), output=args.output, today=dt.date.today(),
        publisher_name=args.publisher_name, long_video=args.from_video, chapters=args.chapters,
        make_zip=args.zip, replace=args.replace,
    )
    _print_pack(pack, seconds=time.perf_counter() - started)
    return 0


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.1f} kB"


def _print_pack(pack: Pack, *, seconds: float) -> None:
    print(f"Packed '{pack.title}' ({pack.session_id}) in {seconds:.1f} s: {pack.manifest}")
    print(f"  previews: {_mb(pack.preview_bytes)}")
    for part in pack.parts:
        print(f"  paid part {part.id}: {part.duration_s:g} s, {_mb(part.size_bytes)} encrypted -> {part.file.name}")
    print("  content key: " + ("new, sealed in the workspace" if pack.new_content_key else
                               "the session's existing one (keys already issued keep working)"))
    if pack.zip_file is not None:
        print(f"  zip: {pack.zip_file} ({_mb(pack.zip_file.stat().st_size)})")
    for note in pack.notes:
        print(f"  note: {note}")


def _issue(args: argparse.Namespace) -> int:
    workspace = open_workspace(workspace_dir(override=args.workspace))
    sale = issue_key(workspace, passphrase=_passphrase(args), session_id=args.session, licensee=args.to,
                     today=dt.date.today())
    print(f"License {sale.license_id} for {sale.session_id}, licensed to {printable(sale.licensee)}, "
          f"issued {sale.issued_on.isoformat()} (recorded in {workspace.ledger_file}):", file=sys.stderr)
    print(sale.key_text)
    if args.output is not None:
        args.output.write_text(license_file_text(sale, title=workspace.content_keys.title(sale.session_id)),
                               encoding="utf-8")
        print(f"License file: {args.output}", file=sys.stderr)
    return 0


def _key_text(words: list[str]) -> str:
    """The key given on the command line (possibly split at spaces), or the content of a license file."""
    given = " ".join(words)
    return key_or_license_file(given) if len(words) == 1 else given


def _verify(args: argparse.Namespace) -> int:
    try:
        verified = verify_key(_key_text(args.key), pack=args.pack)
    except ManifestProblemsError:
        raise
    except MovementPlayerError as exc:
        print(f"Not valid: {printable(exc.message)}", file=sys.stderr)
        return 1
    license_, session = verified.license, verified.session
    parts = len(session.full.parts) if session.full else 0
    print(f"Valid: licensed to {printable(license_.licensee)} (license {license_.license_id}, issued "
          f"{license_.issued_on.isoformat()}) for '{session.title}' ({session.id}); it decrypts all {parts} "
          "paid part(s).")
    return 0


def _standalone(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="movement-player")
    add_publish_parser(parser.add_subparsers(dest="command", required=True))
    return run_publish(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(_standalone())
