"""Ask an advocate: a reader asks, the KB suggests the advocate who knows the topic and the
reader asks them; the advocate finds it waiting for them and answers; the reader marks
the question answered."""

import pytest
from django.contrib.auth.models import AbstractUser

from tests.journeys.conftest import Journey, box

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores the role groups.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUESTION = "How do we film a vacancy video?"


def test_reader_asks_an_advocate_who_answers(
    journey: Journey, reader: AbstractUser, advocate: AbstractUser, other_advocate: AbstractUser
) -> None:
    from playwright.sync_api import expect

    advocate.advocate_profile.expertise.add("video")
    other_advocate.advocate_profile.expertise.add("podcasts")
    asker = journey.sign_in(reader)

    asker.get_by_role("navigation", name="Main").get_by_role("link", name="Ask an advocate").click()
    expect(asker.get_by_role("heading", name="Ask an advocate", level=1)).to_be_visible()
    # The header's sections scroll sideways when they do not all fit: the one you are in
    # is brought into view.
    sections = asker.get_by_role("navigation", name="Main")
    current = box(sections.get_by_role("link", name="Ask an advocate"))
    assert current["x"] + current["width"] <= box(sections)["x"] + box(sections)["width"]
    asker.get_by_role("link", name="Ask a question").click()
    asker.get_by_label("Your question").fill(QUESTION)
    asker.get_by_label("Details").fill("We have phones and **no budget**.")
    asker.get_by_label("Topics").fill("video, recruitment")
    asker.get_by_role("button", name="Find advocates to ask").click()

    expect(asker.get_by_role("heading", name="Whom to ask", level=1)).to_be_visible()
    picks = asker.get_by_role("group", name="Ask these advocates")
    expect(picks.get_by_role("checkbox")).to_have_count(1)
    # The advocates are listed in their fieldset, in the page's flow.
    fieldset, listed = box(picks), box(picks.get_by_role("list"))
    assert fieldset["y"] < listed["y"]
    assert listed["y"] + listed["height"] <= fieldset["y"] + fieldset["height"]
    journey.screenshot(asker, "-whom-to-ask")
    choice = asker.get_by_role("checkbox", name="Adam Advocate")
    expect(asker.get_by_text("Adam Advocate, Communications officer — knows video")).to_be_visible()
    choice.check()
    asker.get_by_role("button", name="Send my question").click()

    expect(asker.get_by_role("heading", name=QUESTION, level=1)).to_be_visible()
    expect(asker.get_by_role("status")).to_have_text("Your question went to 1 advocate(s).")
    expect(asker.get_by_role("region", name="Answers (0)")).to_contain_text("No answers yet.")
    expect(asker.locator(".detail-meta").first).to_contain_text("Asked by Rita Reader on ")

    helper = journey.sign_in(advocate)
    expect(helper.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    helper.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Ask an advocate"
    ).click()
    helper.get_by_role("navigation", name="Questions").get_by_role(
        "link", name="Waiting for you"
    ).click()
    waiting = helper.get_by_role("region", name="Waiting for you (1)")
    waiting.get_by_role("link", name=QUESTION).click()
    expect(helper.get_by_role("heading", name=QUESTION, level=1)).to_be_visible()
    helper.get_by_label("Your answer").fill("Film on a phone, in landscape, under a minute.")
    helper.get_by_role("button", name="Post the answer").click()
    expect(helper.get_by_role("region", name="Answers (1)")).to_contain_text(
        "Film on a phone, in landscape, under a minute."
    )

    asker.reload()
    answers = asker.get_by_role("region", name="Answers (1)")
    expect(answers).to_contain_text("Film on a phone, in landscape, under a minute.")
    expect(answers.locator(".comment-author")).to_have_text("Adam Advocate")
    asker.get_by_role("button", name="Mark it answered").click()

    expect(asker.locator(".card-kicker")).to_contain_text("Answered")
    expect(asker.get_by_role("button", name="Reopen the question")).to_be_visible()
    asker.get_by_role("button", name="Mark as most useful").click()
    badge = answers.get_by_text("Most useful", exact=True)
    expect(badge).to_be_visible()
    # The badge sits on the answer's byline, and the answer box apart from the form below.
    author = box(answers.locator(".comment-author"))
    assert abs(box(badge)["y"] - author["y"]) < author["height"]
    answer = box(answers.get_by_role("article"))
    assert box(asker.locator("form.comment-form"))["y"] >= answer["y"] + answer["height"] + 8

    helper.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Ask an advocate"
    ).click()
    helper.get_by_role("navigation", name="Questions").get_by_role(
        "link", name="Waiting for you"
    ).click()
    expect(helper.get_by_role("region", name="Waiting for you (0)")).to_contain_text(
        "No questions here."
    )
    journey.screenshot(asker)
