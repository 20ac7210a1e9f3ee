"""Assembling a collection on the site: items given by their address, ordered by numbers
(no JavaScript needed), each with a one-line note; bad input is a form error that keeps
what was typed, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kb.collections.forms import UNKNOWN_ITEM
from kb.collections.models import Audience, Collection, Kind
from kb.core.models import Status
from tests.collections.factories import CollectionFactory
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory

CREATE = reverse("collections:create")


def form_data(rows: list[tuple] = (), initial: int = 0, **fields) -> dict:
    """The form as a browser sends it: ``rows`` are (address, note, position), and the
    row's id for the ``initial`` rows already saved."""
    audience = Audience.objects.get(slug="board-and-executives")
    data = {
        "title": "Why advocacy pays",
        "kind": Kind.BRIEF,
        "audience": str(audience.pk),
        "purpose": "Convince the board.",
        "introduction": "Read this *first*.",
        "tags": "advocacy",
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
    }
    for index, (address, note, position, *row_id) in enumerate(rows):
        if row_id:
            data[f"items-{index}-id"] = str(row_id[0])
        data[f"items-{index}-address"] = address
        data[f"items-{index}-note"] = note
        data[f"items-{index}-position"] = position
    data.update(fields)
    return data


def titles(collection: Collection) -> list[str]:
    return [(row.item.title, row.position, row.note) for row in collection.items.all()]


@pytest.fixture
def three(db):
    return [
        CaseStudyFactory(title="First study"),
        ResearchLinkFactory(title="Second paper"),
        ArticleFactory(title="Third guide"),
    ]


def test_the_audiences_are_seeded_as_data_editors_can_change(db) -> None:
    assert list(Audience.objects.values_list("name", flat=True)) == [
        "Board and executives", "Managers", "Staff",
    ]  # fmt: skip


def test_an_advocate_assembles_a_brief_in_the_order_of_the_numbers(
    advocate_client: Client, advocate, three
) -> None:
    first, second, third = three
    response = advocate_client.post(
        CREATE,
        form_data(
            [
                (third.get_absolute_url(), "Read it last.", "3"),
                (f"http://127.0.0.1:8000{first.get_absolute_url()}", "Read it first.", "1"),
                (second.get_absolute_url(), "  Then   this.  ", "2"),
            ]
        ),
    )
    assert response.status_code == 302, response.content
    collection = Collection.objects.get()
    assert collection.created_by == advocate
    assert collection.status == Status.DRAFT
    assert titles(collection) == [
        ("First study", 1, "Read it first."),
        ("Second paper", 2, "Then this."),
        ("Third guide", 3, "Read it last."),
    ]


def test_rows_without_numbers_keep_their_order_after_the_numbered_ones(
    advocate_client: Client, three
) -> None:
    first, second, third = three
    advocate_client.post(
        CREATE,
        form_data(
            [
                (first.get_absolute_url(), "a", ""),
                (second.get_absolute_url(), "b", "5"),
                (third.get_absolute_url(), "c", ""),
            ]
        ),
    )
    assert [t for t, _, _ in titles(Collection.objects.get())] == [
        "Second paper", "First study", "Third guide",
    ]  # fmt: skip


def _edit_rows(collection: Collection) -> list[tuple[str, str, str, int]]:
    return [
        (row.item.get_absolute_url(), row.note, str(row.position), row.pk)
        for row in collection.items.all()
    ]


def test_typing_1_moves_an_item_to_the_top_and_the_others_follow(
    advocate_client: Client, advocate, three
) -> None:
    collection = CollectionFactory(
        created_by=advocate, items=[(item, item.title) for item in three]
    )
    rows = _edit_rows(collection)
    rows[2] = (rows[2][0], rows[2][1], "1", rows[2][3])  # the third item takes first place
    response = advocate_client.post(
        reverse("collections:edit", args=[collection.slug]),
        form_data(rows, initial=3, base_version=collection.version, title=collection.title),
    )
    assert response.status_code == 302, response.content
    assert titles(collection) == [
        ("Third guide", 1, "Third guide"),
        ("First study", 2, "First study"),
        ("Second paper", 3, "Second paper"),
    ]


