"""What makes an SQLite file a Movement Player journal: its ``application_id`` and the name its schema
migrations are recorded under. No sqlite-utils here: the start-up checks read these without it."""

# PRAGMA application_id of a Movement Player journal: "MvPJ" as a big-endian 32-bit number.
APPLICATION_ID = 0x4D76504A
# The name sqlite-utils records the journal's migrations under in ``_sqlite_migrations``.
MIGRATION_SET = "movement-player-journal"
