"""Items to comment on, and a helper that posts a comment the way the page's form does."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.comments.models import kind_of
from kb.core.models import Content
from tests.factories import ArticleFactory, CaseStudyFactory


@pytest.fixture
def article(advocate) -> Article:
    """A published article owned by the advocate persona."""
    return ArticleFactory(title="Start small on LinkedIn", author=advocate)


@pytest.fixture
def case_study(advocate) -> CaseStudy:
    return CaseStudyFactory(title="Recruiting on LinkedIn", created_by=advocate)


def post_url(target: Content) -> str:
    return reverse("comments:post", args=[kind_of(target), target.slug])


def post_comment(client: Client, target: Content, body: str, **extra):
    return client.post(post_url(target), {"body": body, **extra})