def test_two_rows_may_swap_their_items(advocate_client: Client, advocate, three) -> None:
    collection = CollectionFactory(
        created_by=advocate, items=[(item, item.title) for item in three[:2]]
    )
    rows = _edit_rows(collection)
    swapped = [
        (rows[1][0], "now first", "1", rows[0][3]),
        (rows[0][0], "now second", "2", rows[1][3]),
    ]
    response = advocate_client.post(
        reverse("collections:edit", args=[collection.slug]),
        form_data(swapped, initial=2, base_version=collection.version),
    )
    assert response.status_code == 302, response.content
    assert titles(collection) == [
        ("Second paper", 1, "now first"),
        ("First study", 2, "now second"),
    ]


def test_an_item_can_be_removed(advocate_client: Client, advocate, three) -> None:
    collection = CollectionFactory(
        created_by=advocate, items=[(item, item.title) for item in three]
    )
    data = form_data(_edit_rows(collection), initial=3, base_version=collection.version)
    data["items-1-DELETE"] = "on"
    advocate_client.post(reverse("collections:edit", args=[collection.slug]), data)
    assert [t for t, _, _ in titles(collection)] == ["First study", "Third guide"]


def test_an_item_the_author_can_no_longer_see_is_kept_as_it_was(
    advocate_client: Client, advocate, three
) -> None:
    first = three[0]
    collection = CollectionFactory(created_by=advocate, items=[(first, "kept")])
    first.status = Status.UNPUBLISHED
    first.save()
    response = advocate_client.post(
        reverse("collections:edit", args=[collection.slug]),
        form_data(_edit_rows(collection), initial=1, base_version=collection.version,
                  title="Renamed"),
    )  # fmt: skip
    assert response.status_code == 302, response.content
    assert titles(collection) == [("First study", 1, "kept")]


@pytest.mark.parametrize(
    "position, message",
    [
        ("0", "greater than or equal to 1"),
        ("-3", "greater than or equal to 1"),
        ("99999999999999999999", "less than or equal to 1000"),
        ("1e3", "Enter a whole number."),
        ("two", "Enter a whole number."),
        ("1; DROP TABLE collections_collection", "Enter a whole number."),
    ],
)
def test_hostile_positions_are_form_errors(
    advocate_client: Client, three, position: str, message: str
) -> None:
    response = advocate_client.post(
        CREATE, form_data([(three[0].get_absolute_url(), "My typed note", position)])
    )
    assertContains(response, message)
    assertContains(response, "My typed note")
    assert not Collection.objects.exists()


@pytest.mark.parametrize(
    "address",
    [
        "/case-studies/no-such-study/",
        "/case-studies/",
        "/research/999999/",
        "casestudy:1",
        "999999",
        "https://elsewhere.example/case-studies/first-study/",
        "javascript:alert(1)",
        "/../../etc/passwd",
        "http://[::1",
        "/admin/",
    ],
)
def test_unknown_or_foreign_addresses_are_form_errors(
    advocate_client: Client, three, address: str
) -> None:
    response = advocate_client.post(CREATE, form_data([(address, "Typed note", "1")]))
    assert response.status_code == 200
    assertContains(response, UNKNOWN_ITEM)
    assertContains(response, "Typed note")
    assert not Collection.objects.exists()


def test_a_null_character_in_an_address_is_a_form_error(advocate_client: Client) -> None:
    response = advocate_client.post(CREATE, form_data([("/collections/\x00/", "Typed", "1")]))
    assertContains(response, "Null characters are not allowed.")


def test_someone_elses_draft_or_an_item_in_the_trash_cannot_be_added(
    advocate_client: Client, other_advocate, three
) -> None:
    draft = CaseStudyFactory(created_by=other_advocate, status=Status.DRAFT, published_at=None)
    trashed = three[1]
    trashed.deleted_at = trashed.created_at
    trashed.save()
    for item in (draft, trashed):
        response = advocate_client.post(CREATE, form_data([(item.get_absolute_url(), "x", "1")]))
        assertContains(response, UNKNOWN_ITEM)
    assert not Collection.objects.exists()


