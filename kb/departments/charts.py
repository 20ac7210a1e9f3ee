"""Bar charts as server-rendered SVG: the geometry here, the markup in
``departments/_chart.html``.

Hand-built rather than drawn by a plotting library: the charts are bars over months, the
SVG sits inline in the page so its colours are the site's CSS variables (light and dark
alike) instead of colours baked into a file, and every mark carries its number as a
``<title>`` while the same numbers stand in a table beside it. No JavaScript is needed to
read any of it.
"""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 56
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_LABELS = 13  # month labels under the axis before every other one is skipped


@dataclass
class Series:
    name: str
    values: list[float]
    total: float | None = None  # all time, when that means something for the series


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str


@dataclass
class Chart:
    """A chart of ``series`` over ``columns`` (month labels), bars side by side or stacked."""

    slug: str
    title: str
    description: str
    y_label: str
    columns: list[str]
    series: list[Series]
    stacked: bool = False
    percent: bool = False  # values are percentages (a rate), shown with "%"
    note: str = ""
    bars: list[Bar] = field(init=False, default_factory=list)
    ticks: list[tuple[float, str]] = field(init=False, default_factory=list)
    labels: list[tuple[float, str]] = field(init=False, default_factory=list)

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom_y: int = TOP + PLOT_H
    right_x: int = LEFT + PLOT_W

    y_label_y: float = TOP + PLOT_H / 2
    x_label_x: float = LEFT + PLOT_W / 2
    labels_y: int = TOP + PLOT_H + 8

    def __post_init__(self) -> None:
        self._lay_out()

    @property
    def rows(self) -> list[tuple[str, list[float]]]:
        """The numbers by column (month), as the table and the CSV show them."""
        return [
            (column, [s.values[i] for s in self.series]) for i, column in enumerate(self.columns)
        ]

    @property
    def labelled_rows(self) -> list[tuple[str, list[tuple[str, float]]]]:
        """The rows with each number beside its series' name: a cell of the table keeps
        its column's name when the table stacks on a narrow screen."""
        names = [s.name for s in self.series]
        return [(column, list(zip(names, values, strict=True))) for column, values in self.rows]

    @property
    def has_totals(self) -> bool:
        return any(s.total is not None for s in self.series)

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)

    def _top_value(self) -> float:
        if self.percent:
            return 100
        if self.stacked:
            peak = max((sum(values) for _, values in self.rows), default=0)
        else:
            peak = max((v for s in self.series for v in s.values), default=0)
        return _nice_ceiling(peak)

    def _lay_out(self) -> None:
        top_value = self._top_value()
        n = max(len(self.columns), 1)
        slot = PLOT_W / n
        gap = slot * 0.2
        groups = 1 if self.stacked else max(len(self.series), 1)
        bar_w = (slot - gap) / groups
        for i, column in enumerate(self.columns):
            base = TOP + PLOT_H
            for s_index, s in enumerate(self.series):
                value = s.values[i]
                h = PLOT_H * value / top_value if top_value else 0
                x = LEFT + i * slot + gap / 2 + (0 if self.stacked else s_index * bar_w)
                y = base - h
                text = f"{s.name}, {column}: {_fmt(value, self.percent)}"
                if h > 0:
                    self.bars.append(
                        Bar(round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1), s_index, text)
                    )
                if self.stacked:
                    base = y
        step = top_value / 4 if top_value else 1
        self.ticks = [
            (round(TOP + PLOT_H - PLOT_H * k / 4, 1), _fmt(step * k, self.percent))
            for k in range(5)
        ]
        every = -(-n // MAX_LABELS)
        self.labels = [
            (round(LEFT + (i + 0.5) * slot, 1), column)
            for i, column in enumerate(self.columns)
            if i % every == 0
        ]


def _nice_ceiling(value: float) -> float:
    """The smallest of 4, 8, 20, 40, 80, 200, … at or above ``value`` (four even ticks)."""
    if value <= 0:
        return 4
    ceiling = 4
    while ceiling < value:
        ceiling = ceiling * 5 // 2 if str(ceiling)[0] == "8" else ceiling * 2
    return ceiling


def _fmt(value: float, percent: bool = False) -> str:
    text = f"{value:g}" if value != int(value) else str(int(value))
    return f"{text}%" if percent else text
