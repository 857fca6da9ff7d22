"""Every default of the publisher's tools, once, with why."""

from __future__ import annotations

# Environment variable naming the publisher workspace (same as --workspace).
WORKSPACE_ENV = "MOVEMENT_PLAYER_PUBLISHER_DIR"
# Environment variable holding the passphrase for scripts (interactive use asks with getpass instead).
PASSPHRASE_ENV = "MOVEMENT_PLAYER_PASSPHRASE"
# Folder name under the platform's user data directory when neither of the above is given.
WORKSPACE_APPNAME = "movement-player-publisher"

# Files inside a workspace.
SETTINGS_FILENAME = "publisher.toml"  # the publisher's name and the workspace format
PRIVATE_KEY_FILENAME = "private-key.json"  # Ed25519, sealed with the passphrase (scrypt + AES-GCM), 0600
LEGACY_PRIVATE_KEY_FILENAME = "private-key.pem"  # older workspaces (PBKDF2): resealed at first unlock
PUBLIC_KEY_FILENAME = "public-key.txt"  # base64 of the 32 raw bytes, as manifests carry it
CONTENT_KEYS_FILENAME = "content-keys.json"  # one sealed content key per session, mode 0600
LEDGER_FILENAME = "ledger.db"  # SQLite: every license issued (number, session, label, date, fingerprint)
PRIVATE_FILE_MODE = 0o600  # secrets are readable by their owner only

# scrypt cost for sealing content keys: 2**17 (128 MiB, ~0.4 s) is the usual passphrase recommendation;
# the cost is stored with each sealed key, so changing this never locks out an older workspace.
SCRYPT_LOG_N = 17
SCRYPT_R = 8  # scrypt block size
SCRYPT_P = 1  # scrypt parallelism

# Where paid parts go in a pack, under media/<session id>/; their file name is <part id> + suffix.
PAID_DIRNAME = "full"
PAID_SUFFIX = ".mpe"
# The manifest a source folder must hold.
SOURCE_MANIFEST = "session.toml"

# Re-encoding a stretch of a long video: x264 at a quality that looks like the source, fast enough to
# cut an hour of footage in minutes; cuts are frame-accurate because every part is re-encoded.
CUT_VIDEO_ARGS = ("-c:v", "libx264", "-crf", "23", "-preset", "veryfast", "-pix_fmt", "yuv420p")
CUT_AUDIO_ARGS = ("-c:a", "aac", "-b:a", "128k")
# Fragmented MP4 can be written to a pipe (no seeking back for the index), so a cut is encrypted as
# ffmpeg writes it and its plaintext never touches the disk; libVLC plays and seeks it.
CUT_PIPE_ARGS = ("-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "pipe:1")
# The tail of ffmpeg's error output kept in an error message.
FFMPEG_ERROR_LINES = 3
