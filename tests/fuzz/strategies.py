"""Hypothesis strategies of structured hostile input: wrong types, huge and non-finite numbers, unicode and
control characters, deep nesting, path tricks, links and special files, byte flips."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

from hypothesis import strategies as st

HUGE = (10**400, -(10**400), 2**63, 2**64 + 1, -(2**63) - 1)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from(HUGE),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, -1, 0.0, -0.0, 1e-320, 86_401, 1e308]),
)
TEXTS = st.one_of(
    st.text(max_size=40), st.text(min_size=250, max_size=600),
    st.sampled_from(["", " ", "\n", "\x00", "\x1b[2J", "<b>x</b>", "\u202e", "a\nb", "..", "/", "é" * 200]),
)
SCALARS = st.one_of(NUMBERS, TEXTS, st.booleans())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=6)

MEDIA_TRICKS = st.sampled_from([
    "../x.mp4", "/etc/passwd", "C:\\x.mp4", "\\\\server\\x", "demo/fifo.mp4", "demo/link.mp4", "demo/huge.vtt",
    "a" * 300, "é" * 200, "demo/\x00x", "demo/one.vtt", "demo", "demo/free.mp4", "demo/full/part-one.mpe",
    "demo/./free.mp4", "demo//free.mp4", "demo/missing.mp4", "", " ", "demo/free.mp4/",
])
KEY_TRICKS = st.sampled_from([
    base64.b64encode(bytes([1]) + bytes(31)).decode(), base64.b64encode(bytes(32)).decode(),
    base64.b64encode(bytes([0xED]) + b"\xff" * 30 + bytes([0x7F])).decode(),
    base64.b64encode(bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")).decode(),
    "not base64!", "AAAA", "", "H8p2GVRMIREWO4/8fdvmTbw58QOms7lD8+yih3HxtM0=",
])

FIELDS = ["schema", "id", "title", "summary", "teacher", "poster", "badge", "unknown",
          "preview.0.id", "preview.0.title", "preview.0.media", "preview.0.cues", "preview.0.duration_s",
          "preview.0.gentler", "preview.0.checkin", "preview.0.size_bytes", "preview.0.sha256", "preview.0.extra",
          "publisher.name", "publisher.public_key", "full.price", "full.parts.0.id", "full.parts.0.media",
          "full.parts.0.duration_s", "full.parts.0.size_bytes", "full.parts.0.sha256", "full.parts.1.checkin",
          "preview", "full", "full.parts", "publisher", "preview.1"]
CHECKINS = st.one_of(VALUES, st.lists(st.one_of(st.just("standard"), st.fixed_dictionaries({
    "id": st.sampled_from(["q", "Q!", "discomfort", "a" * 80]), "kind": st.sampled_from(
        ["scale", "choice", "body", "measure", "text", "other", 3]),
    "prompt": TEXTS, "min": NUMBERS, "max": NUMBERS, "options": VALUES, "unit": TEXTS}, optional={
    "when": st.sampled_from(["before", "after", "later"]), "pair": TEXTS})), max_size=3))


def _set(data: Any, path: str, value: Any, *, delete: bool) -> None:
    *parents, last = path.split(".")
    for part in parents:
        if isinstance(data, list):
            if not part.isdigit() or int(part) >= len(data):
                return
            data = data[int(part)]
        elif isinstance(data, dict):
            data = data.setdefault(part, {})
        else:
            return
    if isinstance(data, dict):
        if delete:
            data.pop(last, None)
        else:
            data[last] = value
    elif isinstance(data, list) and last.isdigit():
        if int(last) < len(data):
            data[int(last)] = value
        elif not delete:
            data.append(value)


@st.composite
def manifest_texts(draw: st.DrawFn, base: dict[str, Any]) -> str:
    """A valid manifest made hostile by a few field mutations, then (sometimes) raw text damage."""
    from tests.fuzz.surfaces import manifest_text

    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(FIELDS))
        if path.endswith((".media", ".cues", "poster")):
            value = draw(st.one_of(MEDIA_TRICKS, VALUES))
        elif path.endswith("public_key"):
            value = draw(st.one_of(KEY_TRICKS, VALUES))
        elif path.endswith("checkin"):
            value = draw(CHECKINS)
        else:
            value = draw(VALUES)
        _set(data, path, value, delete=draw(st.booleans()) and draw(st.booleans()))
    text = manifest_text(data)
    damage = draw(st.sampled_from(["none", "none", "flip", "cut", "nest", "insert"]))
    if damage == "flip" and text:
        at = draw(st.integers(min_value=0, max_value=len(text) - 1))
        text = text[:at] + draw(st.characters()) + text[at + 1:]
    elif damage == "cut":
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    elif damage == "nest":
        depth = draw(st.sampled_from([50, 300, 1000, 5000]))
        text += "deep = " + "[" * depth + "]" * depth + "\n"
    elif damage == "insert":
        text += draw(st.sampled_from(["x = 1\nx = 2\n", "[[preview]]\n", "id = \"\"\"\n", "\x00", "\ufeff"]))
    return text


ZIP_NAMES = st.one_of(
    st.sampled_from([
        "../evil.txt", "/abs.txt", "C:/x.txt", "sessions/../../evil.txt", "media/demo/" + "n" * 256,
        "media/" + "é" * 130 + ".mp4", "sessions/", "media/demo/", "", "media\\demo\\free.mp4", "other/file.txt",
        "sessions/demo.toml", "media/demo/free.mp4", "media/demo/x\x00y", "SESSIONS/DEMO.TOML",
    ]),
    st.text(max_size=30).map(lambda t: "media/" + t), st.text(max_size=30).map(lambda t: "sessions/" + t + ".toml"),
)


@st.composite
def zip_entry_lists(draw: st.DrawFn, valid: list[tuple[str, bytes]]) -> list[tuple[str, bytes, int]]:
    """The valid pack's entries with some dropped, damaged, duplicated, renamed or made links, plus hostile ones."""
    entries = [(name, data, 0o100644) for name, data in valid]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        operation = draw(st.sampled_from(["add", "drop", "rename", "link", "damage", "duplicate", "dir"]))
        index = draw(st.integers(min_value=0, max_value=max(0, len(entries) - 1)))
        if operation == "add" or not entries:
            entries.append((draw(ZIP_NAMES), draw(st.binary(max_size=64)), draw(st.sampled_from(
                [0o100644, 0o120777, 0o010644, 0o020644, 0o040755]))))
        elif operation == "drop":
            entries.pop(index)
        elif operation == "rename":
            entries[index] = (draw(ZIP_NAMES), *entries[index][1:])
        elif operation == "link":
            entries[index] = (entries[index][0], b"/etc/passwd", 0o120777)
        elif operation == "damage":
            name, data, mode = entries[index]
            if data:
                at = draw(st.integers(min_value=0, max_value=len(data) - 1))
                data = data[:at] + bytes([data[at] ^ draw(st.integers(min_value=1, max_value=255))]) + data[at + 1:]
            entries[index] = (name, data, mode)
        elif operation == "duplicate":
            entries.append(entries[index])
        else:
            entries.append((entries[index][0] + "/", b"", 0o040755))
    return entries


