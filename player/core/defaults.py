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
# Playback speeds offered by [ and ]: slow enough to learn a movement, never so fast it strains.
SPEED_STEPS = (0.5, 0.6, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5)
# Volume steps of Up/Down, in percent, and where a new user starts.
VOLUME_STEP_PERCENT = 10
DEFAULT_VOLUME_PERCENT = 80
# The countdown before each snippet: long enough to step back from the keyboard.
DEFAULT_COUNTDOWN_S = 3
MAX_COUNTDOWN_S = 10
# Fullscreen controls hide after this long without mouse movement or a key.
CONTROLS_HIDE_MS = 3_000
# While a snippet plays, where it is gets saved this often, so a crash resumes within 2 s.
RESUME_SAVE_MS = 1_000
# A loop shorter than this is a double press, not a stretch of movement.
MIN_LOOP_MS = 1_000
# Discomfort at or above this shows the snippet's gentler option before going on (0-10 scale).
GENTLER_THRESHOLD = 6
# The longest note a check-in keeps: a few paragraphs, not a diary (imports refuse longer ones).
MAX_NOTE_CHARS = 10_000
# A pack larger than this when unpacked is refused: a real session is well under it, a zip bomb is not.
MAX_PACK_BYTES = 8 * 1024**3
# More files than this is not a session pack.
MAX_PACK_ENTRIES = 10_000
