"""The streamed JSON export writes exactly the bytes of ``exports.document_text``, whatever the records hold."""

from __future__ import annotations

import io
import math
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from player.core.journal.exports import FORMAT_NAME, FORMAT_VERSION, RunRecord, document_text
from player.core.journal.followups import Followup
from player.core.journal.json_writer import write_document
from player.core.journal.store import Answers, Checkin, Run

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)  # quotes, controls, non-ASCII
ANSWER = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                   st.just(-0.0), TEXT, st.lists(TEXT, max_size=3))


def _written(records: list[RunRecord]) -> str:
    out = io.StringIO()
    write_document(records, out, format_name=FORMAT_NAME, version=FORMAT_VERSION)
    return out.getvalue()


@st.composite
def records(draw: st.DrawFn) -> list[RunRecord]:
    found = []
    for run_id in range(draw(st.integers(0, 3))):
        checkins = tuple(
            Checkin(id=n, run_id=run_id, snippet_id=draw(TEXT), answered_at=draw(TEXT), skipped=draw(st.booleans()),
                    answers=Answers(discomfort=draw(st.none() | st.integers(0, 10)),
                                    ease=draw(st.none() | st.integers(1, 5)),
                                    body_areas=tuple(draw(st.lists(TEXT, max_size=3))), note=draw(TEXT),
                                    extra=draw(st.dictionaries(TEXT, ANSWER, max_size=3))))
            for n in range(draw(st.integers(0, 3))))
        followup = draw(st.none() | st.builds(
            Followup, run_id=st.just(run_id), asked_on=st.dates(min_value=date(2000, 1, 1)),
            answer=st.sampled_from((None, "better", "same", "worse")), note=TEXT, answered_at=st.none() | TEXT))
        run = Run(id=run_id, session_id=draw(TEXT), started_at=draw(TEXT), ended_at=draw(st.none() | TEXT),
                  completed=draw(st.booleans()))
        found.append(RunRecord(run=run, checkins=checkins, followup=followup))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_json_writer_gives_the_bytes_of_document_text(found: list[RunRecord]) -> None:
    assert _written(found) == document_text(found)


def test_json_writer_keeps_minus_zero_apart_from_zero() -> None:
    """Answers are formatted once per distinct value: 0.0 and -0.0 compare equal but are written apart."""
    checkins = tuple(Checkin(id=n, run_id=1, snippet_id="s", answered_at="t", skipped=False,
                             answers=Answers(extra={"reach": value})) for n, value in enumerate((0.0, -0.0, 0, 0.0)))
    found = [RunRecord(run=Run(id=1, session_id="x", started_at="a", ended_at=None, completed=True),
                       checkins=checkins, followup=None)]
    text = _written(found)
    assert text == document_text(found)
    assert '"reach": -0.0' in text and '"reach": 0.0' in text and '"reach": 0\n' in text


def test_json_writer_writes_non_finite_answers_as_document_text_does() -> None:
    """inf and nan are not JSON: their question kind decides what is exported, the same on both paths."""
    checkins = tuple(Checkin(id=n, run_id=1, snippet_id="s", answered_at="t", skipped=False,
                             answers=Answers(extra={"reach": value})) for n, value in enumerate((math.inf, math.nan)))
    found = [RunRecord(run=Run(id=1, session_id="x", started_at="a", ended_at=None, completed=True),
                       checkins=checkins, followup=None)]
    assert _written(found) == document_text(found)
