"""Every payload of the XSS corpus in every field a page shows, asserted on the page.

One test per group of fields: each field is filled with as many payloads as it holds (a
Markdown field takes the whole corpus, a field repeated on the page, like a metric's unit,
a different batch in each row), the page is rendered, and whatever it has that the same
page rendered from harmless text has not is a hole. When a round finds one, each payload of
it is tried alone so the report names every culprit.

Rendering a page costs far more than rendering a text, so a page gets at most ROUNDS
renderings: a short field that would need more (a title holds four payloads or so) takes
the payloads one of each category at a time, as many as fit; every payload goes through
every renderer of user text in ``test_xss_rendering.py``, and through each page's long
Markdown field (an article's body, a case study's story, a profile's bio, …).
"""

import types
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from kb.advocates.models import Department, Handle
from kb.articles.models import Article
from kb.casestudies.models import CaseStudy, Metric
from kb.collections.models import Collection, CollectionItem
from kb.comments.models import Comment
from kb.core.models import Status
from kb.departments.models import AdoptionStage, StageChange
from kb.experiments.models import Experiment
from kb.notifications.models import Notification
from kb.platforms.models import Platform
from kb.questions.models import Answer, Question
from kb.research.models import ResearchLink
from kb.search import signals
from kb.sources.models import Rating, Source
from kb.workflow.models import Action, Transition
from kb.workflow.services import content_transition
from tests.collections.factories import CollectionFactory
from tests.departments.factories import AdoptionStageFactory, StageChangeFactory
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
    SourceFactory,
)
from tests.questions.factories import AnswerFactory, QuestionFactory
from tests.security.xss_payloads import (
    PAYLOADS,
    Field,
    Texts,
    active_content,
    added_active_content,
    chunks,
    joined,
    page,
    report,
    store,
    sweep,
)


def edit_page(item) -> str:
    """The edit form, where the texts come back in inputs and text areas."""
    return reverse(f"{item._meta.app_label}:edit", args=[item.slug])


@pytest.fixture
def index_immediately(monkeypatch) -> None:
    """The search index is synced on commit, which a test's transaction never reaches."""
    monkeypatch.setattr(
        signals, "transaction", types.SimpleNamespace(on_commit=lambda func, *a, **k: func())
    )


