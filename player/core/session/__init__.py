"""player.core.session."""
