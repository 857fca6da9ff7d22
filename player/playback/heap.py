"""Keep the C heap from growing with every snippet played (glibc's malloc; a no-op elsewhere).

Why: a media player starts fresh decoder threads for every media it opens (libVLC: an input thread, a
decoder thread and libavcodec's frame threads per snippet). glibc gives a new thread its own malloc arena
(up to 8 per core) and keeps what a thread frees in that arena for later, instead of giving it back to the
system. Measured in the app (bench/soak_memory.py): the memory libVLC had in use stayed at ~15 MB, yet
the arenas held ~30 MB more after every practised run, freed but never returned (98 -> 400+ MB in eight
runs). Remedies, all cheap:

- :func:`keep_heap_compact` before any thread starts: every thread allocates from the main heap, so what
  one snippet's threads freed is reused by the next snippet's instead of piling up in a dozen arenas; and
  blocks of 256 KiB or more (pictures, decoder buffers) are mapped on their own and returned when freed
  (glibc otherwise raises that threshold as soon as such a block is freed, up to 32 MiB);
- :func:`give_back_freed_memory` at quiet moments (a check-in, the summary): return the free pages.

Neither changes what a program may allocate. The cost, measured: decoding a 1080p H.264 file took the same
CPU time within noise; the app's CPU over a soak ~4 % more (system time: mappings, trims); with every thread
on one heap lock, the snippet switch under Xvfb came ~8 ms later at p50 (bench/snippet_switch.py, first
frame 33 -> 41-48 ms). Two or four arenas measured no better on either count than one.
"""

from __future__ import annotations

import ctypes
import os
import sys
from functools import cache
from typing import Any

# mallopt(3) parameters: the most malloc arenas glibc will create; the size from which a block gets its own mapping.
M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3
# One arena: every thread shares the main heap (see the module docstring for the measurement).
ARENAS = 1
# glibc's initial threshold is 128 KiB; a fixed 256 KiB keeps video pictures (345 KiB at 640x360) out of the heap.
MMAP_THRESHOLD_BYTES = 256 * 1024


def _runs_on_glibc() -> bool:
    """True on Linux with glibc (asked of the C library itself: ``platform.libc_ver`` reads the interpreter's
    binary and, with its import, cost ~2 ms of start-up)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        version = os.confstr("CS_GNU_LIBC_VERSION")  # "glibc 2.36"; musl does not know the name
    except (AttributeError, ValueError, OSError):
        return False
    return bool(version and version.startswith("glibc"))


@cache
def _glibc() -> Any | None:
    """glibc's C library, or None on another C library (musl, macOS, Windows)."""
    if not _runs_on_glibc():
        return None
    try:  # glibc's soname on Linux; ctypes.util.find_library cost ~20 ms of start-up (imports, a subprocess)
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    if not hasattr(libc, "mallopt") or not hasattr(libc, "malloc_trim"):
        return None
    return libc


def keep_heap_compact() -> bool:
    """One malloc arena for the threads started from now on, and large blocks mapped on their own (glibc);
    True when it applied.

    Call it once, as early as possible: threads that already run keep their own arenas, and glibc fixes
    the arena limit for good once more than eight arenas exist.
    """
    libc = _glibc()
    if libc is None:
        return False
    arenas_set = int(libc.mallopt(M_ARENA_MAX, ARENAS)) == 1
    return int(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) == 1 and arenas_set


def give_back_freed_memory() -> bool:
    """Return the heap's free pages to the system (glibc ``malloc_trim``); True when some were returned.

    Takes 1-5 ms on the app's heap (it walks every arena): call it when nothing waits on it.
    """
    libc = _glibc()
    return libc is not None and int(libc.malloc_trim(0)) == 1
