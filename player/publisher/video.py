"""ffprobe and ffmpeg: a video's duration and chapter markers, and cutting a stretch of a long video.

A cut is re-encoded (frame-accurate) as fragmented MP4 on ffmpeg's standard output, so it can be
encrypted while ffmpeg writes it: no plaintext copy of a paid part is ever written to disk.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from player.core.errors import PublisherError
from player.publisher import defaults

_INSTALL_HINT = "install ffmpeg (e.g. sudo apt-get install ffmpeg)"
_CHAPTER_LINE = re.compile(r"^(\d+):([0-5]\d):([0-5]\d(?:\.\d{1,3})?)\s+(\S+)$")


@dataclass(frozen=True)
class Stretch:
    """A stretch of a video, in seconds from its start; ``label`` is a part id or chapter title."""

    start_s: float
    end_s: float
    label: str = ""

    @property
    def duration_s(self) -> float:
        """Its length in seconds."""
        return self.end_s - self.start_s


def _run(command: list[str], *, what: Path) -> str:
    """Run a probe; its standard output. Raises PublisherError if the tool is missing or fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise PublisherError(f"{command[0]} was not found: {_INSTALL_HINT}") from None
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-defaults.FFMPEG_ERROR_LINES:])
        raise PublisherError(f"{what}: {command[0]} cannot read it ({tail or 'exit ' + str(done.returncode)})")
    return done.stdout


def _probe_json(path: Path, *entries: str) -> dict[str, Any]:
    out = _run(["ffprobe", "-v", "error", *entries, "-of", "json", str(path)], what=path)
    try:
        data = json.loads(out)
    except json.JSONDecodeError as exc:
        raise PublisherError(f"{path}: ffprobe gave unreadable output ({exc})") from exc
    return data if isinstance(data, dict) else {}


def probe_duration_s(path: Path) -> float:
    """The video's duration in seconds, rounded to milliseconds.

    Raises PublisherError if ffprobe is missing, cannot read the file, or finds no duration.
    """
    data = _probe_json(path, "-show_entries", "format=duration")
    try:
        duration = float(data["format"]["duration"])
    except (KeyError, TypeError, ValueError):
        raise PublisherError(f"{path}: ffprobe finds no duration (is it a video?)") from None
    if duration <= 0:
        raise PublisherError(f"{path}: ffprobe gives a duration of {duration} s")
    return round(duration, 3)


def probe_chapters(path: Path) -> list[Stretch]:
    """The video's own chapter markers, in order (label: the chapter title, if any).

    Raises PublisherError if ffprobe is missing or cannot read the file.
    """
    chapters = _probe_json(path, "-show_chapters").get("chapters", [])
    try:
        return [
            Stretch(float(c["start_time"]), float(c["end_time"]), str(c.get("tags", {}).get("title", "")))
            for c in chapters
        ]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise PublisherError(f"{path}: ffprobe gives unreadable chapter markers") from None


