"""Console commands: ``movement-player ...`` (see entry.py)."""
