"""A kind declared commentable takes comments, with no list of kinds in kb.comments."""

from django.test import Client
from django.urls import reverse

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.comments.models import Comment, commentable_model
from kb.research.models import ResearchLink
from tests.comments.conftest import post_comment
from tests.registry_app.factories import FindingFactory
from tests.registry_app.models import Finding


def test_a_registered_commentable_kind_takes_comments(advocate, reader_client: Client) -> None:
    finding = FindingFactory(title="Lunchtime posts travel", owner=advocate)
    response = post_comment(reader_client, finding, "Which time zone?")
    assert response.status_code == 302
    assert Comment.objects.for_item(finding).get().body == "Which time zone?"
    assert "Which time zone?" in reader_client.get(finding.get_absolute_url()).content.decode()


def test_only_declared_kinds_are_commentable() -> None:
    assert commentable_model("finding") is Finding
    assert commentable_model("researchlink") is None
    assert commentable_model("comment") is None


def test_the_admin_offers_only_commentable_kinds_for_a_comment(admin_client: Client) -> None:
    form = admin_client.get(reverse("admin:comments_comment_add")).context["adminform"].form
    offered = {ct.model_class() for ct in form.fields["content_type"].queryset}
    assert {Article, CaseStudy, Finding} <= offered
    assert ResearchLink not in offered
    assert all(model.KIND.commentable for model in offered)