def read_chapters_file(path: Path) -> list[tuple[float, str]]:
    """Start times (seconds) and part ids from a chapters file, in file order.

    One line per part, ``HH:MM:SS[.mmm] part-id``; blank lines and lines starting with '#' are skipped.
    Raises PublisherError naming the line that does not fit, or if the file cannot be read.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PublisherError(f"{path}: cannot be read ({exc})") from exc
    starts: list[tuple[float, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _CHAPTER_LINE.match(line)
        if match is None:
            raise PublisherError(f'{path}:{number}: expected "HH:MM:SS[.mmm] part-id", got "{line}"')
        hours, minutes, seconds, part_id = match.groups()
        starts.append((int(hours) * 3600 + int(minutes) * 60 + float(seconds), part_id))
    if not starts:
        raise PublisherError(f"{path}: no chapter lines (expected HH:MM:SS[.mmm] part-id)")
    return starts


def cut_command(video: Path, stretch: Stretch) -> list[str]:
    """The ffmpeg command writing ``stretch`` of ``video``, re-encoded, as fragmented MP4 to stdout."""
    return [
        "ffmpeg", "-nostdin", "-v", "error", "-ss", f"{stretch.start_s:.3f}", "-i", str(video),
        "-t", f"{stretch.duration_s:.3f}", "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn",
        "-map_metadata", "-1", "-map_chapters", "-1",
        *defaults.CUT_VIDEO_ARGS, *defaults.CUT_AUDIO_ARGS, *defaults.CUT_PIPE_ARGS,
    ]


@contextmanager
def cut(video: Path, stretch: Stretch) -> Iterator[IO[bytes]]:
    """Yield ffmpeg's output pipe carrying ``stretch`` of ``video`` (see :func:`cut_command`).

    The caller reads it to the end. On leaving, ffmpeg is waited for; raises PublisherError if ffmpeg
    is missing or failed. If the caller raises, ffmpeg is stopped.
    """
    with tempfile.TemporaryFile() as errors:  # ffmpeg's messages only; never media
        try:
            process = subprocess.Popen(cut_command(video, stretch), stdout=subprocess.PIPE, stderr=errors)
        except FileNotFoundError:
            raise PublisherError(f"ffmpeg was not found: {_INSTALL_HINT}") from None
        assert process.stdout is not None
        try:
            with process.stdout:
                yield process.stdout
        except BaseException:
            process.kill()
            process.wait()
            raise
        if process.wait() != 0:
            errors.seek(0)
            tail = " ".join(errors.read().decode(errors="replace").strip().splitlines()[-defaults.FFMPEG_ERROR_LINES:])
            where = f"{stretch.start_s:.3f}-{stretch.end_s:.3f} s"
            raise PublisherError(f"{video}: ffmpeg cannot cut {where} for '{stretch.label}' ({tail})")


def plan_cuts(video: Path, part_ids: list[str], *, chapters: Path | None) -> list[Stretch]:
    """The stretch of ``video`` for each part, in the order of ``part_ids`` (labels: the part ids).

    From ``chapters`` (a chapters file: start times; a part ends where the next one in time starts,
    the last at the video's end), else from the video's own chapter markers, one per part in order.
    Raises PublisherError when they do not match the parts one to one, or a stretch would be empty.
    """
    total_s = probe_duration_s(video)
    if chapters is not None:
        stretches = _stretches_from_file(chapters, part_ids, total_s=total_s)
    else:
        markers = probe_chapters(video)
        if len(markers) != len(part_ids):
            raise PublisherError(
                f"{video}: has {len(markers)} chapter marker(s) for {len(part_ids)} part(s); "
                "give the parts' start times with --chapters FILE"
            )
        pairs = zip(markers, part_ids, strict=True)
        stretches = [Stretch(m.start_s, min(m.end_s, total_s), part_id) for m, part_id in pairs]
    for stretch in stretches:
        if stretch.duration_s < 0.1 or stretch.start_s < 0:
            raise PublisherError(f"{chapters or video}: part '{stretch.label}' would be "
                                 f"{stretch.start_s:.3f}-{stretch.end_s:.3f} s of a {total_s:.3f} s video")
    return stretches


def _stretches_from_file(chapters: Path, part_ids: list[str], *, total_s: float) -> list[Stretch]:
    starts = read_chapters_file(chapters)
    named = [part_id for _start, part_id in starts]
    for part_id in named:
        if part_id not in part_ids:
            raise PublisherError(f"{chapters}: '{part_id}' is not a part of the session ({', '.join(part_ids)})")
        if named.count(part_id) > 1:
            raise PublisherError(f"{chapters}: part '{part_id}' has more than one start time")
    missing = [part_id for part_id in part_ids if part_id not in named]
    if missing:
        raise PublisherError(f"{chapters}: no start time for part(s) {', '.join(missing)}")
    in_time = sorted(starts)
    ends = [start for start, _id in in_time[1:]] + [total_s]
    by_id = {part_id: Stretch(start, end, part_id) for (start, part_id), end in zip(in_time, ends, strict=True)}
    return [by_id[part_id] for part_id in part_ids]
