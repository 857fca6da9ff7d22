"""player.ui.library."""
