"""Cards show how many visible comments an item has, without a query per card."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.articles.models import Article
from kb.comments.models import with_comment_counts
from tests.factories import ArticleFactory, CaseStudyFactory, CommentFactory


def comment_on(item, n: int, **fields) -> None:
    for _ in range(n):
        CommentFactory(target=item, **fields)


def test_the_count_leaves_out_hidden_and_deleted_comments(editor) -> None:
    article = ArticleFactory()
    top = CommentFactory(target=article)
    CommentFactory(parent=top)
    comment_on(article, 1, hidden_at=timezone.now(), hidden_by=editor, hidden_reason="Spam")
    comment_on(article, 1, deleted_at=timezone.now())
    comment_on(ArticleFactory(), 4)
    assert with_comment_counts(Article.objects.filter(pk=article.pk)).get().comment_count == 2


def test_the_count_is_not_multiplied_by_tag_joins(db) -> None:
    article = ArticleFactory(tags=["video", "linkedin", "recruiting"])
    comment_on(article, 2)
    queryset = with_comment_counts(Article.objects.filter(tags__slug__in=["video", "linkedin"]))
    assert {a.comment_count for a in queryset} == {2}


@pytest.mark.parametrize(
    ("url_name", "factory", "args"),
    [
        ("articles:list", ArticleFactory, []),
        ("casestudies:list", CaseStudyFactory, []),
        ("tag_detail", ArticleFactory, ["video"]),
        ("tag_detail", CaseStudyFactory, ["video"]),
        ("home", ArticleFactory, []),
        ("home", CaseStudyFactory, []),
    ],
)
def test_cards_show_the_comment_count(reader_client: Client, url_name, factory, args) -> None:
    many = factory(title="Much discussed", tags=["video"], featured=True)
    one = factory(title="Once discussed", tags=["video"], featured=True)
    factory(title="Not discussed", tags=["video"], featured=True)
    # A fourth: the home page shows featured cards in pairs, so all four are there.
    factory(title="Not discussed either", tags=["video"], featured=True)
    comment_on(many, 3)
    comment_on(one, 1)
    page = reader_client.get(reverse(url_name, args=args))
    assertContains(page, "3 comments")
    assertContains(page, "1 comment<")
    assertContains(page, 'class="card-comments"', count=2)
    assertNotContains(page, "0 comments")


def test_the_advocate_page_shows_counts_on_article_cards(reader_client: Client, advocate) -> None:
    article = ArticleFactory(author=advocate)
    comment_on(article, 2)
    page = reader_client.get(advocate.advocate_profile.get_absolute_url())
    assertContains(page, "2 comments")
