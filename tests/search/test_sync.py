"""The index follows the content: edits, publishing, deletes, tags and related changes."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from kb.core.models import Status
from kb.search import index, service
from kb.search.backends import get_backend
from kb.search.models import IndexEntry, IndexState
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    DepartmentFactory,
    PlatformFactory,
)


def found(text: str, user) -> list[str]:
    return [hit.url for hit in service.search(text, user=user).hits]


def test_an_edit_is_found_under_the_new_words_not_the_old(reader):
    article = ArticleFactory(title="Podcasting basics")
    article.title = "Livestreaming basics"
    article.save()
    assert found("livestreaming", reader) == [article.get_absolute_url()]
    assert found("podcasting", reader) == []


def test_a_deleted_item_disappears(reader):
    article = ArticleFactory(title="Threads for councils")
    article.delete()
    assert found("threads", reader) == []
    assert not IndexEntry.objects.exists()


def test_a_trashed_item_disappears_and_comes_back_when_restored(reader, editor):
    article = ArticleFactory(title="Threads for councils")
    content_transition(item=article, action=Action.TRASH, user=editor)
    assert found("threads", reader) == []
    assert found("threads", editor) == []
    content_transition(item=article, action=Action.RESTORE, user=editor)
    assert found("threads", reader) == [article.get_absolute_url()]


def test_unpublishing_hides_and_publishing_shows(reader, editor):
    article = ArticleFactory(title="Bluesky pilot")
    content_transition(item=article, action=Action.UNPUBLISH, user=editor)
    assert found("bluesky", reader) == []
    content_transition(item=article, action=Action.PUBLISH, user=editor)
    assert found("bluesky", reader) == [article.get_absolute_url()]


def test_a_draft_submitted_for_review_stays_hidden(reader):
    article = ArticleFactory(title="Yammer tips", status=Status.DRAFT)
    article.status = Status.IN_REVIEW
    article.save()
    assert found("yammer", reader) == []


def test_tag_changes_are_indexed(reader):
    case_study = CaseStudyFactory(title="A hospital story")
    case_study.tags.add("volunteering")
    assert found("volunteering", reader) == [case_study.get_absolute_url()]
    case_study.tags.remove("volunteering")
    assert found("volunteering", reader) == []


def test_platform_changes_from_either_side_are_indexed(reader):
    case_study = CaseStudyFactory(title="A school story")
    platform = PlatformFactory(name="Mastodon", slug="mastodon")
    case_study.platforms.add(platform)
    assert found("mastodon", reader) == [case_study.get_absolute_url()]
    platform.case_studies.remove(case_study)
    assert found("mastodon", reader) == []


def test_renaming_a_person_or_department_updates_their_profile(reader):
    department = DepartmentFactory(name="Estates", slug="estates")
    profile = AdvocateProfileFactory(department=department)
    profile.user.first_name = "Zebedee"
    profile.user.save()
    assert found("zebedee", reader) == [profile.get_absolute_url()]
    department.name = "Facilities"
    department.save()
    assert found("facilities", reader) == [profile.get_absolute_url()]


def test_rebuild_command_reindexes_everything_and_reports_speed():
    ArticleFactory(title="One")
    CaseStudyFactory(title="Two")
    IndexEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=StringIO())
    assert IndexEntry.objects.count() == 2
    assert "Indexed 2 documents" in out.getvalue() and "docs/s" in out.getvalue()


def test_signing_in_does_not_touch_the_index(reader, client):
    profile = AdvocateProfileFactory()
    version = IndexState.objects.get().version
    client.force_login(profile.user)  # saves last_login only
    assert IndexState.objects.get().version == version


# Committed data, as a real rebuild sees it. serialized_rollback restores the content
# types and role groups afterwards, as the browser tests (also transactional) expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_outside_a_transaction_indexes_everything_once(reader):
    # On PostgreSQL the documents are then built in a second thread while this one writes.
    articles = [ArticleFactory(title=f"Livestream lesson {n}", tags=["video"]) for n in range(7)]
    IndexEntry.objects.all().delete()
    done, _ = index.rebuild(batch=2)
    assert done == 7 and IndexEntry.objects.count() == 7
    results = service.search("livestream", user=reader, filters={"tag": "video"})
    assert sorted(hit.url for hit in results.hits) == sorted(a.get_absolute_url() for a in articles)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_that_fails_midway_leaves_the_index_as_it_was(reader, monkeypatch):
    for n in range(5):
        ArticleFactory(title=f"Podcast episode {n}")
    calls = 0
    build = index._build

    def failing_build(*args):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("broken document")
        return build(*args)

    monkeypatch.setattr(index, "_build", failing_build)
    with pytest.raises(RuntimeError, match="broken document"):
        index.rebuild(batch=2)
    assert service.search("podcast", user=reader).total == 5


def test_entries_written_after_deletions_get_new_ids():
    """The backends number entries themselves (COPY, executemany): never an id reused."""
    content_type = ContentType.objects.get_for_model(IndexEntry)

    def entry(n: int) -> IndexEntry:
        return IndexEntry(
            content_type=content_type, object_id=n, is_published=True, doc_type="article",
            url=f"/x/{n}/", title=f"Entry {n}",
        )  # fmt: skip

    backend = get_backend()
    first = [entry(1), entry(2)]
    backend.write(first, [[], []])
    IndexEntry.objects.filter(pk=first[1].pk).delete()
    later = [entry(3)]
    backend.write(later, [[]])
    assert later[0].pk > first[1].pk
    assert IndexEntry.objects.get(pk=later[0].pk).title == "Entry 3"
