"""``movement-player check [PATH...]``: validate session manifests and their media. No Qt."""

from __future__ import annotations

import sys
from pathlib import Path

from player.core.session.library import builtin_root, read_entry
from player.core.text import printable


def run_check(paths: list[Path]) -> int:
    """Print each problem (file, field, reason) or ``ok: ...`` per manifest; returns 1 on any problem."""
    files = _manifest_files(paths)
    if not files:
        print("No manifests to check.", file=sys.stderr)
        return 1
    problems = 0
    for file in files:
        entry = read_entry(file, media_dir=file.resolve().parent.parent / "media")
        for problem in entry.problems:
            print(printable(problem.message))  # values from the file are quoted: escapes never reach the terminal
        problems += len(entry.problems)
        if entry.available and entry.session:
            print(f"ok: {file} ({entry.session.id}, {len(entry.session.preview)} snippets)")
    return 1 if problems else 0


def _manifest_files(paths: list[Path]) -> list[Path]:
    if not paths:
        return sorted(builtin_root().sessions_dir.glob("*.toml"))
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files