def test_articles_and_their_tags(reader_client: Client, advocate_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate, tags=["habits"])
    tag = Tag.objects.get(name="habits")
    fields = {
        "title": Field(200),
        "summary": Field(1_000),
        "body": Field(100_000, markdown=True),
        "tag": Field(100),
    }

    def show(texts: Texts) -> str:
        store(Article, article.pk, title=texts["title"][0], summary=texts["summary"][0],
              body=texts["body"][0])  # fmt: skip
        store(Tag, tag.pk, name=texts["tag"][0])
        return page(
            reader_client,
            article.get_absolute_url(),
            reverse("articles:list"),
            reverse("tag_detail", args=[tag.slug]),
            reverse("home"),
        ) + page(advocate_client, edit_page(article))

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_case_studies_and_their_metrics(
    reader_client: Client, advocate_client: Client, advocate
) -> None:
    study = CaseStudyFactory(created_by=advocate)
    metrics = [
        MetricFactory(case_study=study, position=position, value_before=Decimal(10 + position))
        for position in range(12)
    ]
    fields = {
        "title": Field(200),
        "organisation": Field(200),
        "publisher": Field(200),
        "summary": Field(2_000, markdown=True),
        "challenge": Field(20_000, markdown=True),
        "approach": Field(20_000, markdown=True),
        "outcome": Field(20_000, markdown=True),
        "metric_name": Field(120, rows=len(metrics)),
        "metric_unit": Field(40, rows=len(metrics)),
        "metric_period": Field(80, rows=len(metrics)),
    }

    def show(texts: Texts) -> str:
        store(CaseStudy, study.pk, **{
            name: texts[name][0]
            for name in ("title", "organisation", "publisher", "summary", "challenge",
                         "approach", "outcome")
        })  # fmt: skip
        for row, metric in enumerate(metrics):
            store(Metric, metric.pk, name=texts["metric_name"][row],
                  unit=texts["metric_unit"][row], period=texts["metric_period"][row])  # fmt: skip
        return page(reader_client, study.get_absolute_url(), reverse("casestudies:list")) + page(
            advocate_client, edit_page(study)
        )

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_research_links(reader_client: Client, advocate_client: Client, advocate) -> None:
    link = ResearchLinkFactory(added_by=advocate)
    fields = {
        "title": Field(200),
        "publisher": Field(200),
        "authors": Field(300),
        "doi": Field(200),
        "key_finding": Field(2_000, markdown=True),
    }

    def show(texts: Texts) -> str:
        store(ResearchLink, link.pk, **{name: texts[name][0] for name in fields})
        return page(reader_client, link.get_absolute_url(), reverse("research:list")) + page(
            advocate_client, edit_page(link)
        )

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_experiments(reader_client: Client, advocate_client: Client, advocate) -> None:
    experiment = ExperimentFactory(created_by=advocate)
    fields = {
        "title": Field(200),
        "metric_name": Field(120),
        "unit": Field(40),
        "period": Field(80),
        "hypothesis": Field(2_000, markdown=True),
        "change": Field(20_000, markdown=True),
        "learnings": Field(20_000, markdown=True),
    }

    def show(texts: Texts) -> str:
        store(Experiment, experiment.pk, **{name: texts[name][0] for name in fields})
        return page(
            reader_client, experiment.get_absolute_url(), reverse("experiments:list")
        ) + page(advocate_client, edit_page(experiment))

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_advocate_profiles_handles_departments_stages_and_platforms(
    reader_client: Client, editor_client: Client, advocate
) -> None:
    profile = advocate.advocate_profile
    platforms = [PlatformFactory() for _ in range(4)]
    handles = [HandleFactory(profile=profile, platform=platform) for platform in platforms]
    profile.expertise.add("video")
    stage = AdoptionStageFactory()
    changes = [StageChangeFactory(department=profile.department, stage=stage) for _ in range(2)]
    fields = {
        "first_name": Field(150),
        "last_name": Field(150),
        "job_title": Field(120),
        "bio": Field(10_000, markdown=True),
        "handle": Field(100, rows=len(handles)),
        "platform": Field(80, rows=len(platforms)),
        "department": Field(120),
        "stage": Field(60),
        "stage_note": Field(300, rows=len(changes)),
    }

    def show(texts: Texts) -> str:
        type(advocate).objects.filter(pk=advocate.pk).update(
            first_name=texts["first_name"][0], last_name=texts["last_name"][0]
        )
        store(type(profile), profile.pk, job_title=texts["job_title"][0], bio=texts["bio"][0])
        for row, (handle, platform) in enumerate(zip(handles, platforms, strict=True)):
            store(Handle, handle.pk, handle=texts["handle"][row])
            store(Platform, platform.pk, name=texts["platform"][row])
        store(Department, profile.department_id, name=texts["department"][0])
        store(AdoptionStage, stage.pk, name=texts["stage"][0])
        for row, change in enumerate(changes):
            store(StageChange, change.pk, note=texts["stage_note"][row])
        return page(
            reader_client,
            profile.get_absolute_url(),
            reverse("advocates:list"),
            reverse("departments:detail", args=[profile.department.slug]),
            reverse("platforms:detail", args=[platforms[0].slug]),
            reverse("platforms:list"),
        ) + page(editor_client, reverse("departments:dashboard"))

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_comments(reader_client: Client, advocate, editor) -> None:
    article = ArticleFactory(author=advocate)
    comments = [CommentFactory(target=article, author=advocate) for _ in range(3)]
    replies = [CommentFactory(parent=comment, author=editor) for comment in comments]
    fields = {"comment": Field(5_000, rows=len(comments), markdown=True),
              "reply": Field(5_000, rows=len(replies), markdown=True)}  # fmt: skip

    def show(texts: Texts) -> str:
        for row, (comment, reply) in enumerate(zip(comments, replies, strict=True)):
            store(Comment, comment.pk, body=texts["comment"][row])
            store(Comment, reply.pk, body=texts["reply"][row])
        return page(reader_client, article.get_absolute_url())

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_questions_and_answers(reader_client: Client, advocate) -> None:
    question = QuestionFactory()
    answers = [AnswerFactory(question=question, author=advocate) for _ in range(3)]
    fields = {
        "title": Field(200),
        "body": Field(5_000, markdown=True),
        "answer": Field(5_000, rows=len(answers), markdown=True),
    }

    def show(texts: Texts) -> str:
        store(Question, question.pk, title=texts["title"][0], body=texts["body"][0])
        for row, answer in enumerate(answers):
            store(Answer, answer.pk, body=texts["answer"][row])
        return page(reader_client, question.get_absolute_url(), reverse("questions:list"))

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_collections_and_why_each_item_matters(
    reader_client: Client, advocate_client: Client, advocate
) -> None:
    items = [ArticleFactory(title=f"Evidence {n}") for n in range(8)]
    collection = CollectionFactory(created_by=advocate, items=[(item, "Why") for item in items])
    rows = list(CollectionItem.objects.filter(collection=collection).order_by("position"))
    fields = {
        "title": Field(200),
        "purpose": Field(1_000),
        "introduction": Field(20_000, markdown=True),
        "note": Field(200, rows=len(rows)),
    }

    def show(texts: Texts) -> str:
        store(Collection, collection.pk, title=texts["title"][0],
              purpose=texts["purpose"][0], introduction=texts["introduction"][0])  # fmt: skip
        for row, item in enumerate(rows):
            store(CollectionItem, item.pk, note=texts["note"][row])
        return page(
            reader_client, collection.get_absolute_url(), reverse("collections:list")
        ) + page(advocate_client, edit_page(collection))

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_notifications_quote_titles_and_messages(reader, reader_client: Client) -> None:
    notifications = [NotificationFactory(recipient=reader) for _ in range(8)]
    fields = {"target_title": Field(200, rows=len(notifications)),
              "message": Field(1_000, rows=len(notifications))}  # fmt: skip

    def show(texts: Texts) -> str:
        for row, notification in enumerate(notifications):
            store(Notification, notification.pk, target_title=texts["target_title"][row],
                  message=texts["message"][row])  # fmt: skip
        return page(reader_client, reverse("notifications:list"))

    failures = sweep(fields, show)
    assert not failures, report(failures)


