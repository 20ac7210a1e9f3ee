"""``manage.py check_links``: every source link checked against a local server, the result
stored per item, and an owner told once when their item's link breaks."""

from dataclasses import replace
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from kb.casestudies.models import CaseStudy
from kb.core.models import Status
from kb.linkcheck.checks import check_source_url_fields
from kb.linkcheck.models import LinkCheck
from kb.notifications.models import Notification, Verb
from kb.research.models import ResearchLink
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory, UserFactory
from tests.linkcheck.conftest import Handler

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_checks")]


def check_links(*args: str) -> str:
    out = StringIO()
    call_command("check_links", "--per-host-interval=0", *args, stdout=out)
    return out.getvalue()


def check_of(item) -> LinkCheck:
    return LinkCheck.objects.for_item(item).get()


def test_it_checks_research_and_case_study_links_and_stores_what_it_found(
    site: str, closed_port_url: str
) -> None:
    ok = ResearchLinkFactory(url=f"{site}/ok")
    moved = ResearchLinkFactory(url=f"{site}/moved")
    missing = CaseStudyFactory(source_url=f"{site}/missing")
    failing = CaseStudyFactory(source_url=f"{site}/error")
    slow = ResearchLinkFactory(url=f"{site}/slow")
    refused = ResearchLinkFactory(url=closed_port_url)
    loop = CaseStudyFactory(source_url=f"{site}/loop-a")
    before = timezone.now()

    output = check_links()

    assert not check_of(ok).is_broken
    assert check_of(ok).status_code == 200
    assert check_of(ok).checked_at >= before
    assert check_of(moved).final_url == f"{site}/ok"
    assert check_of(moved).moved_permanently
    assert not check_of(moved).is_broken
    expected = {
        missing: "404 Not Found",
        failing: "500 Internal Server Error",
        slow: "timed out",
        refused: "connection refused",
        loop: "redirect loop",
    }
    for item, reason in expected.items():
        check = check_of(item)
        assert check.reason == reason
        assert check.broken_since == check.checked_at
        assert check.consecutive_failures == 1
    assert "checked 7 link(s), 5 broken" in output
    assert f"BROKEN  Case study     {missing.title}" in output
    assert f"MOVED   Research link  {moved.title}" in output


def test_items_without_a_source_or_in_the_trash_or_of_other_kinds_are_not_checked(
    site: str,
) -> None:
    CaseStudyFactory(source_url="")
    ResearchLinkFactory(url=f"{site}/ok", deleted_at=timezone.now())
    ArticleFactory()

    assert "checked 0 link(s)" in check_links()
    assert not LinkCheck.objects.exists()
    assert Handler.requests_seen == []


def test_drafts_are_checked_too(site: str) -> None:
    draft = ResearchLinkFactory(url=f"{site}/missing", status=Status.DRAFT, published_at=None)
    check_links()
    assert check_of(draft).is_broken


def test_the_owner_is_told_once_when_the_link_breaks_not_on_every_run(
    site: str, django_capture_on_commit_callbacks
) -> None:
    owner = UserFactory(email="owner@example.org")
    link = ResearchLinkFactory(url=f"{site}/missing", added_by=owner)

    with django_capture_on_commit_callbacks(execute=True):
        check_links()
        check_links()

    notification = Notification.objects.get()
    assert notification.recipient == owner
    assert notification.verb == Verb.LINK_BROKEN
    assert notification.actor is None
    assert notification.sentence == f"The source link of “{link.title}” is broken"
    assert "404 Not Found" in notification.message
    assert notification.url == link.get_absolute_url()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.org"]
    check = check_of(link)
    assert check.consecutive_failures == 2
    assert check.broken_since < check.checked_at


def test_a_link_that_works_again_is_cleared_and_its_next_break_is_told_again(site: str) -> None:
    link = CaseStudyFactory(source_url=f"{site}/missing")
    check_links()

    CaseStudy.objects.filter(pk=link.pk).update(source_url=f"{site}/ok")
    check_links()
    check = check_of(link)
    assert not check.is_broken
    assert check.broken_since is None
    assert check.consecutive_failures == 0

    CaseStudy.objects.filter(pk=link.pk).update(source_url=f"{site}/error")
    check_links()
    assert Notification.objects.filter(verb=Verb.LINK_BROKEN).count() == 2


def test_a_dry_run_stores_nothing_and_tells_nobody(site: str) -> None:
    ResearchLinkFactory(url=f"{site}/missing")
    output = check_links("--dry-run")
    assert "Dry run, nothing stored: checked 1 link(s), 1 broken" in output
    assert not LinkCheck.objects.exists()
    assert not Notification.objects.exists()


def test_recently_checked_links_can_be_skipped_and_runs_limited(site: str) -> None:
    recent = ResearchLinkFactory(url=f"{site}/ok")
    stale = ResearchLinkFactory(url=f"{site}/ok?stale")
    never = ResearchLinkFactory(url=f"{site}/ok?never")
    check_links()
    LinkCheck.objects.for_item(stale).update(checked_at=timezone.now() - timedelta(hours=30))
    LinkCheck.objects.for_item(never).delete()

    assert "checked 2 link(s)" in check_links("--only-stale-hours=24")
    assert check_of(recent).checked_at < check_of(stale).checked_at

    Handler.requests_seen = []
    assert "checked 1 link(s)" in check_links("--limit=1")
    assert Handler.requests_seen == [("HEAD", "/ok", Handler.requests_seen[0][2])]


def test_a_changed_address_counts_as_unchecked(site: str) -> None:
    link = ResearchLinkFactory(url=f"{site}/missing")
    check_links("--limit=1")
    link.url = f"{site}/ok"
    link.save()
    assert "checked 1 link(s), 0 broken" in check_links("--only-stale-hours=24")


def test_it_refuses_nonsense_options() -> None:
    with pytest.raises(CommandError):
        call_command("check_links", "--limit=-1")
    with pytest.raises(CommandError):
        call_command("check_links", "--concurrency=0")


def test_purging_an_item_forgets_its_check(site: str) -> None:
    link = ResearchLinkFactory(url=f"{site}/ok")
    check_links()
    link.delete()
    assert not LinkCheck.objects.exists()


def test_a_kind_naming_a_source_field_that_is_not_a_url_field_fails_the_system_check(
    monkeypatch,
) -> None:
    assert check_source_url_fields() == []
    monkeypatch.setattr(
        ResearchLink, "KIND", replace(ResearchLink.KIND, source_url_field="publisher")
    )
    [error] = check_source_url_fields()
    assert error.id == "linkcheck.E001"
    assert "research.ResearchLink" in error.msg
