"""Playback backends behind one Qt-free protocol."""
