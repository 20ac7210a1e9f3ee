"""Documents follow what they show of other models: renaming a person, department,
platform, tag or source, or moving an author to another department, re-indexes every
document that shows it, with one queue row per change; and a document that reads a
relation nobody re-indexes fails the system check."""

from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import transaction
from taggit.models import Tag

from kb.articles.models import Article
from kb.search import index, service, signals
from kb.search.dependencies import DeclarationError, check_declaration, watches_of
from kb.search.models import IndexEntry, IndexFacet, IndexQueue
from tests.experiments.factories import ExperimentFactory
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    DepartmentFactory,
    MetricFactory,
    PlatformFactory,
    ResearchLinkFactory,
    SourceFactory,
    UserFactory,
)


def found(text: str, user, **filters) -> list[str]:
    return sorted(hit.url for hit in service.search(text, user=user, filters=filters).hits)


def urls(*items) -> list[str]:
    return sorted(item.get_absolute_url() for item in items)


def test_renaming_an_author_reindexes_their_articles(reader) -> None:
    author = UserFactory(first_name="Zebedee", last_name="Quill")
    articles = [ArticleFactory(author=author, title=f"Piece {n}") for n in range(2)]
    author.first_name = "Ermintrude"
    author.save()
    assert found("ermintrude", reader) == urls(*articles)
    assert found("zebedee", reader) == []
    assert IndexEntry.objects.filter(subtitle="Article by Ermintrude Quill").count() == 2


def test_moving_an_author_to_another_department_moves_their_articles_facet(reader) -> None:
    estates = DepartmentFactory(name="Estates", slug="estates")
    finance = DepartmentFactory(name="Finance", slug="finance")
    profile = AdvocateProfileFactory(department=estates)
    article = ArticleFactory(author=profile.user, title="Budget season posts")
    assert found("budget", reader, department="estates") == urls(article)
    profile.department = finance
    profile.save()
    assert found("budget", reader, department="finance") == urls(article)
    assert found("budget", reader, department="estates") == []


def test_an_author_who_gets_a_profile_gets_its_department_on_their_articles(reader) -> None:
    author = UserFactory()
    article = ArticleFactory(author=author, title="Onboarding posts")
    AdvocateProfileFactory(user=author, department=DepartmentFactory(slug="people"))
    assert found("onboarding", reader, department="people") == urls(article)


def test_renaming_a_department_reindexes_everything_that_shows_it(reader) -> None:
    department = DepartmentFactory(name="Estates", slug="estates")
    profile = AdvocateProfileFactory(department=department)
    article = ArticleFactory(author=profile.user, title="Estates update")
    experiment = ExperimentFactory(department=department, title="Estates trial")
    department.name = "Facilities"
    department.save()
    assert found("facilities", reader) == urls(profile, experiment)
    labels = IndexFacet.objects.filter(name="department").values_list("label", flat=True)
    assert set(labels) == {"Facilities"}
    assert found("estates", reader) == urls(article, experiment)  # by their titles only


def test_renaming_a_platform_reindexes_what_shows_it(reader) -> None:
    platform = PlatformFactory(name="Twitter", slug="twitter")
    case_study = CaseStudyFactory(title="A bank story", platforms=[platform])
    platform.name = "Xylophone"
    platform.save()
    assert found("xylophone", reader) == urls(case_study)
    assert found("twitter", reader) == []
    results = service.search("bank", user=reader, filters={"platform": "twitter"})
    assert [facet.label for facet in results.facets.get("platform", [])] in ([], ["Xylophone"])
    assert list(IndexEntry.objects.get().facets.filter(name="platform").values_list("label")) == [
        ("Xylophone",)
    ]


def test_renaming_a_tag_reindexes_every_kind_that_carries_it(reader) -> None:
    article = ArticleFactory(title="Reel ideas", tags=["recruitment"])
    link = ResearchLinkFactory(title="A survey of stories", tags=["recruitment"])
    tag = Tag.objects.get(name="recruitment")
    tag.name, tag.slug = "Hiring", "hiring"
    tag.save()
    assert found("hiring", reader) == urls(article, link)
    assert found("recruitment", reader) == []
    assert found("reel", reader, tag="hiring") == urls(article)


