"""player.ui.shared."""
