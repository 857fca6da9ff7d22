"""player.core.licensing.keys."""
