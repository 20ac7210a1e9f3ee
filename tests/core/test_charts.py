"""A measured change drawn as before/after bars: lengths from zero on one scale, labels
worded as the results table words them, and which way is better said."""

from decimal import Decimal

from kb.core.charts import WIDTH, ChangeChart
from kb.core.measures import Change

D = Decimal


def chart(before: str | None, after: str | None, unit: str = "", lower: bool = False):
    change = Change(D(before) if before else None, D(after) if after else None, unit, lower)
    return ChangeChart("change-1", "Measure", change)


def test_the_bars_share_one_scale_from_zero() -> None:
    before, after = chart("26", "2", "h", lower=True).bars
    assert (before.x, before.width) == (0, WIDTH)
    assert after.width == round(WIDTH * 2 / 26, 1)
    assert (before.label, after.label) == ("Before: 26 h", "After: 2 h")


def test_the_labels_keep_currency_and_percent_as_the_table_does() -> None:
    assert [bar.label for bar in chart("1200", "900", "£").bars] == [
        "Before: £1,200",
        "After: £900",
    ]
    assert [bar.label for bar in chart("12", "27", "%").bars] == ["Before: 12%", "After: 27%"]


def test_a_fall_that_is_an_improvement_is_described_as_one() -> None:
    drawn = chart("26", "2", "h", lower=True)
    assert drawn.direction == "Lower is better"
    assert drawn.description == (
        "Before 26 h, after 2 h: −92.3%, an improvement — lower is better."
    )
    assert chart("12", "27", "%").description == (
        "Before 12%, after 27%: +15 percentage points, an improvement."
    )


def test_a_missing_baseline_has_a_label_but_no_bar() -> None:
    before, after = chart(None, "40", "clicks").bars
    assert (before.label, before.width) == ("Before: —", 0)
    assert after.width == WIDTH
    assert chart(None, "40").description == "Before —, after 40. Higher is better."
    assert chart("5", "5", lower=True).description == "Before 5, after 5: 0%. Lower is better."


def test_negative_values_are_drawn_either_side_of_zero() -> None:
    drawn = chart("-10", "30")
    before, after = drawn.bars
    assert drawn.zero_x == WIDTH / 4
    assert (before.x, before.width) == (0, WIDTH / 4)
    assert (after.x, after.width) == (WIDTH / 4, WIDTH * 3 / 4)


def test_zero_everywhere_draws_no_bars_and_never_fails() -> None:
    assert [bar.width for bar in chart("0", "0").bars] == [0, 0]
