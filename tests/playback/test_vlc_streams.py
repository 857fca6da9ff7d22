"""The libVLC backend keeps a paid part's read callbacks alive until libVLC is done with them.

libVLC reads through the previous media's callbacks (and finally calls its close callback) until
``set_media`` has ended that media's input; the callbacks' Python state is only a reference cycle by then,
so a garbage collection at the wrong moment freed them under libVLC's feet: a segmentation fault, seen
before the fix. The switch runs in a child process (real libVLC, headless) so that a crash fails this test
only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from player.core.errors import PlaybackUnavailableError
from tests.conftest import DATA, REPO

pytestmark = pytest.mark.vlc

SWITCH = """
import gc, sys, threading, weakref
from pathlib import Path
from player.core.licensing.encryption import encrypt, media_context
from player.core.licensing.paid_parts import EncryptedPart
from player.playback.vlc.backend import VlcBackend

key = bytes(range(16))
folder = Path(sys.argv[1])
clip = Path(sys.argv[2]).read_bytes()

def part(part_id):
    sealed = folder / f"{part_id}.mpe"
    sealed.write_bytes(encrypt(clip, key=key, context=media_context("s", part_id)))
    return EncryptedPart(sealed, session_id="s", part_id=part_id, content_key=key)

class FirstFrames:
    def __init__(self):
        self.shown = threading.Event()
    def playback_first_frame(self):
        self.shown.set()
    def playback_ended(self):
        pass
    def playback_failed(self, error):
        pass

backend = VlcBackend(headless=True)
listener = FirstFrames()
backend.set_listener(listener)
backend.load(part("one"))
backend.play()
assert listener.shown.wait(5), "no first frame"
backend.pause()  # between snippets the player pauses; the next load replaces the media
first = backend._stream
assert first is not None and first.stream is not None  # open, and read from
first_alive = weakref.ref(first)
del first
player = backend._player
real_set_media = player.set_media

def set_media_after_a_collection(media):
    gc.collect()  # a collection may come at any allocation; here it comes at the worst moment
    print("alive during the switch:", first_alive() is not None, flush=True)
    return real_set_media(media)

player.set_media = set_media_after_a_collection
listener.shown.clear()
backend.load(part("two"))
backend.play()
assert listener.shown.wait(5), "no first frame after the switch"
gc.collect()
print("alive after the switch:", first_alive() is not None, flush=True)
backend.close()
"""


def test_the_previous_parts_callbacks_live_until_its_input_has_ended(tmp_path: Path) -> None:
    try:
        from player.playback.vlc.loader import load_vlc

        load_vlc()
    except PlaybackUnavailableError:
        if os.environ.get("CI"):
            raise  # CI installs libVLC: its absence there is a failure, not a skip
        pytest.skip("libVLC is not installed on this machine")
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(SWITCH), str(tmp_path), str(DATA / "clip-2s.mp4")],
                           cwd=REPO, capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    lines = child.stdout.splitlines()
    assert child.returncode == 0, f"the switch crashed or failed ({child.returncode}): {child.stderr[-2000:]}"
    assert lines == ["alive during the switch: True", "alive after the switch: False"]
