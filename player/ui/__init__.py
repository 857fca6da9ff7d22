"""Qt widgets and wiring. The only package that imports PySide6."""
