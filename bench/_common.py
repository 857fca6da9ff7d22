"""Shared helpers of the benchmarks: figures, verdicts, a private Xvfb, the session to play. No Qt, no vlc."""

from __future__ import annotations

import ctypes
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # measure the working tree this bench/ belongs to, installed or not
    sys.path.insert(0, str(REPO))

from player.core.session.library import LibraryRoot, builtin_root, find_entry, scan_library  # noqa: E402

BUILTIN_SESSION = "foot-spine-connections"
FALLBACK_CLIP = REPO / "tests" / "data" / "clip-2s.mp4"
FALLBACK_SNIPPETS = 4
SCREEN = "1280x800x24"
XVFB_STOP_TIMEOUT_S = 10.0
PR_SET_PDEATHSIG = 1


# ---- figures ------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (0-100) of ``values``, linearly interpolated between the closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def verdict(met: bool) -> str:
    """What a figure says about its target: ``ok`` or a loud ``MISSED``."""
    return "ok" if met else "MISSED"


def print_distribution(label: str, values_ms: Sequence[float], *, pcts: Sequence[int] = (50, 95),
                       target_pct: int | None = 95, target_ms: float | None = None) -> bool:
    """Print ``label: n=.. p50=.. p95=.. max=..`` and the target; True when the target is met (or none)."""
    figures = "  ".join(f"p{p}={percentile(values_ms, p):7.2f}" for p in pcts)
    line = f"{label}: n={len(values_ms)}  {figures}  max={max(values_ms):7.2f} ms"
    if target_ms is None or target_pct is None:
        print(line)
        return True
    met = percentile(values_ms, target_pct) < target_ms
    print(f"{line}   target p{target_pct} < {target_ms:g} ms: {verdict(met)}")
    return met


# ---- X11 ------------------------------------------------------------------------------------------------


def die_with_parent() -> None:
    """``preexec_fn`` for children: they get SIGTERM when the benchmark dies, even by SIGKILL (Linux)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextmanager
def private_xvfb() -> Iterator[str]:
    """A fresh ``Xvfb`` on a free display (no auth, so any local user may connect); yields ``":N"``."""
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb is needed (Debian: apt-get install xvfb)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()  # Xvfb writes the display number once it accepts clients
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=XVFB_STOP_TIMEOUT_S)


# ---- which backends -------------------------------------------------------------------------------------


def real_backends() -> list[str]:
    """The names of the real playback backends that work on this machine (libVLC, Qt Multimedia), in the
    registry's order; says on stderr which ones are left out and why."""
    from player.playback.registry import backends

    names = []
    for entry in backends():
        if not entry.real:
            continue
        reason = entry.unavailable()
        if reason is None:
            names.append(entry.name)
        else:
            print(f"(backend {entry.name} left out: {reason})", file=sys.stderr)
    return names


# ---- start-up as installed ----------------------------------------------------------------------------


def compile_bytecode() -> None:
    """Byte-compile the player package as installing it does (pip writes ``.pyc`` for a wheel's modules).

    A working tree run with PYTHONDONTWRITEBYTECODE=1 (or never run) has none, and then every start compiles
    each module again: ~120 ms of a launch that a user's installed app never pays. Timed launches would
    measure that instead of the app. Writes ``__pycache__`` folders (ignored by git) only where stale.
    """
    import compileall

    compileall.compile_dir(REPO / "player", quiet=1)


# ---- what to play ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchSession:
    """The library root and session the benchmarks play, and the first snippet's media file."""

    root: LibraryRoot
    session_id: str
    first_media: Path
    builtin: bool

    def describe(self) -> str:
        """One line saying what is played."""
        kind = "built-in session" if self.builtin else "fallback session (built-in media not there yet)"
        return f"{kind} '{self.session_id}', snippet 1 = {self.first_media}"


def bench_session(scratch: Path) -> BenchSession:
    """The built-in session when its media is present; else a 4-snippet session of the test clip in ``scratch``."""
    entry = find_entry(scan_library([builtin_root()]), BUILTIN_SESSION)
    if entry is not None and entry.available and entry.session is not None:
        return BenchSession(builtin_root(), BUILTIN_SESSION, entry.session.preview[0].media, builtin=True)
    root = _fallback_root(scratch)
    fallback = find_entry(scan_library([root]), "bench-fallback")
    if fallback is None or not fallback.available or fallback.session is None:
        problems = "; ".join(p.message for p in fallback.problems) if fallback else "not found"
        raise RuntimeError(f"the fallback session is broken: {problems}")
    return BenchSession(root, "bench-fallback", fallback.session.preview[0].media, builtin=False)


def _fallback_root(scratch: Path) -> LibraryRoot:
    root = LibraryRoot(sessions_dir=scratch / "sessions", media_dir=scratch / "media")
    root.sessions_dir.mkdir(parents=True, exist_ok=True)
    root.media_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FALLBACK_CLIP, root.media_dir / FALLBACK_CLIP.name)
    snippets = "".join(
        f'\n[[preview]]\nid = "clip-{n}"\ntitle = "Clip {n}"\nmedia = "{FALLBACK_CLIP.name}"\nduration_s = 2\n'
        for n in range(1, FALLBACK_SNIPPETS + 1)
    )
    manifest = f'schema = 1\nid = "bench-fallback"\ntitle = "Bench fallback"\n{snippets}'
    (root.sessions_dir / "bench-fallback.toml").write_text(manifest, encoding="utf-8")
    return root


@contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A temporary directory (in $TMPDIR, else /tmp), world-readable so ``nobody`` can read copies in it."""
    path = Path(tempfile.mkdtemp(prefix=f"movement-bench-{prefix}-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