def test_an_oversized_or_missing_note_is_a_form_error(advocate_client: Client, three) -> None:
    response = advocate_client.post(
        CREATE, form_data([(three[0].get_absolute_url(), "x" * 201, "1")])
    )
    assertContains(response, "at most 200 characters")
    response = advocate_client.post(CREATE, form_data([(three[0].get_absolute_url(), "", "1")]))
    assertContains(response, "This field is required.")
    assert not Collection.objects.exists()


def test_the_same_item_twice_is_a_form_error(advocate_client: Client, three) -> None:
    url = three[0].get_absolute_url()
    response = advocate_client.post(CREATE, form_data([(url, "a", "1"), (url, "b", "2")]))
    assertContains(response, "is in this collection twice")
    assert not Collection.objects.exists()


def test_a_collection_cannot_include_itself(advocate_client: Client, advocate) -> None:
    collection = CollectionFactory(created_by=advocate)
    response = advocate_client.post(
        reverse("collections:edit", args=[collection.slug]),
        form_data(
            [(collection.get_absolute_url(), "me", "1")],
            base_version=collection.version,
        ),
    )
    assertContains(response, "cannot include itself")


def test_another_collection_can_be_an_item(advocate_client: Client, advocate) -> None:
    other = CollectionFactory(title="The basics")
    advocate_client.post(CREATE, form_data([(other.get_absolute_url(), "Start here", "1")]))
    assert titles(Collection.objects.get(created_by=advocate)) == [("The basics", 1, "Start here")]


def test_too_many_rows_is_a_form_error_not_a_500(advocate_client: Client, three) -> None:
    rows = [(three[0].get_absolute_url(), "n", "1")] * 51
    response = advocate_client.post(CREATE, form_data(rows))
    assert response.status_code == 200
    assertContains(response, "Please submit at most 50 forms.")
    data = form_data([], **{"items-TOTAL_FORMS": "100000000"})
    assert advocate_client.post(CREATE, data).status_code == 200


def test_a_broken_management_form_is_a_form_error(advocate_client: Client) -> None:
    data = form_data([])
    del data["items-TOTAL_FORMS"]
    response = advocate_client.post(CREATE, data)
    assert response.status_code == 200
    assertContains(response, "ManagementForm data is missing")


def test_the_form_suggests_published_items_by_address(advocate_client: Client, three) -> None:
    CaseStudyFactory(title="Hidden draft study", status=Status.DRAFT, published_at=None)
    response = advocate_client.get(CREATE)
    assertContains(response, '<datalist id="collection-item-choices">')
    assertContains(
        response, f'<option value="{three[0].get_absolute_url()}">Case study: First study'
    )
    assert "Hidden draft study" not in response.content.decode()


def test_a_reader_may_not_assemble_a_collection(reader_client: Client) -> None:
    assert reader_client.get(CREATE).status_code == 403
    assert reader_client.post(CREATE, {}).status_code == 403


def test_the_edit_form_costs_the_same_queries_for_one_item_or_many(
    advocate_client: Client, advocate
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def items(n: int) -> list:
        return [(CaseStudyFactory(), "s") for _ in range(n)] + [
            (ResearchLinkFactory(), "r") for _ in range(n)
        ]

    small = CollectionFactory(created_by=advocate, items=items(1))
    large = CollectionFactory(created_by=advocate, items=items(8))
    advocate_client.get(reverse("collections:edit", args=[small.slug]))
    with CaptureQueriesContext(connection) as one:
        advocate_client.get(reverse("collections:edit", args=[small.slug]))
    with CaptureQueriesContext(connection) as many:
        advocate_client.get(reverse("collections:edit", args=[large.slug]))
    assert len(many) == len(one)
