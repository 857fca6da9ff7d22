"""Journal times (ISO-8601 UTC strings) against the practitioner's calendar days.

A ``tz`` of None means this computer's local zone, DST-aware per moment (as ``datetime.astimezone()``).
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from player.core.journal.store import iso_utc


def parse_utc(iso: str) -> datetime:
    """A journal time (ISO-8601 with ``Z`` or an offset) as an aware datetime; ValueError when malformed."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{iso!r} has no time zone")
    return moment


def local_day(iso: str, tz: tzinfo | None = None) -> date:
    """The local day of a journal time in ``tz``."""
    moment = parse_utc(iso)
    return (moment.astimezone(tz) if tz else moment.astimezone()).date()


def local_moment(iso: str, tz: tzinfo | None = None) -> datetime:
    """A journal time in ``tz``, for display."""
    moment = parse_utc(iso)
    return moment.astimezone(tz) if tz else moment.astimezone()


def day_start_utc(day: date, tz: tzinfo | None = None) -> str:
    """The journal time (a UTC string, comparable with stored ones) at which local ``day`` starts in ``tz``."""
    midnight = datetime.combine(day, time())
    start = midnight.replace(tzinfo=tz) if tz else midnight.astimezone()
    local = start.astimezone(tz) if tz else start.astimezone()
    if local.date() < day:  # midnight does not exist (DST starts at midnight, e.g. America/Santiago):
        start += midnight - local.replace(tzinfo=None)  # the day starts when the clock jumps past it
    return iso_utc(start)
