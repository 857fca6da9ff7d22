"""player.ui.practice."""
