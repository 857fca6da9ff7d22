"""player.ui.journal."""
