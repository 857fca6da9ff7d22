"""Domain core: manifests, the session runner, the journal, licensing. No Qt, no vlc."""
