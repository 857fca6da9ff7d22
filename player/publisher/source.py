"""A publisher's source folder: ``session.toml`` (the app's manifest format plus ``[full]`` with parts
whose media are plain videos) and the videos it names, relative to the folder.

The source is checked with the app's own parser before anything is built, with stand-ins for what the
pack computes (the publisher, each part's size and hash, missing durations), so a problem is reported
with the field path the publisher wrote, before minutes of encoding.
"""

from __future__ import annotations

import copy
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from player.core.bounded import UnreadableFileError, read_text_limited
from player.core.defaults import MAX_MANIFEST_BYTES
from player.core.errors import ManifestError, PublisherError
from player.core.session.manifest import Session, read_session
from player.publisher import defaults
from player.publisher.tomlwrite import array_of_tables, key_values, table

TOP_KEYS = ("schema", "id", "title", "summary", "teacher")  # copied to the pack, in this order
_STAND_IN_KEY = "H8p2GVRMIREWO4/8fdvmTbw58QOms7lD8+yih3HxtM0="  # a genuine public key (the demo publisher's)


class ManifestProblemsError(PublisherError):
    """A source or written manifest has problems; ``problems`` lists every one (file, field path, reason)."""

    def __init__(self, problems: list[ManifestError]) -> None:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(problems[0].message + more, detail="\n".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    """A checked source: the raw TOML (to write back) and the parsed session (resolved media paths)."""

    folder: Path
    manifest: Path
    data: dict[str, Any]
    session: Session

    @property
    def preview_tables(self) -> list[dict[str, Any]]:
        """The ``[[preview]]`` tables as written."""
        return list(self.data["preview"])

    @property
    def part_tables(self) -> list[dict[str, Any]]:
        """The ``[[full.parts]]`` tables as written."""
        return list(self.data["full"]["parts"])


def manifest_text(data: dict[str, Any], *, header: str = "") -> str:
    """A manifest's TOML text: top-level keys, ``[[preview]]``, then ``[publisher]`` and ``[full]`` last,
    so those two can be appended to an existing manifest."""
    tables = ("preview", "publisher", "full")
    top = {k: data[k] for k in TOP_KEYS if k in data} | {k: v for k, v in data.items() if k not in tables}
    blocks = [header + "\n".join(key_values(top)) + "\n"]
    blocks.append(array_of_tables("preview", data.get("preview", [])))
    if "publisher" in data:
        blocks.append(table("publisher", data["publisher"]))
    if "full" in data:
        full = data["full"]
        blocks.append(table("full", {k: v for k, v in full.items() if k != "parts"}))
        blocks.append(array_of_tables("full.parts", full.get("parts", [])))
    return "\n".join(blocks)


def read_source(folder: Path, *, from_video: bool) -> Source:
    """Read and check ``folder/session.toml``. With ``from_video`` its parts must have no media (they
    come from a long video); otherwise each part's media is a plain video in the folder.

    Raises ManifestProblemsError listing every problem, PublisherError if the file cannot be read.
    """
    manifest = folder / defaults.SOURCE_MANIFEST
    try:
        data = tomllib.loads(read_text_limited(manifest, max_bytes=MAX_MANIFEST_BYTES))
    except UnreadableFileError as exc:
        raise PublisherError(exc.message) from None
    except tomllib.TOMLDecodeError as exc:
        raise PublisherError(f"{manifest}: is not valid TOML ({exc})") from exc
    except RecursionError:
        raise PublisherError(f"{manifest}: is not valid TOML (arrays or tables nest too deeply)") from None
    shape = _shape_problems(data, manifest)
    if shape:
        raise ManifestProblemsError(shape)
    session, problems = _check_with_app_parser(data, manifest, from_video=from_video)
    if from_video:
        problems += [ManifestError(str(manifest), f"full.parts[{index}].media",
                                   "must be left out: with --from-video each part is cut from the video")
                     for index, part in enumerate(data["full"]["parts"]) if "media" in part]
    if problems or session is None:
        raise ManifestProblemsError(problems or [ManifestError(str(manifest), "", "is not a session manifest")])
    return Source(folder=folder, manifest=manifest, data=data, session=session)


def _shape_problems(data: dict[str, Any], manifest: Path) -> list[ManifestError]:
    """``[[preview]]`` and ``[[full.parts]]`` must be lists of tables before stand-ins can be filled in."""
    full = data.get("full")
    full_parts = full.get("parts") if isinstance(full, dict) else None
    problems = []
    for where, tables in (("preview", data.get("preview")), ("full.parts", full_parts)):
        if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
            problems.append(ManifestError(str(manifest), where, f"missing: a source needs [[{where}]] tables"))
    return problems


def _with_stand_ins(data: dict[str, Any], *, from_video: bool) -> dict[str, Any]:
    """A copy with stand-ins for what the pack computes, so the app's parser can check the rest."""
    checked = copy.deepcopy(data)
    checked["publisher"] = {"name": "stand-in", "public_key": _STAND_IN_KEY}
    for snippet in checked.get("preview", []):
        if isinstance(snippet, dict):
            snippet.setdefault("duration_s", 1.0)
    for part in checked["full"]["parts"]:
        part.setdefault("duration_s", 1.0)
        part |= {"size_bytes": 1, "sha256": "0" * 64}
        part.pop("cues", None)
        if from_video:  # any existing, non-empty file passes the parser's check of an encrypted part
            part["media"] = defaults.SOURCE_MANIFEST
    return checked


def _check_with_app_parser(
    data: dict[str, Any], manifest: Path, *, from_video: bool
) -> tuple[Session | None, list[ManifestError]]:
    """The app parser's verdict on the stand-in copy, its problems renamed to the source file."""
    with tempfile.TemporaryDirectory(prefix="movement-player-source-") as scratch:
        stand_in = Path(scratch) / defaults.SOURCE_MANIFEST
        try:
            stand_in.write_text(manifest_text(_with_stand_ins(data, from_video=from_video)), encoding="utf-8")
        except ValueError as exc:  # a value TOML manifests cannot hold (e.g. nan)
            return None, [ManifestError(str(manifest), "", str(exc))]
        session, problems = read_session(stand_in, media_root=manifest.parent)
    return session, [ManifestError(str(manifest), p.field, p.reason) for p in problems]
