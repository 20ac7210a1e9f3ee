"""How a measured result reads: a value with its unit, and a change between two values.

The one arithmetic of results, for a case study's metrics and an experiment's measure
alike (with, for ranking many items' results in one query, the SQL twin of the gain).
Pure functions, so every case (no baseline, a zero baseline, percentages, lower is
better) is pinned by unit tests rather than found on a page. A change is relative (per
cent) for ordinary units, but in percentage points when the unit is itself "%": 10% → 12%
is "+2 percentage points", not "+20%" (in HTML "+2 pp", the abbreviation expanded for
screen readers and on hover). Currencies are kept in the display (£1,200 → £900, −25%).
Whether a change is an improvement is said in words, so a fall that is good news ("first
response time 26 h → 2 h") never reads as a loss.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, F, FloatField, Q, When
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Written before the number (£4,200); every other unit after it (18 %, 1,200 clicks).
CURRENCY_SYMBOLS = {"£", "$", "€", "¥", "₹", "CHF"}

MISSING = "—"
PERCENT = "%"
MINUS = "−"  # the typographic minus, as the case study metrics show it
POINTS = "percentage points"
POINTS_HTML = '<abbr title="percentage points">pp</abbr>'


def _digits(value: Decimal) -> str:
    """1200 → "1,200"; 3.50 → "3.5"; 0.125 → "0.13" (two decimals at most)."""
    value = abs(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _sign(value: Decimal, *, plus: bool) -> str:
    if value < 0:
        return MINUS
    return "+" if plus and value > 0 else ""


def format_value(value: Decimal | None, unit: str = "", *, plus: bool = False) -> str:
    """A value as people write it: "£1,200", "18%", "1,200 clicks"; "—" when unknown.

    ``plus`` marks a positive value with "+" (for changes).
    """
    if value is None:
        return MISSING
    sign, digits, unit = _sign(value, plus=plus), _digits(value), unit.strip()
    if unit in CURRENCY_SYMBOLS:
        return f"{sign}{unit}{digits}"
    if unit == PERCENT:
        return f"{sign}{digits}%"
    return f"{sign}{digits} {unit}" if unit else f"{sign}{digits}"


def format_percent(value: Decimal) -> str:
    """A relative change rounded to one decimal, halves up: "+25%", "−12.5%"."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{_sign(rounded, plus=True)}{_digits(rounded)}%"


@dataclass(frozen=True)
class Change:
    """The move from ``before`` to ``after`` in a measure with ``unit``."""

    before: Decimal | None
    after: Decimal | None
    unit: str = ""
    lower_is_better: bool = False

    @property
    def known(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def delta(self) -> Decimal | None:
        return self.after - self.before if self.known else None

    @property
    def before_text(self) -> str:
        return format_value(self.before, self.unit)

    @property
    def after_text(self) -> str:
        return format_value(self.after, self.unit)

    @property
    def in_points(self) -> bool:
        """A change of a percentage is told in percentage points."""
        return self.unit.strip() == PERCENT

    @property
    def percent(self) -> Decimal | None:
        """The relative change; None for percentages (see points) and from a zero baseline,
        which no relative change can describe."""
        if not self.known or self.in_points or self.before == 0:
            return None
        return (self.after - self.before) / abs(self.before) * 100

    @property
    def improved(self) -> bool | None:
        """Whether the move is the better direction; None when unknown or unchanged."""
        delta = self.delta
        if not delta:
            return None
        return (delta < 0) == self.lower_is_better

    @property
    def verdict(self) -> str:
        """Whether the change is good news, in words: "an improvement", and for a measure
        where lower is better "an improvement — lower is better"; "" when unknown."""
        improved = self.improved
        if improved is None:
            return ""
        verdict = "an improvement" if improved else "a deterioration"
        return f"{verdict} — lower is better" if self.lower_is_better else verdict

    @property
    def gain(self) -> float | None:
        """How many times better the measure got, in its better direction (after ÷ before,
        or before ÷ after when lower is better): 26 h → 2 h is 13, 12% → 27% is 2.25. It
        ranks results of any unit against each other; None unless both values are
        positive and the change is an improvement."""
        if not self.known or self.before <= 0 or self.after <= 0 or not self.improved:
            return None
        ratio = self.before / self.after if self.lower_is_better else self.after / self.before
        return float(ratio)

    @property
    def text(self) -> str:
        """The change alone: "−25%", "+2 percentage points", or the amount from a zero
        baseline."""
        delta = self.delta
        if delta is None:
            return MISSING
        if self.in_points:
            points = POINTS[:-1] if abs(delta) == 1 else POINTS
            return f"{_sign(delta, plus=True)}{_digits(delta)} {points}"
        if self.percent is None:
            return format_value(delta, self.unit, plus=True)
        return format_percent(self.percent)

    @property
    def amount_text(self) -> str:
        """The change as an amount in the unit: "+17 applications", "−£300", "+15%"."""
        delta = self.delta
        return MISSING if delta is None else format_value(delta, self.unit, plus=True)

    @property
    def detail(self) -> str:
        """The change for a table of results: the amount and, when there is one, the
        relative change ("+17 applications (+121.4%)"); percentages in points alone."""
        if self.delta is None or self.in_points or self.percent is None:
            return self.text
        return f"{self.amount_text} ({format_percent(self.percent)})"

    @property
    def summary(self) -> str:
        """Both values and the change: "£1,200 → £900, −25%"."""
        values = f"{self.before_text} → {self.after_text}"
        return f"{values}, {self.text}" if self.known else values

    def _html(self, text: str) -> SafeString:
        """``text`` for a page: escaped (a unit is typed by people), percentage points
        abbreviated to "pp" with the words kept for screen readers and on hover."""
        html = escape(text)
        if self.in_points:
            html = html.replace(POINTS[:-1], POINTS_HTML).replace(f"{POINTS_HTML}s", POINTS_HTML)
        return mark_safe(html)  # escaped above; only our own abbreviation added

    @property
    def text_html(self) -> SafeString:
        """``text`` for a page: "+15 pp" with "pp" expanded for assistive technology."""
        return self._html(self.text)

    @property
    def detail_html(self) -> SafeString:
        return self._html(self.detail)

    @property
    def summary_html(self) -> SafeString:
        return self._html(self.summary)


def target_met(
    result: Decimal | None, target: Decimal | None, *, lower_is_better: bool
) -> bool | None:
    """Whether the result reached the target (at or below it when lower is better)."""
    if result is None or target is None:
        return None
    return result <= target if lower_is_better else result >= target


def gain_expression(before: str, after: str, lower_is_better: str) -> Case:
    """``Change.gain`` in SQL, over a row's fields: so a page can rank every item's result by
    it and fetch only the strongest few, whatever the number of items. As floats, since
    SQLite keeps whole decimals as integers and would divide them as such."""
    before_f, after_f = Cast(before, FloatField()), Cast(after, FloatField())
    both_positive = Q(**{f"{before}__gt": 0, f"{after}__gt": 0})
    return Case(
        When(
            both_positive & Q(**{lower_is_better: True, f"{after}__lt": F(before)}),
            then=before_f / after_f,
        ),
        When(
            both_positive & Q(**{lower_is_better: False, f"{after}__gt": F(before)}),
            then=after_f / before_f,
        ),
        default=None,
        output_field=FloatField(),
    )
