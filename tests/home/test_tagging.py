"""Keeping topics tidy: tag suggestions as one types, tag filters in any case, authors by
name, and editors merging and renaming tags (re-tagged and re-indexed) in the admin."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from kb.core.models import TaggedItem
from kb.core.tags import tag_suggestions
from kb.home import tagging
from kb.home.tagging import tag_merge
from tests.factories import ArticleFactory, CaseStudyFactory, PlatformFactory, UserFactory

SUGGEST = reverse("tag_suggest")


@pytest.fixture
def reindexed(monkeypatch) -> list[tuple[str, int]]:
    """What the tag services asked the search index to refresh."""
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(tagging, "schedule", lambda model, pk: calls.append((model.__name__, pk)))
    return calls


# Suggestions ------------------------------------------------------------------------------


def test_suggestions_match_existing_tags_in_any_case(db) -> None:
    CaseStudyFactory(tags=["Recruitment", "employee advocacy"])
    names = [tag["name"] for tag in tag_suggestions("RECRUIT")]
    assert names == ["Recruitment"]


def test_tags_starting_with_the_text_come_before_those_containing_it(db) -> None:
    CaseStudyFactory(tags=["graduate recruitment", "recruiting events"])
    names = [tag["name"] for tag in tag_suggestions("recruit")]
    assert names == ["recruiting events", "graduate recruitment"]


def test_the_most_used_tags_are_suggested_first(db) -> None:
    CaseStudyFactory(tags=["video ads"])
    CaseStudyFactory(tags=["video"])
    ArticleFactory(tags=["video"])
    assert [tag["uses"] for tag in tag_suggestions("video")] == [2, 1]


def test_the_suggestion_endpoint_answers_json(reader_client: Client) -> None:
    CaseStudyFactory(tags=["Recruitment"])
    response = reader_client.get(SUGGEST, {"q": "recr"})
    assert response.status_code == 200
    assert response.json() == {"tags": [{"name": "Recruitment", "slug": "recruitment", "uses": 1}]}


@pytest.mark.parametrize("text", ["", "   ", "x" * 5000, "%00'; drop table", "🎉" * 300])
def test_empty_hostile_or_oversized_text_gets_an_answer_not_an_error(
    reader_client: Client, text: str
) -> None:
    response = reader_client.get(SUGGEST, {"q": text})
    assert response.status_code == 200
    assert isinstance(response.json()["tags"], list)


def test_suggestions_need_a_signed_in_user(client: Client) -> None:
    assert client.get(SUGGEST, {"q": "rec"}).status_code == 302


def test_the_tag_fields_ask_for_suggestions(advocate_client: Client) -> None:
    for url in (reverse("articles:create"), reverse("casestudies:create")):
        assertContains(advocate_client.get(url), f'data-tag-suggest="{SUGGEST}"')


def test_a_related_item_picker_says_how_to_pick_several(advocate_client: Client) -> None:
    assertContains(advocate_client.get(reverse("articles:create")), "to pick several")


# List filters -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["employee advocacy", "Employee Advocacy", "EMPLOYEE-ADVOCACY"])
def test_a_list_filters_by_a_tag_typed_in_any_case(reader_client: Client, typed: str) -> None:
    CaseStudyFactory(title="Tagged study", tags=["employee advocacy"])
    CaseStudyFactory(title="Other study", tags=["video"])
    response = reader_client.get(reverse("casestudies:list"), {"tag": typed})
    assertContains(response, "Tagged study")
    assertNotContains(response, "Other study")


def test_an_unknown_tag_finds_nothing_and_keeps_what_was_typed(reader_client: Client) -> None:
    CaseStudyFactory(title="Tagged study", tags=["video"])
    response = reader_client.get(reverse("casestudies:list"), {"tag": "No such <tag>"})
    assert response.status_code == 200
    assertNotContains(response, "Tagged study")
    assertContains(response, 'value="No such &lt;tag&gt;"')


def test_the_article_list_filters_by_the_author_s_name(reader_client: Client, advocate) -> None:
    ArticleFactory(author=advocate, title="Adam's piece")
    # A fixed name: a generated one such as "Hannah Adams" would rightly match "adam".
    other = UserFactory(username="olive", first_name="Olive", last_name="Other")
    ArticleFactory(author=other, title="Someone else's piece")
    for typed in ("adam", "Adam Advocate", "ADVOC", "adam"):
        response = reader_client.get(reverse("articles:list"), {"author": typed})
        assertContains(response, "Adam&#x27;s piece")
        assertNotContains(response, "Someone else&#x27;s piece")


# Merging and renaming -----------------------------------------------------------------------


def test_merging_moves_every_item_onto_the_kept_tag_and_deletes_the_others(db, reindexed) -> None:
    study = CaseStudyFactory(tags=["recruiting"])
    article = ArticleFactory(tags=["Recruitment", "recruiting"])
    kept = Tag.objects.get(name="Recruitment")
    moved = tag_merge(target=kept, tags=Tag.objects.filter(name__in=["Recruitment", "recruiting"]))
    assert moved == 1  # the article already carried the kept tag
    assert list(Tag.objects.values_list("name", flat=True)) == ["Recruitment"]
    assert [t.name for t in study.tags.all()] == ["Recruitment"]
    assert [t.name for t in article.tags.all()] == ["Recruitment"]
    assert TaggedItem.objects.count() == 2
    assert sorted(reindexed) == sorted([("CaseStudy", study.pk), ("Article", article.pk)])


def test_editors_merge_tags_in_the_admin_after_choosing_the_one_to_keep(
    admin_client: Client, reindexed
) -> None:
    CaseStudyFactory(tags=["recruiting"])
    ArticleFactory(tags=["Recruitment"])
    ids = [str(pk) for pk in Tag.objects.values_list("pk", flat=True)]
    changelist = reverse("admin:taggit_tag_changelist")
    confirm = admin_client.post(changelist, {"action": "merge", "_selected_action": ids})
    assertContains(confirm, "Keep this tag")
    kept = Tag.objects.get(name="Recruitment")
    response = admin_client.post(
        changelist,
        {"action": "merge", "_selected_action": ids, "apply": "1", "target": kept.pk},
        follow=True,
    )
    assertContains(response, "Merged recruiting into “Recruitment”: 1 item re-tagged.")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Recruitment"]
    assert len(reindexed) == 1


def test_a_merge_without_a_choice_changes_nothing(admin_client: Client) -> None:
    CaseStudyFactory(tags=["recruiting", "Recruitment"])
    ids = [str(pk) for pk in Tag.objects.values_list("pk", flat=True)]
    response = admin_client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "merge", "_selected_action": ids, "apply": "1", "target": "not-a-tag"},
    )
    assert response.status_code == 200
    assert Tag.objects.count() == 2


def test_renaming_a_tag_in_the_admin_reindexes_what_carries_it(
    admin_client: Client, reindexed
) -> None:
    study = CaseStudyFactory(tags=["recruting"])
    tag = Tag.objects.get()
    admin_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        {"name": "recruitment", "slug": "recruitment"},
    )
    tag.refresh_from_db()
    assert tag.name == "recruitment"
    assert reindexed == [("CaseStudy", study.pk)]


def test_a_tag_repeating_a_platform_name_is_flagged_to_editors(admin_client: Client) -> None:
    PlatformFactory(name="LinkedIn", slug="linkedin")
    CaseStudyFactory(tags=["linkedin", "recruitment"])
    changelist = reverse("admin:taggit_tag_changelist")
    assertContains(
        admin_client.get(changelist), "These tags repeat a platform&#x27;s name: linkedin."
    )
    flagged = admin_client.get(changelist, {"platform": "yes"})
    assert [tag.name for tag in flagged.context["cl"].result_list] == ["linkedin"]
