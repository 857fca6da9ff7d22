"""Every default of the app, once, with why."""

from __future__ import annotations

# Environment variable that overrides the data directory (same as --data-dir).
DATA_DIR_ENV = "MOVEMENT_PLAYER_DATA_DIR"
# The journal's file name inside the data directory.
JOURNAL_FILENAME = "journal.db"
# How long a journal write waits for another connection's write to finish before saying "busy".
JOURNAL_BUSY_TIMEOUT_MS = 5_000
# Resume points are saved every second in the background: they wait less, and try again next second.
RESUME_BUSY_TIMEOUT_MS = 250
# Journals up to this size get the full integrity_check at start (~0.1 s per 10 MB); above, quick_check.
FULL_CHECK_MAX_BYTES = 32 * 1024**2
# Automatic backups: at most one a day, after a session ends; this many are kept (the oldest go).
AUTO_BACKUPS_KEPT = 7
# Quitting waits this long for an automatic backup still being made (a 10-year journal takes ~0.1 s), then
# quits without it: the backups already made stay, the next one removes the unfinished copy.
AUTO_BACKUP_QUIT_WAIT_S = 2.0
# The folder of automatic backups inside the data directory.
BACKUPS_DIRNAME = "backups"
# A JSON import larger than this is refused before reading: a 10-year journal exports to ~18 MB, and
# importing holds about twice the file's size in memory, which any computer can spare.
MAX_IMPORT_BYTES = 64 * 1024**2
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
# --- Limits on what the app reads from files (bad input gets a clear message, never a hang) ---
# A manifest is a few kilobytes of TOML; anything past this is not one (checked before reading).
MAX_MANIFEST_BYTES = 1024**2
# The longest snippet or paid part, in seconds: a whole day is far past any real session.
MAX_DURATION_S = 24 * 3600
# Bounds for the numbers of a check-in question (min, max): wide, but well inside float range.
MAX_QUESTION_MAGNITUDE = 1e9
# A file or folder name: 255 bytes is what common file systems allow (ext4, NTFS, APFS).
MAX_NAME_BYTES = 255
# A media or cue path relative to media/, in utf-8 bytes (well under every platform's PATH_MAX).
MAX_MEDIA_PATH_BYTES = 1024
# A WebVTT cue file: a 50-minute session has a few hundred cues (~50 kB); 2 MiB is ~20,000 of them.
MAX_CUE_FILE_BYTES = 2 * 1024**2
# A session's poster (its library card picture): a 1280x720 PNG frame is well under 2 MiB.
MAX_POSTER_BYTES = 4 * 1024**2
# A license file holds one key and a few comment lines (under 1 kB).
MAX_LICENSE_FILE_BYTES = 64 * 1024
# The settings file is a few hundred bytes of JSON.
MAX_SETTINGS_BYTES = 1024**2
# Session, snippet and question ids: a license key carries a session id of at most 64 bytes.
MAX_ID_CHARS = 64
