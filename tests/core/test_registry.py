"""A kind of content is one registration: the test-only app tests.registry_app declares
findings with KIND and is named by no code outside it; here the shared pages take it in."""

from django.test import Client
from django.urls import reverse

from kb.core.models import Status
from kb.core.registry import kind_for, kinds, kinds_where
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.registry_app.factories import FindingFactory
from tests.registry_app.models import Finding


def test_it_lists_every_declared_kind_in_order() -> None:
    declared = [kind for _, kind in kinds()]
    assert [kind.order for kind in declared] == sorted(kind.order for kind in declared)
    # Other apps may declare kinds of their own in between.
    core = ["Case study", "Research link", "Article", "Finding"]
    assert [kind.label for kind in declared if kind.label in core] == core
    assert kind_for(Finding) is Finding.KIND
    assert (Finding, Finding.KIND) in kinds_where("commentable")


def test_the_navigation_links_a_registered_kind_for_everyone(reader_client: Client) -> None:
    html = reader_client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("findings:list")}">Findings</a>' in html


def test_the_navigation_marks_a_registered_kinds_pages_as_current(reader_client: Client) -> None:
    html = reader_client.get(reverse("findings:list")).content.decode()
    assert f'<a href="{reverse("findings:list")}" aria-current="page">Findings</a>' in html


def test_the_add_link_of_a_registered_kind_shows_to_who_may_add_it(
    advocate_client: Client, reader_client: Client
) -> None:
    link = f'<a href="{reverse("findings:create")}">Record a finding</a>'
    assert link in advocate_client.get(reverse("home")).content.decode()
    assert link not in reader_client.get(reverse("home")).content.decode()


def test_the_trash_names_a_registered_kind_by_its_label(advocate, advocate_client: Client) -> None:
    finding = FindingFactory(title="Posting at lunch", owner=advocate, status=Status.DRAFT)
    content_transition(item=finding, action=Action.TRASH, user=advocate)
    html = advocate_client.get(reverse("workflow:trash")).content.decode()
    assert '<td data-label="Type">Finding</td>' in html and "Posting at lunch" in html


def test_the_review_queue_names_a_registered_kind_by_its_label(
    advocate, editor_client: Client
) -> None:
    finding = FindingFactory(title="Posting at lunch", owner=advocate, status=Status.DRAFT)
    content_transition(item=finding, action=Action.SUBMIT, user=advocate)
    html = editor_client.get(reverse("workflow:review_queue")).content.decode()
    assert '<td data-label="Type">Finding</td>' in html and "Posting at lunch" in html


def test_a_registered_kind_is_created_through_the_shared_editing_flow(
    advocate, advocate_client: Client
) -> None:
    response = advocate_client.post(
        reverse("findings:create"), {"title": "Video wins", "summary": "Short clips.", "tags": ""}
    )
    finding = Finding.objects.get(title="Video wins")
    assert response.status_code == 302 and finding.owner == advocate
    assert finding.status == Status.DRAFT and finding.version == 1
