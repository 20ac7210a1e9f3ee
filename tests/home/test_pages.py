"""Home and topic pages: what the KB holds, what is featured and new, and everything per tag."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.models import Status
from kb.core.registry import kinds_where
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    ResearchLinkFactory,
    UserFactory,
)

DRAFT = {"status": Status.DRAFT, "published_at": None}


def section(response, heading_id: str) -> str:
    """The HTML of one <section> of the page, found by its heading's id."""
    content = response.content.decode()
    start = content.index(f'id="{heading_id}"')
    return content[start : content.index("</section>", start)]


# Home ----------------------------------------------------------------------------------


def test_home_counts_published_items_of_each_type(reader_client: Client, advocate) -> None:
    CaseStudyFactory.create_batch(2)
    CaseStudyFactory(**DRAFT)
    ResearchLinkFactory()
    ResearchLinkFactory(published_at=timezone.now() + timedelta(days=1))
    ArticleFactory.create_batch(3, author=advocate)
    ArticleFactory(author=advocate, status=Status.IN_REVIEW, published_at=None)
    response = reader_client.get(reverse("home"))
    assertContains(response, "<strong>2</strong> case studies", html=False)
    assertContains(response, "<strong>1</strong> research link<", html=False)
    assertContains(response, "<strong>3</strong> articles", html=False)
    assertContains(response, "<strong>1</strong> advocate<", html=False)


def test_home_shows_featured_published_items_only(reader_client: Client) -> None:
    CaseStudyFactory(title="Featured case study", featured=True)
    ResearchLinkFactory(title="Featured research", featured=True)
    ArticleFactory(title="Featured article", featured=True)
    ArticleFactory(title="Featured guide", featured=True)  # four: full rows of two
    CaseStudyFactory(title="Featured draft", featured=True, **DRAFT)
    CaseStudyFactory(title="Ordinary case study")
    featured = section(reader_client.get(reverse("home")), "featured-heading")
    for title in ("Featured case study", "Featured research", "Featured article", "Featured guide"):
        assert title in featured
    assert "Featured draft" not in featured
    assert "Ordinary case study" not in featured


def test_home_has_no_featured_section_when_nothing_is_featured(reader_client: Client) -> None:
    CaseStudyFactory()
    assertNotContains(reader_client.get(reverse("home")), 'id="featured-heading"')


def test_home_shows_the_five_newest_published_items_of_each_type(reader_client: Client) -> None:
    now = timezone.now()
    for days_ago in range(6):
        CaseStudyFactory(title=f"Story {days_ago} days old", published_at=now - timedelta(days_ago))
    ResearchLinkFactory(title="Newest research")
    ArticleFactory(title="Newest article")
    ArticleFactory(title="Unpublished article", **DRAFT)
    response = reader_client.get(reverse("home"))
    newest = section(response, "new-casestudy")
    assert all(f"Story {n} days old" in newest for n in range(5))
    assert "Story 5 days old" not in newest
    assert "Newest research" in section(response, "new-researchlink")
    assert "Newest article" in section(response, "new-article")
    assertNotContains(response, "Unpublished article")


def test_home_shows_popular_tags_of_published_content_only(reader_client: Client) -> None:
    CaseStudyFactory(tags=["recruitment", "linkedin"])
    ArticleFactory(tags=["linkedin"])
    ResearchLinkFactory(tags=["secret-project"], **DRAFT)
    AdvocateProfileFactory(expertise=["expertise-only"])
    topics = section(reader_client.get(reverse("home")), "topics-heading")
    assert reverse("tag_detail", args=["linkedin"]) in topics
    assert reverse("tag_detail", args=["recruitment"]) in topics
    assert topics.index("linkedin") < topics.index("recruitment"), "most used first"
    assert "secret-project" not in topics
    assert "expertise-only" not in topics


def test_home_with_an_empty_kb_says_so(reader_client: Client) -> None:
    response = reader_client.get(reverse("home"))
    assertContains(response, "None yet.", count=len(kinds_where("on_home")))
    assertNotContains(response, 'id="topics-heading"')


# Tag pages -----------------------------------------------------------------------------


def test_a_tag_page_lists_published_items_of_every_type_and_advocates(
    reader_client: Client,
) -> None:
    CaseStudyFactory(title="Video case study", tags=["video"])
    ResearchLinkFactory(title="Video research", tags=["video"])
    ArticleFactory(title="Video article", tags=["video"])
    AdvocateProfileFactory(
        user=UserFactory(first_name="Vera", last_name="Video"), expertise=["video"]
    )
    CaseStudyFactory(title="Draft video case study", tags=["video"], **DRAFT)
    ArticleFactory(
        title="Scheduled video article",
        tags=["video"],
        published_at=timezone.now() + timedelta(days=1),
    )
    CaseStudyFactory(title="Podcast case study", tags=["podcasts"])
    response = reader_client.get(reverse("tag_detail", args=["video"]))
    for shown in ("Video case study", "Video research", "Video article", "Vera Video"):
        assertContains(response, shown)
    assertContains(response, 'Case studies <span class="muted">(1)</span>', html=False)
    for hidden in ("Draft video case study", "Scheduled video article", "Podcast case study"):
        assertNotContains(response, hidden)


def test_a_tag_page_links_to_the_full_list_when_a_section_is_cut_short(
    reader_client: Client,
) -> None:
    author = UserFactory()
    ArticleFactory.create_batch(13, tags=["video"], author=author)
    response = reader_client.get(reverse("tag_detail", args=["video"]))
    assertContains(response, 'class="card card-article"', count=12)
    assertContains(response, f"{reverse('articles:list')}?tag=video")
    assertContains(response, "All 13 articles")


def test_a_tag_used_only_by_drafts_shows_nothing_published(reader_client: Client) -> None:
    ArticleFactory(title="Secret draft", tags=["secret-project"], **DRAFT)
    response = reader_client.get(reverse("tag_detail", args=["secret-project"]))
    assertContains(response, "Nothing published carries this topic yet.")
    assertNotContains(response, "Secret draft")


def test_an_unknown_tag_is_not_found(reader_client: Client) -> None:
    response = reader_client.get(reverse("tag_detail", args=["no-such-topic"]))
    assertContains(response, "Not found", status_code=404)


def test_the_topics_page_lists_tags_of_published_content_with_counts(
    reader_client: Client,
) -> None:
    CaseStudyFactory(tags=["video", "linkedin"])
    ResearchLinkFactory(tags=["video"])
    ArticleFactory(tags=["video"])
    ArticleFactory(tags=["secret-project"], **DRAFT)
    response = reader_client.get(reverse("tag_list"))
    assertContains(response, reverse("tag_detail", args=["video"]))
    assertContains(response, reverse("tag_detail", args=["linkedin"]))
    assertContains(
        response, 'video <span class="tag-count">3<span class="visually-hidden"> items', html=False
    )
    assertNotContains(response, "secret-project")


def test_the_topics_page_with_no_tags_says_so(reader_client: Client) -> None:
    assertContains(reader_client.get(reverse("tag_list")), "No topics yet.")
