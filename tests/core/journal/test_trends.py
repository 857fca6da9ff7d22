"""The robust trend summary: first runs against last runs, never one day alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from player.core.journal.trends import Change, change_sentence, figure, robust_change


def test_first_three_against_last_three_with_the_count() -> None:
    change = robust_change([6, 5, 7, 4, 3, 2, 1, 2])
    assert change == Change(first_mean=6.0, last_mean=5 / 3, window=3, count=8)
    assert change_sentence("discomfort", [6, 5, 7, 4, 3, 2, 1, 2]) == (
        "discomfort 6 -> 1.7 over 8 runs (mean of the first 3 runs against the last 3)")


def test_one_bad_last_day_does_not_make_the_sentence() -> None:
    # Steadily better, then one bad day: first-vs-last would say "5 -> 8"; the means say it went down.
    sentence = change_sentence("discomfort", [5, 5, 4, 2, 1, 1, 1, 8])
    assert sentence.startswith("discomfort 4.7 -> 3.3 over 8 runs")


def test_short_trends_split_in_halves_that_never_overlap() -> None:
    assert robust_change([5, 4, 3, 2]) == Change(first_mean=4.5, last_mean=2.5, window=2, count=4)
    assert robust_change([5, 9, 2]) == Change(first_mean=5.0, last_mean=2.0, window=1, count=3)
    assert change_sentence("ease", [2, 4]) == "ease 2 -> 4 over 2 runs (the first run against the last)"


def test_unanswered_runs_are_left_out() -> None:
    assert robust_change([None, 3, None, 1]) == Change(first_mean=3.0, last_mean=1.0, window=1, count=2)
    assert change_sentence("discomfort", [None, 4, None]) == "discomfort 4 (1 run)"
    assert change_sentence("discomfort", [None, None]) == "no discomfort answers yet"
    assert robust_change([]) is None


def test_window_must_be_a_run_or_more() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        robust_change([1, 2], window=0)


def test_figures_drop_a_needless_decimal() -> None:
    assert (figure(5.0), figure(4.5), figure(5 / 3), figure(1.96)) == ("5", "4.5", "1.7", "2")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=60))
def test_means_stay_in_range_and_count_the_answers(values: list[int | None]) -> None:
    change = robust_change(values)
    answered = [v for v in values if v is not None]
    if len(answered) < 2:
        assert change is None
        return
    assert change is not None and change.count == len(answered)
    assert change.window in (1, 2, 3) and 2 * change.window <= change.count
    for mean in (change.first_mean, change.last_mean):
        assert min(answered) <= mean <= max(answered)
