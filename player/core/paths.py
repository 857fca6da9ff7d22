"""Where the app keeps its data: the data directory and the journal inside it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_path

from player.core.defaults import DATA_DIR_ENV, JOURNAL_FILENAME


def data_dir(*, override: str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """The data directory: ``override`` (--data-dir), else $MOVEMENT_PLAYER_DATA_DIR, else the platform's."""
    chosen = override or environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return user_data_path("movement-player", appauthor=False)


def journal_path(data_directory: Path) -> Path:
    """The journal file inside ``data_directory``."""
    return data_directory / JOURNAL_FILENAME
