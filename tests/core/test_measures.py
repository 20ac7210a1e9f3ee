"""How measured results read, for case-study metrics and experiments alike: values with
units, changes, points, targets."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.core.measures import Change, format_percent, format_value, target_met

D = Decimal
values = st.decimals(
    min_value=D("-999999999999.99"), max_value=D("999999999999.99"), places=2, allow_nan=False
)
units = st.sampled_from(["", "%", "£", "$", "clicks", "applications"])


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (D("1200"), "£", "£1,200"),
        (D("-300"), "£", "−£300"),
        (D("18"), "%", "18%"),
        (D("3.50"), "%", "3.5%"),
        (D("1200"), "clicks", "1,200 clicks"),
        (D("0.125"), "", "0.13"),
        (D("7"), "", "7"),
        (None, "£", "—"),
    ],
)
def test_it_writes_a_value_with_its_unit(value: Decimal | None, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_it_marks_a_positive_change_with_a_plus() -> None:
    assert format_value(D("300"), "£", plus=True) == "+£300"
    assert format_value(D("0"), "£", plus=True) == "£0"


def test_it_rounds_a_relative_change_to_one_decimal() -> None:
    assert format_percent(D("-25")) == "−25%"
    assert format_percent(D("12.345")) == "+12.3%"
    assert format_percent(D("12.25")) == "+12.3%"


def test_it_shows_a_currency_change_with_both_values_and_the_percentage() -> None:
    change = Change(D("1200"), D("900"), "£", lower_is_better=True)
    assert change.summary == "£1,200 → £900, −25%"
    assert change.improved is True


def test_it_counts_a_fall_as_a_deterioration_when_higher_is_better() -> None:
    change = Change(D("1200"), D("900"), "£")
    assert change.improved is False


def test_it_tells_a_change_of_a_percentage_in_percentage_points() -> None:
    change = Change(D("10"), D("12.5"), "%")
    assert change.percent is None
    assert change.text == "+2.5 percentage points"
    assert change.summary == "10% → 12.5%, +2.5 percentage points"
    assert Change(D("10"), D("9"), "%").text == "−1 percentage point"


PP = '<abbr title="percentage points">pp</abbr>'


def test_on_a_page_percentage_points_are_pp_with_the_words_for_screen_readers() -> None:
    change = Change(D("12"), D("27"), "%")
    assert change.text_html == f"+15 {PP}"
    assert change.summary_html == f"12% → 27%, +15 {PP}"
    assert change.detail_html == f"+15 {PP}"
    assert Change(D("10"), D("9"), "%").text_html == f"−1 {PP}"


def test_on_a_page_other_units_are_escaped_and_never_abbreviated() -> None:
    change = Change(D("10"), D("20"), "<b>percentage points</b>")
    assert "<b>" not in change.summary_html
    assert "&lt;b&gt;percentage points&lt;/b&gt;" in change.summary_html
    assert "abbr" not in change.detail_html


def test_a_currency_keeps_its_symbol_in_every_wording() -> None:
    change = Change(D("1200"), D("900"), "£", lower_is_better=True)
    assert change.amount_text == "−£300"
    assert change.detail == "−£300 (−25%)"
    assert change.summary_html == "£1,200 → £900, −25%"
    assert Change(D("0"), D("40"), "€").text == "+€40"


@pytest.mark.parametrize(
    ("before", "after", "lower_is_better", "verdict"),
    [
        (D("26"), D("2"), True, "an improvement — lower is better"),
        (D("2"), D("26"), True, "a deterioration — lower is better"),
        (D("12"), D("27"), False, "an improvement"),
        (D("27"), D("12"), False, "a deterioration"),
        (D("5"), D("5"), True, ""),
        (None, D("5"), False, ""),
    ],
)
def test_it_says_in_words_whether_a_change_is_an_improvement(
    before: Decimal | None, after: Decimal, lower_is_better: bool, verdict: str
) -> None:
    assert Change(before, after, "h", lower_is_better).verdict == verdict


@pytest.mark.parametrize(
    ("before", "after", "unit", "lower_is_better", "gain"),
    [
        (D("26"), D("2"), "h", True, 13.0),  # a fall that is an improvement
        (D("12"), D("27"), "%", False, 2.25),  # percentages too, by their ratio
        (D("1200"), D("900"), "£", True, 1200 / 900),
        (D("1200"), D("900"), "£", False, None),  # a fall that is a loss
        (D("0"), D("40"), "clicks", False, None),  # no ratio from a zero baseline
        (D("-5"), D("5"), "", False, None),
        (D("5"), D("5"), "", False, None),
        (None, D("5"), "", False, None),
    ],
)
def test_the_gain_is_how_many_times_better_in_the_better_direction(
    before: Decimal | None, after: Decimal, unit: str, lower_is_better: bool, gain: float | None
) -> None:
    assert Change(before, after, unit, lower_is_better).gain == pytest.approx(gain)


def test_it_gives_the_percentage_change_for_ordinary_units() -> None:
    change = Change(D("14"), D("21"), "applications")
    assert change.percent == D("50")
    assert change.text == "+50%"


def test_it_shows_a_dash_when_the_baseline_or_result_is_missing() -> None:
    for change in (Change(None, D("5"), "£"), Change(D("5"), None, "£")):
        assert change.delta is None
        assert change.percent is None
        assert change.improved is None
        assert change.text == "—"
    assert Change(D("5"), None, "£").summary == "£5 → —"


def test_it_shows_the_amount_not_a_percentage_from_a_zero_baseline() -> None:
    change = Change(D("0"), D("40"), "clicks")
    assert change.percent is None
    assert change.text == "+40 clicks"
    assert change.improved is True


def test_it_judges_no_change_as_neither_better_nor_worse() -> None:
    change = Change(D("5"), D("5"), "")
    assert change.improved is None
    assert change.text == "0%"


@pytest.mark.parametrize(
    ("result", "target", "lower_is_better", "met"),
    [
        (D("21"), D("20"), False, True),
        (D("20"), D("20"), False, True),
        (D("19"), D("20"), False, False),
        (D("900"), D("1000"), True, True),
        (D("1100"), D("1000"), True, False),
        (None, D("20"), False, None),
        (D("20"), None, True, None),
    ],
)
def test_it_says_whether_the_target_was_met(
    result: Decimal | None, target: Decimal | None, lower_is_better: bool, met: bool | None
) -> None:
    assert target_met(result, target, lower_is_better=lower_is_better) is met


@given(before=values, after=values, unit=units, lower_is_better=st.booleans())
def test_it_never_fails_on_any_pair_of_stored_values(
    before: Decimal, after: Decimal, unit: str, lower_is_better: bool
) -> None:
    change = Change(before, after, unit, lower_is_better)
    assert change.summary.startswith(format_value(before, unit))
    if change.improved is not None:
        # Lower is better flips which direction counts as the improvement.
        flipped = Change(before, after, unit, not lower_is_better)
        assert flipped.improved is (not change.improved)


@given(before=values.filter(lambda v: v != 0), after=values)
def test_the_percentage_has_the_sign_of_the_change(before: Decimal, after: Decimal) -> None:
    change = Change(before, after, "clicks")
    assert (change.percent > 0) == (after > before)
    assert (change.percent < 0) == (after < before)


def test_an_experiments_headline_is_its_measure_against_the_baseline() -> None:
    from kb.experiments.models import Experiment

    experiment = Experiment(
        metric_name="Cost per hire", baseline=Decimal("1200"), result=Decimal("900"), unit="£",
        lower_is_better=True,
    )  # fmt: skip
    headline = experiment.headline()
    assert (headline.label, headline.text, headline.improved) == (
        "Cost per hire", "£1,200 → £900, −25%", True,
    )  # fmt: skip
    running = Experiment(metric_name="Reach", baseline=Decimal("10"), result=None)
    assert running.headline().text == "10 → —"
    assert running.headline().improved is None


@pytest.mark.parametrize(
    ("before", "after", "unit", "amount", "detail"),
    [
        (D("14"), D("31"), "applications", "+17 applications", "+17 applications (+121.4%)"),
        (D("1200"), D("900"), "£", "−£300", "−£300 (−25%)"),
        (D("12"), D("27"), "%", "+15%", "+15 percentage points"),
        (D("0"), D("40"), "clicks", "+40 clicks", "+40 clicks"),
        (None, D("40"), "clicks", "—", "—"),
        (D("5"), D("5"), "", "0", "0 (0%)"),
    ],
)
def test_a_table_of_results_shows_the_amount_and_the_relative_change(
    before, after, unit: str, amount: str, detail: str
) -> None:
    change = Change(before, after, unit)
    assert change.amount_text == amount
    assert change.detail == detail
