"""Department pages, the adoption dashboard and ask-an-advocate in a real browser at 390 px
and 1280 px, light and dark: axe-core finds no violation and nothing scrolls sideways."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.departments.models import AdoptionStage
from kb.questions.models import Routing
from tests.departments.factories import StageChangeFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import ArticleFactory, PlatformFactory
from tests.questions.factories import AnswerFactory, QuestionFactory
from tests.test_accessibility import SCHEMES, VIEWPORTS, _problems
from tests.test_layout import _tab

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def adoption(editor: AbstractUser, advocate: AbstractUser, reader: AbstractUser) -> dict[str, str]:
    department = advocate.advocate_profile.department
    linkedin = PlatformFactory(name="LinkedIn", slug="linkedin")
    advocate.advocate_profile.platforms.add(linkedin)
    today = timezone.localdate()
    for days, name in [(300, "Curious"), (150, "Experimenting"), (20, "Adopting")]:
        StageChangeFactory(
            department=department,
            stage=AdoptionStage.objects.get(name=name),
            changed_on=today - timedelta(days=days),
            note="A long note about what changed in the department that month, to wrap.",
        )
    ArticleFactory(author=advocate, tags=["video"])
    ExperimentFactory(department=department, start_date=date(2025, 1, 1), end_date=today)
    question = QuestionFactory(
        asker=editor, department=department, platform=linkedin, topics=["video"]
    )
    Routing.objects.create(question=question, advocate=advocate, reason="knows LinkedIn")
    AnswerFactory(question=question, author=advocate, body="Start with **one** post a week.")
    QuestionFactory(asker=reader, department=department, answered_at=timezone.now())
    return {
        "department": reverse("departments:detail", args=[department.slug]),
        "question": question.get_absolute_url(),
        "route": reverse("questions:route", args=[question.pk]),
    }


@pytest.fixture(params=[(size, scheme) for size in VIEWPORTS for scheme in SCHEMES], ids=str)
def page(request, browser: "Browser", live_server, client: Client, editor) -> Iterator["Page"]:
    """A tab signed in as the editor (who sees the dashboard and the stage form)."""
    (width, height), scheme = request.param
    client.force_login(editor)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}, color_scheme=scheme
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    tab = context.new_page()
    yield tab
    context.close()


def test_department_dashboard_and_question_pages_have_no_accessibility_violations(
    page: "Page", adoption: dict[str, str]
) -> None:
    paths = [
        reverse("departments:list"),
        adoption["department"],
        reverse("departments:dashboard"),
        reverse("departments:dashboard") + "?start=2999-01",  # with filter errors
        reverse("questions:list"),
        reverse("questions:list") + "?show=answered",
        reverse("questions:ask"),
        adoption["question"],
        adoption["route"],
    ]
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status in (200, 400), path
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        if found := _problems(page):
            problems[path] = found
    assert problems == {}


# Each table on the page as a reader sees it: whether it is one that stacks when narrow
# (a table of three short columns fits anyway), and for every body and footer row whether its
# cells sit one under another (stacked) or side by side, the column name each cell shows
# before its value (its label; "none" when it shows none), the column's head, and whether
# the cell reaches past the screen's right edge. A row's first cell (its name) heads it.
TABLES_AS_SHOWN = """() => [...document.querySelectorAll("main table")].map((table) => {
  const heads = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
  const rows = [...table.tBodies[0].rows, ...(table.tFoot ? table.tFoot.rows : [])];
  return {
    stacks: table.classList.contains("stack-table"),
    headVisible: table.tHead.getBoundingClientRect().height > 1,
    rows: rows.map((row) => {
      const boxes = [...row.cells].map((cell) => cell.getBoundingClientRect());
      return {
        stacked: boxes.every((box, i) => i === 0 || box.top >= boxes[i - 1].bottom - 1),
        sideBySide: boxes.every((box) => Math.abs(box.top - boxes[0].top) < 1),
        cells: [...row.cells].slice(1).map((cell, i) => ({
          head: heads[i + 1],
          label: getComputedStyle(cell, "::before").content,
          offScreen: cell.getBoundingClientRect().right > window.innerWidth,
        })),
      };
    }),
  };
})"""


def test_the_department_list_dashboard_and_chart_tables_stack_on_a_phone(
    browser: "Browser", live_server, editor: AbstractUser, adoption: dict[str, str]
) -> None:
    """On a phone each row of a wide table becomes a block, every figure beside its
    column's name and nothing off the screen; on a desktop, and for a chart's table of a
    month and one or two numbers, they are tables with their heads."""
    for width, _ in VIEWPORTS:
        page = _tab(browser, live_server, editor, width)
        for path, expected in [
            (reverse("departments:list"), [True]),
            # By department, then the numbers of the six charts: advocates, contributions
            # by type (six), experiments (finished, succeeded), success rate, questions
            # (asked, answered) and departments by stage (five).
            (reverse("departments:dashboard"), [True, False, True, False, False, False, True]),
        ]:
            page.goto(path)
            for summary in page.locator("details.chart-data > summary").all():
                summary.click()  # the charts' numbers, behind their disclosures
            tables = page.evaluate(TABLES_AS_SHOWN)
            assert [table["stacks"] for table in tables] == expected, path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            for table in tables:
                assert table["rows"], path
                cells = [cell for row in table["rows"] for cell in row["cells"]]
                assert not any(cell["offScreen"] for cell in cells), (path, width)
                if width < 600 and table["stacks"]:
                    assert not table["headVisible"], path
                    assert all(row["stacked"] for row in table["rows"]), path
                    assert [cell["label"] for cell in cells] == [
                        f'"{cell["head"]}"' for cell in cells
                    ], path
                else:
                    assert table["headVisible"], path
                    assert all(row["sideBySide"] for row in table["rows"]), path
                    assert {cell["label"] for cell in cells} == {"none"}, path
        page.context.close()