def test_renaming_a_source_reindexes_its_case_studies_and_research(reader) -> None:
    source = SourceFactory(name="Quarterly Observer", domain="observer.example")
    link = ResearchLinkFactory(url="https://observer.example/a", title="Post timing")
    case_study = CaseStudyFactory(source_url="https://observer.example/b", title="A zoo story")
    assert found("quarterly", reader) == urls(link, case_study)
    source.name = "Monthly Wombat"
    source.save()
    assert found("wombat", reader) == urls(link, case_study)
    assert found("quarterly", reader) == []


def test_a_metric_added_renamed_or_deleted_reindexes_its_case_study(reader) -> None:
    case_study = CaseStudyFactory(title="A hospital story")
    metric = MetricFactory(case_study=case_study, name="Vacancies filled")
    assert found("vacancies", reader) == urls(case_study)
    metric.name = "Shifts covered"
    metric.save()
    assert found("shifts", reader) == urls(case_study)
    assert found("vacancies", reader) == []
    metric.delete()
    assert found("shifts", reader) == []


def test_deleting_a_source_drops_its_name_from_what_cited_it(reader) -> None:
    source = SourceFactory(name="Gazette of Narwhals", domain="narwhal.example")
    link = ResearchLinkFactory(url="https://narwhal.example/a", title="Timing")
    assert found("narwhals", reader) == urls(link)
    source.delete()
    assert found("narwhals", reader) == []
    assert found("timing", reader) == urls(link)


def test_a_save_that_changes_nothing_shown_queues_nothing(reader) -> None:
    profile = AdvocateProfileFactory()
    ArticleFactory(author=profile.user)
    user = profile.user
    with transaction.atomic():
        user.email = "new@example.org"
        user.save()
        user.set_password("another secret")
        user.save(update_fields=["password"])
        assert not IndexQueue.objects.exists()


class TestOneQueueRowPerChange:
    """Here the on-commit callbacks are Django's own, captured: the rename's request
    writes one row, and the documents are indexed after the commit."""

    @pytest.fixture
    def index_immediately(self, db) -> None:  # overrides the search tests' autouse one
        return None

    def test_a_department_shown_by_many_documents_is_one_queue_row_per_kind(
        self, reader, django_capture_on_commit_callbacks
    ) -> None:
        department = DepartmentFactory(name="Estates", slug="estates")
        with django_capture_on_commit_callbacks(execute=True):
            profile = AdvocateProfileFactory(department=department)
            articles = [ArticleFactory(author=profile.user) for _ in range(5)]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            department.name = "Facilities"
            department.save()
            # Profiles, experiments, questions and articles show departments: a row for each kind,
            # not one per document.
            queued = IndexQueue.objects.values_list("content_type__model", "via", "object_id")
            assert sorted(queued) == [
                ("advocateprofile", "department", department.pk),
                ("article", "author__advocate_profile__department", department.pk),
                ("experiment", "department", department.pk),
                ("question", "department", department.pk),
            ]
        assert set(callbacks) == {signals.flush}
        callbacks[0]()
        assert not IndexQueue.objects.exists()
        assert found("facilities", reader) == urls(profile)
        assert IndexFacet.objects.filter(name="department", label="Facilities").count() == 6
        assert len(articles) == 5


# The system check ---------------------------------------------------------------------


def test_the_declarations_of_every_searchable_model_pass_the_check() -> None:
    call_command("check")  # raises SystemCheckError on any error


def test_a_document_reading_an_undeclared_relation_fails_the_check(monkeypatch) -> None:
    monkeypatch.setattr(Article, "SEARCH_DEPENDENCIES", {"tags": {"name", "slug"}})
    errors = check_declaration(Article)
    assert {error.id for error in errors} == {"search.E001"}
    assert {error.level for error in errors} == {checks.ERROR}
    messages = " ".join(error.msg for error in errors)
    assert "'author'" in messages and "'author__advocate_profile__department'" in messages


