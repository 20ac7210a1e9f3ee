"""Helpers for the revision tests: the history URLs, and edit forms as a browser sends them.

The edit forms are built from the item as stored, so a test says only what the user changed,
and ``base_version`` is the version the form was opened at (the item's, unless told).
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.models import Content
from kb.research.models import ResearchLink
from kb.revisions.models import Revision
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.articles.test_pages import form_data as new_article_form
from tests.casestudies.test_pages import form_data as new_case_study_form

METRIC_FORM_FIELDS = [
    "name", "value_before", "value_after", "unit", "period", "lower_is_better", "position",
]  # fmt: skip


def history_url(item: Content) -> str:
    return reverse("revisions:history", args=[item._meta.model_name, item.slug])


def compare_url(item: Content, query: str) -> str:
    return f"{reverse('revisions:compare', args=[item._meta.model_name, item.slug])}?{query}"


def restore_url(item: Content, number: int) -> str:
    return reverse("revisions:restore", args=[item._meta.model_name, item.slug, number])


def edit_url(item: Content) -> str:
    return reverse(f"{item._meta.app_label}:edit", args=[item.slug])


def revisions_of(item: Content) -> list[Revision]:
    """The item's revisions, oldest first."""
    return list(Revision.objects.for_item(item).select_related("author").order_by("number"))


def revision_numbers(item: Content) -> list[int]:
    return [revision.number for revision in revisions_of(item)]


def write_article(client: Client, *, publisher: User | None = None, **fields: Any) -> Article:
    """An article written on the site (revision 1, "Created"), published if ``publisher``."""
    response = client.post(reverse("articles:create"), new_article_form(**fields))
    assert response.status_code == 302, response.content
    article = Article.objects.latest("pk")
    if publisher is not None:
        content_transition(item=article, action=Action.PUBLISH, user=publisher)
    return article


def write_case_study(client: Client, **fields: Any) -> CaseStudy:
    """A case study submitted on the site with one metric row (revision 1, "Created")."""
    response = client.post(reverse("casestudies:create"), new_case_study_form(**fields))
    assert response.status_code == 302, response.content
    return CaseStudy.objects.latest("pk")


def save_edit(client: Client, item: Content, data: dict[str, Any]) -> None:
    """Post an edit form, expect it saved, and reload the item."""
    response = client.post(edit_url(item), data)
    assert response.status_code == 302, response.content
    item.refresh_from_db()


def _tags(item: Content) -> str:
    return ", ".join(sorted(tag.name for tag in item.tags.all()))


def _pks(manager) -> list[str]:
    return [str(pk) for pk in manager.values_list("pk", flat=True)]


def article_form(article: Article, **changes: Any) -> dict[str, Any]:
    """The article's edit form as opened now, with ``changes`` typed in."""
    data = {
        "base_version": article.version,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "tags": _tags(article),
        "related_case_studies": _pks(article.related_case_studies),
        "related_research": _pks(article.related_research),
    }
    data.update(changes)
    return data


def research_form(link: ResearchLink, **changes: Any) -> dict[str, Any]:
    data = {
        "base_version": link.version,
        "url": link.url,
        "title": link.title,
        "publisher": link.publisher,
        "authors": link.authors,
        "publication_date": link.publication_date.isoformat() if link.publication_date else "",
        "kind": link.kind,
        "key_finding": link.key_finding,
        "tags": _tags(link),
    }
    data.update(changes)
    return data


def case_study_form(
    case_study: CaseStudy, new_metrics: Sequence[dict[str, str]] = (), **changes: Any
) -> dict[str, Any]:
    """The case study's edit form with its metric rows (by id) and ``new_metrics`` added.

    Change an existing row with e.g. ``**{"metrics-0-value_after": "40"}``.
    """
    metrics = list(case_study.metrics.all())
    data: dict[str, Any] = {
        "base_version": case_study.version,
        "title": case_study.title,
        "organisation": case_study.organisation,
        "sector": case_study.sector,
        "platforms": _pks(case_study.platforms),
        "year": str(case_study.year),
        "evidence_level": str(case_study.evidence_level),
        "summary": case_study.summary,
        "challenge": case_study.challenge,
        "approach": case_study.approach,
        "outcome": case_study.outcome,
        "source_url": case_study.source_url,
        "publisher": case_study.publisher,
        "tags": _tags(case_study),
        "metrics-TOTAL_FORMS": str(len(metrics) + len(new_metrics)),
        "metrics-INITIAL_FORMS": str(len(metrics)),
        "metrics-MIN_NUM_FORMS": "0",
        "metrics-MAX_NUM_FORMS": "20",
    }
    for index, metric in enumerate(metrics):
        prefix = f"metrics-{index}-"
        data[f"{prefix}id"] = str(metric.pk)
        data[f"{prefix}case_study"] = str(case_study.pk)
        for name in METRIC_FORM_FIELDS:
            value = getattr(metric, name)
            if name == "lower_is_better":
                if value:
                    data[prefix + name] = "on"
            else:
                data[prefix + name] = "" if value is None else str(value)
    for index, row in enumerate(new_metrics, start=len(metrics)):
        data.update({f"metrics-{index}-{name}": value for name, value in row.items()})
        data.setdefault(f"metrics-{index}-position", str(index))
    data.update(changes)
    return data


def form_as_posted(form) -> dict[str, list[str]]:
    """A bound form's data (say the conflict page's), as the browser would post it back."""
    return {key: form.data.getlist(key) for key in form.data}
