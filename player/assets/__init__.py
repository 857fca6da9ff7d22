"""The app's icon (``render_icon.py`` draws it), its desktop entry and AppStream metainfo: data, no code."""
