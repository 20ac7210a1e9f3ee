"""The demo data that `make run` loads: complete, consistent, searchable, loaded once."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from taggit.models import Tag

from kb.advocates.models import AdvocateProfile
from kb.articles.models import Article
from kb.casestudies.models import CaseStudy, Metric
from kb.comments.models import Comment
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from kb.experiments.models import Experiment
from kb.home.views import evidence_summary
from kb.research.models import ResearchLink
from kb.research.urls_normalize import normalize_url
from kb.search import service
from kb.search.models import IndexEntry, Synonym
from kb.sources.models import Rating, Source
from kb.workflow.models import Transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _real_password_hashers(settings):
    """The demo users carry PBKDF2 hashes; the suite's fast hasher cannot check them."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]


def sign_in(username: str, password: str):
    """The sign-in form's check; django-axes, which watches every sign-in, needs its request."""
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=username, password=password)


@pytest.fixture
def demo():
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_demo_has_the_promised_content(demo):
    assert CaseStudy.objects.published().count() >= 12
    assert len({c.sector for c in CaseStudy.objects.published()}) >= 8
    assert Metric.objects.count() >= 24
    assert ResearchLink.objects.published().count() >= 25
    assert Article.objects.published().count() >= 10
    profiles = AdvocateProfile.objects.all()
    assert profiles.count() >= 8
    assert len({p.department_id for p in profiles}) >= 5


def test_the_demo_shows_the_workflow_and_a_conversation(demo):
    waiting = CaseStudy.objects.filter(status=Status.IN_REVIEW).count()
    waiting += ResearchLink.objects.filter(status=Status.IN_REVIEW).count()
    assert waiting >= 2, "the editor's review queue has something in it"
    assert Transition.objects.count() >= 2
    assert Comment.objects.filter(parent__isnull=False).exists(), "a thread with a reply"


def test_every_object_passes_model_validation_and_urls_are_normalised(demo):
    for model in (CaseStudy, ResearchLink, Article, AdvocateProfile, Metric, Synonym):
        for obj in model.objects.all():
            obj.full_clean()
    for link in ResearchLink.objects.all():
        assert link.normalized_url == normalize_url(link.url)


@pytest.mark.parametrize(
    ("username", "password", "perm"),
    [
        ("admin", "admin-demo", "articles.publish_article"),
        ("editor", "editor-demo", "articles.publish_article"),
        ("advocate", "advocate-demo", "articles.add_article"),
        ("reader", "reader-demo", None),
    ],
)
def test_the_printed_demo_logins_work_with_their_roles(demo, username, password, perm):
    user = sign_in(username, password)
    assert user is not None
    assert f"{username:<9} {password}" in demo
    if perm:
        assert user.has_perm(perm)
    else:
        assert not user.has_perm("articles.add_article")


def test_the_demo_is_searchable_straight_away(demo):
    reader = sign_in("reader", "reader-demo")
    assert IndexEntry.objects.count() > 50
    assert service.search("recruitment", user=reader).total > 0


def test_the_demo_has_synonyms_that_widen_a_search(demo):
    reader = sign_in("reader", "reader-demo")
    hiring = service.search("hiring", user=reader).total
    assert 0 < hiring <= service.search("recruitment", user=reader).total
    assert hiring > service.search('"hiring"', user=reader).total


def test_loading_again_keeps_what_people_changed(demo):
    article = Article.objects.published().first()
    article.title = "Edited by a colleague"
    article.save()
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    assert "not reloaded" in out.getvalue()
    article.refresh_from_db()
    assert article.title == "Edited by a colleague"


def test_the_demo_grades_its_evidence_and_rates_its_sources(demo):
    research_levels = set(ResearchLink.objects.values_list("evidence_level", flat=True))
    assert research_levels == set(EvidenceLevel.values), "research at every level"
    assert set(Experiment.objects.values_list("evidence_level", flat=True)) == {2, 4}
    rated = Source.objects.exclude(rating=Rating.UNRATED)
    assert set(rated.values_list("rating", flat=True)) == {"high", "moderate", "low"}
    assert all(source.rationale and source.rated_by for source in rated)
    assert Source.objects.filter(rating=Rating.UNRATED).exists()
    assert ResearchLink.objects.filter(source__rating=Rating.HIGH).count() >= 8


def test_the_demo_topics_have_something_to_say_about_their_evidence(demo):
    models = [CaseStudy, ResearchLink, Experiment, Article]
    summary = evidence_summary(Tag.objects.get(name="recruitment"), models)
    assert summary.graded >= 5
    assert summary.strongest[0].evidence_level >= EvidenceLevel.PEER_REVIEWED
    assert len({level for level, count in summary.levels if count}) >= 3


def test_some_demo_case_studies_mark_a_headline_result(demo):
    marked = CaseStudy.objects.filter(metrics__is_headline=True).distinct()
    assert marked.count() >= 3
    for case_study in marked:
        assert case_study.headline_metric.is_headline
        assert case_study.headline_metric != case_study.metrics.first()