SEARCH = "payload+OR+script+OR+onerror+OR+javascript+OR+xss+OR+alert"


def test_search_results_and_suggestions(
    index_immediately: None, reader_client: Client, advocate
) -> None:
    """Titles and snippets are highlighted (so shown as HTML): saved, so indexed, each round."""
    articles = [ArticleFactory(author=advocate) for _ in range(8)]
    fields = {
        "title": Field(190, rows=len(articles)),
        "summary": Field(1_000, rows=len(articles)),
    }

    def show(texts: Texts) -> str:
        for row, article in enumerate(articles):
            # "payload" makes every item a hit; the other words mark text inside payloads.
            article.title = f"payload {texts['title'][row]}"
            article.summary = f"payload {texts['summary'][row]}"
            article.body = "Harmless payload body"
            article.save()
        html = page(reader_client, f"{reverse('search:results')}?q={SEARCH}")
        for query in ("payload", "payload scr"):
            suggestions = reader_client.get(reverse("search:suggest"), {"q": query}).json()
            # The box's script puts each title in the page as HTML.
            html += "".join(hit["title"] for hit in suggestions["results"])
        return html

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_the_editors_live_preview(advocate_client: Client) -> None:
    fields = {"text": Field(20_000, markdown=True)}

    def show(texts: Texts) -> str:
        response = advocate_client.post(reverse("markdown_preview"), {"text": texts["text"][0]})
        assert response.status_code == 200
        return response.content.decode()

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_review_comments_moderation_reasons_and_sources(
    advocate_client: Client, advocate, editor
) -> None:
    """What editors write about someone's work: a change request (on the item's page, its
    history and the author's "My work"), why a comment or an answer was hidden, a source's
    name and the rationale of its rating."""
    source = SourceFactory(rating=Rating.HIGH, rationale="Long-running.", domain="src.example")
    article = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    content_transition(item=article, action=Action.SUBMIT, user=advocate)
    request = content_transition(
        item=article, action=Action.REQUEST_CHANGES, user=editor, comment="Add numbers."
    )
    published = ArticleFactory(author=advocate)
    hidden = CommentFactory(
        target=published, author=advocate, hidden_at=timezone.now(), hidden_reason="Off topic."
    )
    question = QuestionFactory(asker=advocate)
    answer = AnswerFactory(
        question=question, author=advocate, hidden_at=timezone.now(), hidden_reason="Off topic."
    )
    link = ResearchLinkFactory(url="https://src.example/report", source=source)
    fields = {
        "change_request": Field(2_000),
        "hidden_reason": Field(300, rows=2),
        "source_name": Field(200),
        "rationale": Field(1_000),
    }

    def show(texts: Texts) -> str:
        store(Transition, request.pk, comment=texts["change_request"][0])
        store(Comment, hidden.pk, hidden_reason=texts["hidden_reason"][0])
        store(Answer, answer.pk, hidden_reason=texts["hidden_reason"][1])
        store(Source, source.pk, name=texts["source_name"][0], rationale=texts["rationale"][0])
        return page(
            advocate_client,
            article.get_absolute_url(),
            reverse("revisions:history", args=["article", article.slug]),
            reverse("workflow:my_work"),
            published.get_absolute_url(),
            question.get_absolute_url(),
            link.get_absolute_url(),
            reverse("sources:detail", args=[source.slug]),
        )

    failures = sweep(fields, show)
    assert not failures, report(failures)


