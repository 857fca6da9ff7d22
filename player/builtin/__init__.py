"""The built-in sessions and their media, as an installed package finds them.

In the repository they stay at the top level (``sessions/`` and ``media/``); building the wheel maps them
here (see ``setup.py``) as ``player/builtin/sessions/`` and ``player/builtin/media/``, read through
``importlib.resources``. :func:`player.core.session.library.builtin_root` looks here first, then in the
checkout.
"""
