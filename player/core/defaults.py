"""Every default of the app, once, with why."""

from __future__ import annotations

# Environment variable that overrides the data directory (same as --data-dir).
DATA_DIR_ENV = "MOVEMENT_PLAYER_DATA_DIR"
# The journal's file name inside the data directory.
JOURNAL_FILENAME = "journal.db"
# Left/Right arrow seek step: long enough to skip a cue, short enough to re-watch one.
SEEK_STEP_MS = 5_000
# Watchdog past the snippet's duration before the app treats it as ended (libVLC may miss EndReached).
END_WATCHDOG_MARGIN_MS = 3_000
# How long to wait for a snippet's first frame before reporting it unplayable.
FIRST_FRAME_TIMEOUT_MS = 8_000
# How often the time labels and seek bar refresh while playing: smooth enough, cheap.
POSITION_REFRESH_MS = 200
# How long load() waits for libVLC to parse a local file's duration before going on without it.
PARSE_TIMEOUT_MS = 2_000
