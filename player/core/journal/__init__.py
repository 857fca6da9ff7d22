"""player.core.journal.store."""