@st.composite
def byte_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with flips, cuts, extensions, or whole stretches replaced (sometimes untouched)."""
    operation = draw(st.sampled_from(["none", "flip", "flips", "cut", "extend", "splice", "random"]))
    if operation == "flip" and data:
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        return data[:at] + bytes([data[at] ^ (1 << draw(st.integers(min_value=0, max_value=7)))]) + data[at + 1:]
    if operation == "flips" and data:
        mutable = bytearray(data)
        for at in draw(st.lists(st.integers(min_value=0, max_value=len(data) - 1), min_size=1, max_size=8)):
            mutable[at] ^= 0xFF
        return bytes(mutable)
    if operation == "cut":
        return data[: draw(st.integers(min_value=0, max_value=len(data)))]
    if operation == "extend":
        return data + draw(st.binary(min_size=1, max_size=64))
    if operation == "splice" and data:
        start = draw(st.integers(min_value=0, max_value=len(data) - 1))
        return data[:start] + draw(st.binary(max_size=64)) + data[start + draw(st.integers(0, 64)):]
    if operation == "random":
        return draw(st.binary(max_size=512))
    return data


@st.composite
def key_texts(draw: st.DrawFn, key: str) -> str:
    """A genuine key pasted badly or replaced: substitutions, deletions, insertions, case, unicode, length."""
    operation = draw(st.sampled_from(["same", "case", "sub", "delete", "insert", "swap", "junk", "long", "text"]))
    if operation == "case":
        return key.lower() if draw(st.booleans()) else key.replace("-", " ")
    if operation in ("sub", "delete", "insert", "swap"):
        at = draw(st.integers(min_value=0, max_value=len(key) - 2))
        char = draw(st.one_of(st.sampled_from(list("0O1IL-UZ ")), st.characters()))
        changed = {"sub": key[:at] + char + key[at + 1:], "delete": key[:at] + key[at + 1:],
                   "insert": key[:at] + char + key[at:], "swap": key[:at] + key[at + 1] + key[at] + key[at + 2:]}
        return changed[operation]
    if operation == "junk":
        return key + draw(st.text(min_size=1, max_size=20))
    if operation == "long":
        return key * draw(st.integers(min_value=2, max_value=40))
    if operation == "text":
        return draw(st.text(max_size=400))
    return key


@st.composite
def license_files(draw: st.DrawFn, key: str) -> bytes:
    """A license file: comment lines (any text) and a (damaged) key, in any encoding, or junk bytes."""
    comments = draw(st.lists(st.text(max_size=60).map(lambda t: "#" + t.replace("\n", " ")), max_size=3))
    text = "\n".join([*comments, draw(key_texts(key))]) + "\n"
    data = text.encode("utf-8", "surrogatepass")
    return draw(byte_damage(data))


@st.composite
def webvtt_bytes(draw: st.DrawFn) -> bytes:
    """WebVTT made of good and bad cue blocks, odd timings, arrows everywhere, unicode, then byte damage."""
    times = st.one_of(st.sampled_from(["00:00.000", "00:01:02.500", "99:59:59.999", "1:2.3", "00:00", "x", "",
                                       "9" * 30 + ":00.000", "-1:00.000"]), st.text(max_size=12))
    blocks = []
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        timing = f"{draw(times)} {draw(st.sampled_from(['-->', '--> ', '->', '-->-->']))} {draw(times)}"
        lines = draw(st.lists(st.text(max_size=30).map(lambda t: t.replace("\n", " ")), max_size=3))
        blocks.append("\n".join([timing, *lines]))
    separator = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n\n\n"]))
    text = draw(st.sampled_from(["WEBVTT\n\n", "", "\ufeffWEBVTT\n\n"])) + separator.join(blocks)
    return draw(byte_damage(text.encode("utf-8", "surrogatepass")))


SETTINGS_VALID = {"version": 2, "settings": {"mirrored": False, "volume_percent": 80, "muted": False,
                                             "cues_visible": True, "countdown_enabled": True, "countdown_s": 3,
                                             "speeds": {"demo": 0.75}}}


@st.composite
def settings_bytes(draw: st.DrawFn) -> bytes:
    """A settings file: valid JSON with hostile values (NaN, 1e999, huge ints, deep nesting), or damaged bytes."""
    data = copy.deepcopy(SETTINGS_VALID)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        key = draw(st.sampled_from([*SETTINGS_VALID["settings"], "other"]))  # type: ignore[arg-type]
        data["settings"][key] = draw(VALUES)  # type: ignore[index]
    if draw(st.booleans()):
        data["settings"]["speeds"] = {draw(st.text(max_size=8)): draw(NUMBERS)}  # type: ignore[index]
    text = json.dumps(data)  # writes NaN and Infinity as JSON's extensions, which json.loads reads back
    nesting = draw(st.sampled_from([0, 0, 0, 100, 100_000]))
    if nesting:
        text = text[:-1] + ', "deep": ' + "[" * nesting + "]" * nesting + "}"
    return draw(byte_damage(text.encode()))


SEARCH_TEXTS = st.one_of(
    st.text(max_size=200),
    st.sampled_from(['"', '""', "AND", "NEAR(", "*", "stiff*", "x OR y", "^", "-x", "\x00", "\ud800", "(((",
                     "col:val", "NOT", "'", "\\", "{a b}", "+", "a" * 5000]),
    st.lists(st.sampled_from(['"', "AND", "OR", "NOT", "(", ")", "*", ":", "^", "NEAR", "stiff", "-"]),
             max_size=12).map(" ".join),
)
