"""How a measured result reads: a value with its unit, and a change between two values.

The one arithmetic of results, for a case study's metrics and an experiment's measure
alike. Pure functions, so every case (no baseline, a zero baseline, percentages, lower is
better) is pinned by unit tests rather than found on a page. A change is relative (per
cent) for ordinary units, but in percentage points when the unit is itself "%": 10% → 12%
is "+2 points", not "+20%". Currencies are kept in the display (£1,200 → £900, −25%).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Written before the number (£4,200); every other unit after it (18 %, 1,200 clicks).
CURRENCY_SYMBOLS = {"£", "$", "€", "¥", "₹", "CHF"}

MISSING = "—"
PERCENT = "%"
MINUS = "−"  # the typographic minus, as the case study metrics show it


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
    def text(self) -> str:
        """The change alone: "−25%", "+2 points", or the amount from a zero baseline."""
        delta = self.delta
        if delta is None:
            return MISSING
        if self.in_points:
            points = "point" if abs(delta) == 1 else "points"
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


def target_met(
    result: Decimal | None, target: Decimal | None, *, lower_is_better: bool
) -> bool | None:
    """Whether the result reached the target (at or below it when lower is better)."""
    if result is None or target is None:
        return None
    return result <= target if lower_is_better else result >= target