REFLECTING_PAGES = [
    "search:results", "articles:list", "casestudies:list", "research:list", "experiments:list",
    "collections:list", "advocates:list", "questions:list", "tag_list",
]  # fmt: skip
FILTERS = ["q", "tag", "tags", "year", "kind", "sector", "outcome", "evidence", "department",
           "platform", "audience", "sort", "type", "page", "open_to_help"]  # fmt: skip


def test_what_an_address_carries_is_never_markup(reader_client: Client) -> None:
    """A link can put anything in the query string (the search words, every filter) and the
    path (a 404): reflected, it is text."""
    ArticleFactory(title="Harmless article")
    batches = list(chunks(PAYLOADS, 4_000))
    failures = []
    for name in REFLECTING_PAGES:
        url = reverse(name)
        baseline = active_content(page(reader_client, f"{url}?q=harmless"))
        for batch in batches:
            text = joined(batch, 4_000)
            response = reader_client.get(url, dict.fromkeys(FILTERS, text))
            assert response.status_code in (200, 400), (url, response.status_code)
            if found := added_active_content(response.content.decode(), baseline):
                failures.append(f"{name}: {[str(payload) for payload in batch]} -> {found}")
    missing = active_content(page(reader_client, reverse("home")))
    for batch in batches:
        response = reader_client.get(f"/articles/{quote(joined(batch, 4_000))}/")
        assert response.status_code == 404
        if found := added_active_content(response.content.decode(), missing):
            failures.append(f"404: {[str(payload) for payload in batch]} -> {found}")
    assert not failures, report(failures)
