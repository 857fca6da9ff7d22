"""player.playback.vlc."""
