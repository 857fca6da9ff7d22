"""player.playback.heap: threads share one malloc arena, large blocks are mapped apart, free pages go back.

Each check runs in a fresh interpreter: the arena limit only binds threads started after it is set.
The libVLC one (marked ``vlc``) plays real media headless and counts glibc's arenas, not memory figures.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap

import pytest

from player.playback import heap
from tests.conftest import DATA, REPO

glibc_only = pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                                reason="the heap policy is glibc's (a no-op elsewhere, tested below)")

# Shared by the child scripts: glibc's own report, read back.
PRELUDE = """
import ctypes, threading
libc = ctypes.CDLL("libc.so.6")

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                "fsmblks", "uordblks", "fordblks", "keepcost")]

libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.open_memstream.restype = ctypes.c_void_p

def arenas():
    buffer, size = ctypes.c_void_p(), ctypes.c_size_t()
    stream = libc.open_memstream(ctypes.byref(buffer), ctypes.byref(size))
    libc.malloc_info(0, ctypes.c_void_p(stream))
    libc.fclose(ctypes.c_void_p(stream))
    xml = ctypes.string_at(buffer, size.value).decode()
    libc.free(buffer)
    return xml.count("<heap nr=")

def churn():
    blocks = [libc.malloc(4096) for _ in range(64)]
    for block in blocks:
        libc.free(block)
"""


def run_child(body: str, *, compact: bool) -> str:
    """Run ``body`` in a fresh interpreter, after ``keep_heap_compact()`` when ``compact``; its stdout."""
    setup = "from player.playback.heap import keep_heap_compact\nassert keep_heap_compact()\n" if compact else ""
    script = PRELUDE + setup + textwrap.dedent(body)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


THREADS = """
threads = [threading.Thread(target=churn) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(arenas())
"""


@glibc_only
def test_threads_started_after_it_share_the_main_arena() -> None:
    assert run_child(THREADS, compact=True) == "1"


@glibc_only
def test_without_it_each_thread_gets_an_arena_of_its_own() -> None:
    # What the policy undoes: glibc's default, the cause of the growth per practised run.
    assert int(run_child(THREADS, compact=False)) > 1


@glibc_only
def test_a_picture_sized_block_is_mapped_on_its_own_even_after_one_was_freed() -> None:
    body = """
    first = libc.malloc(1 << 20)
    libc.free(first)  # by default glibc now raises its threshold, and the next such block comes from the heap
    before = libc.mallinfo2().hblks
    block = libc.malloc(345_600)  # one 640x360 picture
    print(libc.mallinfo2().hblks - before)
    libc.free(block)
    """
    assert run_child(body, compact=True) == "1"
    assert run_child(body, compact=False) == "0"


@glibc_only
def test_give_back_freed_memory_returns_free_heap_pages() -> None:
    body = """
    from player.playback.heap import give_back_freed_memory
    blocks = [libc.malloc(64 * 1024) for _ in range(320)]  # 20 MiB in the heap (below the mapping threshold)
    for block in blocks[:-1]:
        libc.free(block)  # the last one stays, so the heap cannot simply shrink from its top
    print(give_back_freed_memory())
    """
    assert run_child(body, compact=True) == "True"


@glibc_only
@pytest.mark.vlc
def test_libvlc_threads_share_the_main_arena_snippet_after_snippet() -> None:
    body = f"""
    import threading, time
    from pathlib import Path
    from player.playback.vlc.backend import VlcBackend

    class Listener:
        def __init__(self):
            self.ended = threading.Event()
        def playback_first_frame(self):
            pass
        def playback_ended(self):
            self.ended.set()
        def playback_failed(self, error):
            self.ended.set()

    backend = VlcBackend(headless=True)  # raises without libVLC: CI installs it
    counts = []
    for _ in range(4):
        listener = Listener()
        backend.set_listener(listener)
        backend.load(Path({str(DATA / "clip-2s.mp4")!r}))
        backend.play()
        time.sleep(0.3)
        backend.seek(1800)
        assert listener.ended.wait(10), "the clip did not end"
        backend.pause()
        counts.append(arenas())
    backend.close()
    print(counts)
    """
    assert run_child(body, compact=True) == "[1, 1, 1, 1]"


def test_elsewhere_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_glibc", lambda: None)
    assert not heap.keep_heap_compact()
    assert not heap.give_back_freed_memory()
