"""The XSS corpus in headless Chromium: pages full of payloads open, are hovered and focused,
the search box suggests hostile titles and the editor previews hostile Markdown, and no
payload ever runs.

Every payload calls ``window.__xss()`` (a binding that reports back to the test, in every
frame and across navigations) or opens a dialog (``alert``, ``confirm``, ``prompt``); the
test counts both. The browser's own reading of every link and source is checked too: no
element of the page resolves to a javascript:, vbscript: or data: address.
"""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse

from tests.collections.factories import CollectionFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import (
    ArticleFactory,
    CaseStudyFactory,
    CommentFactory,
    HandleFactory,
    MetricFactory,
    NotificationFactory,
    PlatformFactory,
    ResearchLinkFactory,
)
from tests.questions.factories import AnswerFactory, QuestionFactory
from tests.revisions.helpers import article_form, compare_url, edit_url, save_edit, write_article
from tests.security.xss_payloads import PAYLOADS, chunks, joined

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EVERYTHING = "\n\n".join(payload.text for payload in PAYLOADS)

# Make every handler a payload could have attached fire, and list what the browser would
# load from a script address. Clicks are left out: they would leave the page.
PROVOKE = """() => {
  const events = ["mouseover", "mouseenter", "pointerenter", "pointerover", "focus",
                  "focusin", "animationstart", "toggle", "load", "error", "begin"];
  for (const element of document.querySelectorAll("body *")) {
    for (const name of events) {
      try { element.dispatchEvent(new Event(name)); } catch (e) {}
    }
  }
  const bad = [];
  for (const element of document.querySelectorAll("*")) {
    for (const name of ["href", "src", "action", "formaction", "xlink:href", "data",
                        "poster", "background"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      let protocol = "";
      try { protocol = new URL(value, document.baseURI).protocol; } catch (e) { continue; }
      if (["javascript:", "vbscript:", "data:"].includes(protocol)) {
        bad.push(element.tagName + " " + name + "=" + value.slice(0, 80));
      }
    }
  }
  return bad;
}"""


PREVIEWED = """() => [...document.querySelectorAll(".md-preview")].some(
  (pane) => pane.getAttribute("aria-busy") !== "true"
    && pane.querySelector(".md-preview-body").textContent.includes("__xss"))"""


def batches(size: int, count: int) -> list[str]:
    return [joined(batch, size) for batch in list(chunks(PAYLOADS, size))[:count]]


@pytest.fixture
def hostile_pages(advocate: AbstractUser, editor: AbstractUser, reader) -> dict[str, str]:
    """One page of each kind, every field of it full of payloads."""
    titles = batches(190, 12)
    platform = PlatformFactory(name=titles[0][:80])
    article = ArticleFactory(
        author=advocate, title=titles[0], summary=titles[1], body=EVERYTHING, tags=[titles[2][:100]]
    )
    for text in batches(5_000, 4):
        CommentFactory(target=article, author=advocate, body=text.replace(" <", "\n\n<"))
    study = CaseStudyFactory(created_by=advocate, title=titles[3], summary=EVERYTHING[:2_000],
                             outcome=EVERYTHING[:20_000], platforms=[platform])  # fmt: skip
    names, units = batches(120, 12), batches(40, 12)
    for row, (name, unit) in enumerate(zip(names, units, strict=True)):
        MetricFactory(case_study=study, name=name, unit=unit, period=unit,
                      value_before=Decimal(10 + row), position=row)  # fmt: skip
    research = ResearchLinkFactory(title=titles[4], key_finding=EVERYTHING[:2_000])
    experiment = ExperimentFactory(title=titles[5], unit=units[0], metric_name=names[1],
                                   learnings=EVERYTHING[:20_000])  # fmt: skip
    profile = advocate.advocate_profile
    profile.bio = EVERYTHING[:10_000]
    profile.job_title = titles[6][:120]
    profile.save()
    HandleFactory(profile=profile, platform=platform, handle=titles[7][:100])
    question = QuestionFactory(title=titles[8], body=EVERYTHING[:5_000])
    for text in batches(5_000, 3):
        AnswerFactory(question=question, author=advocate, body=text.replace(" <", "\n\n<"))
    brief = CollectionFactory(
        created_by=advocate, title=titles[9], introduction=EVERYTHING[:20_000],
        items=[(item, note) for item, note in zip([study, research, experiment, article],
                                                   batches(200, 4), strict=True)],
    )  # fmt: skip
    for text in batches(200, 6):
        NotificationFactory(recipient=advocate, target_title=text, message=text)
    for title in titles:
        ArticleFactory(title=f"payload {title}", summary=f"payload {title}", author=editor)

    client = Client()
    client.force_login(advocate)
    revised = write_article(client, publisher=editor, title="Harmless", body="Harmless")
    save_edit(client, revised, article_form(revised, title=titles[10], body=EVERYTHING))
    return {
        "article": article.get_absolute_url(),
        "case study": study.get_absolute_url(),
        "research": research.get_absolute_url(),
        "experiment": experiment.get_absolute_url(),
        "profile": profile.get_absolute_url(),
        "platform": reverse("platforms:detail", args=[platform.slug]),
        "question": question.get_absolute_url(),
        "brief": brief.get_absolute_url(),
        "notifications": reverse("notifications:list"),
        "search": f"{reverse('search:results')}?q=payload+OR+script+OR+onerror+OR+javascript",
        "diff": compare_url(revised, "from=1&to=2"),
        "home": reverse("home"),
        "articles": reverse("articles:list"),
        "editor": edit_url(article),
    }


@pytest.fixture
def tab(browser, live_server, advocate: AbstractUser) -> Iterator:
    """A signed-in tab that records every dialog and every call of the sentinel."""
    client = Client()
    client.force_login(advocate)
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])  # fmt: skip
    ran: list[str] = []
    context.expose_binding("__xss", lambda source, *args: ran.append(source["frame"].url))
    page = context.new_page()
    page.on("dialog", lambda dialog: (ran.append(f"{dialog.type}: {dialog.message}"),
                                      dialog.dismiss()))  # fmt: skip
    page.ran = ran
    yield page
    context.close()


def test_no_payload_runs_on_any_page(tab, hostile_pages: dict[str, str]) -> None:
    problems = {}
    for name, path in hostile_pages.items():
        response = tab.goto(path, wait_until="load")
        assert response is not None and response.status == 200, (name, response)
        bad_addresses = tab.evaluate(PROVOKE)
        if name == "editor":
            # The live preview puts the server's HTML into the page.
            body = tab.locator("textarea[name=body]")
            body.fill(EVERYTHING[:20_000])
            body.press("End")
            tab.wait_for_function(PREVIEWED)
            bad_addresses += tab.evaluate(PROVOKE)
        if name == "search":
            # Search-as-you-type puts highlighted titles into the page.
            box = tab.locator("#header-q")
            box.fill("payload scr")
            tab.locator("#header-suggestions li").first.wait_for()
            bad_addresses += tab.evaluate(PROVOKE)
        tab.wait_for_load_state("networkidle")
        if tab.ran or bad_addresses:
            problems[name] = [*tab.ran, *bad_addresses]
            tab.ran.clear()
    assert not problems, problems
