"""``python -m player.cli``: the console entry point."""

from player.cli.entry import main

raise SystemExit(main())
