"""A measured change drawn as two bars, before and after: the geometry here, the markup
in ``includes/change_chart.html``.

As the departments' dashboard draws its charts (``kb.departments.charts``): inline SVG
built by hand, so its colours are the site's CSS variables (light and dark alike), every
bar carries its number as a ``<title>``, the chart is named and described for screen
readers, and the numbers stay in the table beside it. The values are worded exactly as
the table words them (``kb.core.measures``), and the caption says which way is better.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from kb.core.measures import Change

WIDTH = 320
ROW_HEIGHT = 34  # a label line, then its bar
LABEL_Y = 12
BAR_Y = 17
BAR_HEIGHT = 12


@dataclass
class ChangeBar:
    label: str  # "Before: £1,200"
    series: int  # the chart colour (kb.css .chart-sN)
    text_y: int
    y: int
    x: float = 0
    width: float = 0  # none when the value is unknown


@dataclass
class ChangeChart:
    """Before and after of one measure, each a labelled bar from zero."""

    slug: str
    title: str
    change: Change
    width: int = WIDTH
    bars: list[ChangeBar] = field(init=False, default_factory=list)
    zero_x: float = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._lay_out()

    @property
    def height(self) -> int:
        return ROW_HEIGHT * 2 + 2

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT

    @property
    def axis_top(self) -> int:
        """The zero line runs from the first bar down."""
        return BAR_Y - 3

    @property
    def direction(self) -> str:
        return "Lower is better" if self.change.lower_is_better else "Higher is better"

    @property
    def description(self) -> str:
        """The whole chart in words, for screen readers (and the same as the table)."""
        change = self.change
        words = f"Before {change.before_text}, after {change.after_text}"
        if change.known:
            words += f": {change.text}"
        if change.verdict:
            # The verdict says "lower is better" itself when it is.
            return f"{words}, {change.verdict}."
        return f"{words}. {self.direction}."

    def _lay_out(self) -> None:
        values = [self.change.before, self.change.after]
        known = [value for value in values if value is not None]
        low, high = min([Decimal(0), *known]), max([Decimal(0), *known])
        span = (high - low) or Decimal(1)

        def x_of(value: Decimal) -> float:
            return round(float((value - low) / span) * self.width, 1)

        self.zero_x = x_of(Decimal(0))
        rows = [("Before", self.change.before_text, 5), ("After", self.change.after_text, 0)]
        for row, ((name, text, series), value) in enumerate(zip(rows, values, strict=True)):
            top = row * ROW_HEIGHT
            bar = ChangeBar(f"{name}: {text}", series, top + LABEL_Y, top + BAR_Y)
            if value is not None:
                end = x_of(value)
                bar.x, bar.width = min(end, self.zero_x), round(abs(end - self.zero_x), 1)
            self.bars.append(bar)