def test_undeclared_tags_fail_the_check(monkeypatch) -> None:
    declared = {key: value for key, value in Article.SEARCH_DEPENDENCIES.items() if key != "tags"}
    monkeypatch.setattr(Article, "SEARCH_DEPENDENCIES", declared)
    [error] = check_declaration(Article)
    assert error.id == "search.E001" and "'tags'" in error.msg


@pytest.mark.parametrize(
    "declaration",
    [
        {"writer": {"name"}},  # no such relation
        {"author": {"nickname"}},  # no such field
        {"related_case_studies__platforms": {"name"}},  # a many-to-many beyond the first
        {"title": {"name"}},  # not a relation
    ],
)
def test_a_declaration_that_cannot_be_followed_fails_the_check(monkeypatch, declaration) -> None:
    monkeypatch.setattr(Article, "SEARCH_DEPENDENCIES", declaration)
    with pytest.raises(DeclarationError):
        watches_of(Article)
    assert [error.id for error in check_declaration(Article)] == ["search.E002"]


def test_a_path_is_watched_at_every_model_along_it() -> None:
    watched = {(watch.model.__name__, watch.via): watch for watch in watches_of(Article)}
    assert watched[("User", "author")].fields == {"first_name", "last_name", "username"}
    profile = watched[("AdvocateProfile", "author__advocate_profile")]
    assert profile.fields == {"department_id", "user_id"} and profile.on_create
    assert watched[("Department", "author__advocate_profile__department")].fields == {
        "name",
        "slug",
    }

    def test_a_rename_shown_by_more_than_a_request_indexes_is_finished_in_slices(
        self, reader, monkeypatch, django_capture_on_commit_callbacks
    ) -> None:
        monkeypatch.setattr(index, "REQUEST_DOCUMENTS", 2)
        platform = PlatformFactory(name="Twitter", slug="twitter")
        with django_capture_on_commit_callbacks(execute=True):
            studies = [CaseStudyFactory(title=f"Story {n}", platforms=[platform]) for n in range(5)]
        with django_capture_on_commit_callbacks(execute=True):
            platform.name = "Xylophone"
            platform.save()
        # The request indexed two of the five; the row remembers where it stopped.
        assert len(found("xylophone", reader)) == 2
        [row] = IndexQueue.objects.all()
        assert row.resume_after == sorted(study.pk for study in studies)[1]
        with django_capture_on_commit_callbacks(execute=True):
            CaseStudyFactory(title="Unrelated")  # the next index write goes on with it
        assert len(found("xylophone", reader)) > 2
        call_command("process_search_queue", stdout=StringIO())
        assert found("xylophone", reader) == urls(*studies)
        assert not IndexQueue.objects.exists()


def _one_of_each() -> list:
    department = DepartmentFactory()
    profile = AdvocateProfileFactory(department=department, expertise=["d"])
    profile.platforms.add(PlatformFactory())
    source = SourceFactory(domain="source.example")
    case_study = CaseStudyFactory(
        source_url="https://source.example/a", platforms=[PlatformFactory()], tags=["a"]
    )
    MetricFactory(case_study=case_study)
    return [
        profile,
        case_study,
        ResearchLinkFactory(url="https://source.example/b", tags=["b"]),
        ArticleFactory(author=profile.user, tags=["c"]),
        ExperimentFactory(department=department, platforms=[PlatformFactory()]),
        source,
    ]


def test_documents_read_nothing_but_what_search_queryset_fetches(
    django_assert_num_queries,
) -> None:
    """With the check, this closes the loop: a document reads only what search_queryset()
    fetches, and the check makes sure all of that is declared."""
    from django.contrib.contenttypes.models import ContentType

    from kb.search.index import _load_tags, searchable_models

    items = {type(item): item for item in _one_of_each()}
    for model in searchable_models():
        if model not in items:
            continue  # kinds registered by test apps have no relations
        [obj] = model.search_queryset().filter(pk=items[model].pk)
        _load_tags(ContentType.objects.get_for_model(model), [obj])
        with django_assert_num_queries(0):
            obj.search_document()
