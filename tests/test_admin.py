"""The admin as a curation tool: every page loads, bulk actions report, only staff get in."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from taggit.models import Tag

from kb.core.models import Status
from kb.core.registry import kinds
from kb.follows.models import Digest, DigestPreference, Frequency
from kb.freshness.services import content_verify
from kb.revisions.services import revision_record
from kb.search.models import Synonym
from kb.uploads.models import Image
from kb.workflow.models import Action, Transition
from kb.workflow.services import content_transition
from tests.departments.factories import AdoptionStageFactory, StageChangeFactory
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    CommentFactory,
    DepartmentFactory,
    HandleFactory,
    MetricFactory,
    NotificationFactory,
    PlatformFactory,
    ResearchLinkFactory,
    SourceFactory,
    content_factory,
)
from tests.questions.factories import QuestionFactory
from tests.registry_app.factories import FindingFactory

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
# Rows the site itself writes (logs, uploads): the admin shows them but does not add them.
MADE_BY_THE_SITE = {
    "revisions.Revision", "workflow.Transition", "notifications.Notification", "uploads.Image",
    "follows.Digest",
    "freshness.Verification",
    # django-axes's record of sign-ins: deleting an attempt is how an administrator unlocks.
    "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",
}  # fmt: skip
# What a changelist shows of a row, where that is not its str() (django-axes's rows).
IN_CHANGELIST = {"axes.AccessAttempt": "username", "axes.AccessLog": "username",
                 "axes.AccessFailureLog": "username"}  # fmt: skip
CONTENT_FACTORIES = [CaseStudyFactory, ResearchLinkFactory, ArticleFactory]
SIGN_IN = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/accounts/login/"}
DRAFT = {"status": Status.DRAFT, "published_at": None}


@pytest.fixture
def one_of_each(admin_user) -> dict[str, Model]:
    """An instance of every registered model, by label, with its inlines filled in.

    A kind of content registered later brings its own factory (``content_factory``).
    """
    platform = PlatformFactory(name="LinkedIn", slug="linkedin")
    department = DepartmentFactory(name="Communications", slug="comms")
    profile = AdvocateProfileFactory(department=department, expertise=["video"])
    HandleFactory(profile=profile, platform=platform)
    case_study = CaseStudyFactory(tags=["video"], platforms=[platform])
    MetricFactory(case_study=case_study)
    article = ArticleFactory(tags=["video"], author=profile.user)
    instances = {
        "auth.Group": Group.objects.get(name="Editor"),
        "auth.User": admin_user,
        "taggit.Tag": Tag.objects.get(slug="video"),
        "platforms.Platform": platform,
        "advocates.Department": department,
        "advocates.AdvocateProfile": profile,
        "departments.AdoptionStage": AdoptionStageFactory(name="Trialling"),
        "departments.StageChange": StageChangeFactory(department=department),
        "questions.Question": QuestionFactory(title="How do we post videos?"),
        "casestudies.CaseStudy": case_study,
        "research.ResearchLink": ResearchLinkFactory(tags=["video"]),
        "sources.Source": SourceFactory(name="Office for National Statistics", domain="ons.gov.uk"),
        "search.Synonym": Synonym.objects.create(term="B2B", synonym="business-to-business"),
        "follows.DigestPreference": DigestPreference.objects.create(user=admin_user),
        "follows.Digest": Digest.objects.create(
            user=admin_user,
            frequency=Frequency.WEEKLY,
            period_start=timezone.now() - timedelta(days=7),
            period_end=timezone.now(),
            item_count=2,
        ),
        "articles.Article": article,
        "registry_app.Finding": FindingFactory(tags=["video"]),
        "comments.Comment": CommentFactory(target=article, body="Useful, thanks"),
        "notifications.Notification": NotificationFactory(target=article),
        "uploads.Image": Image.objects.create(
            file="images/2026/11/chart.png",
            original_name="chart.png",
            uploaded_by=admin_user,
            width=64,
            height=48,
            size=1_024,
            format="PNG",
        ),
        "revisions.Revision": revision_record(item=article, user=admin_user, message="Edited"),
        "freshness.Verification": content_verify(item=article, user=admin_user),
        "workflow.Transition": content_transition(
            item=ArticleFactory(), action=Action.UNPUBLISH, user=admin_user, comment="Old"
        ),
        "axes.AccessAttempt": AccessAttempt.objects.create(
            username="wendy", ip_address="10.1.1.1", failures_since_start=3, **SIGN_IN
        ),
        "axes.AccessLog": AccessLog.objects.create(
            username="wendy", ip_address="10.1.1.1", **SIGN_IN
        ),
        "axes.AccessFailureLog": AccessFailureLog.objects.create(
            username="wendy", ip_address="10.1.1.1", **SIGN_IN
        ),
    }
    for model, _ in kinds():
        if model._meta.label not in instances:
            instances[model._meta.label] = content_factory(model)(tags=["video"])
    # Reference data an app seeds in its migrations (a kind's audiences, say).
    for model in REGISTERED:
        if model._meta.label not in instances and model._default_manager.exists():
            instances[model._meta.label] = model._default_manager.first()
    return instances


def admin_url(model: type[Model] | Model, page: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


def run_action(client: Client, model: type[Model], action: str, objects, query: str = ""):
    return client.post(
        f"{admin_url(model, 'changelist')}{query}",
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def label(model: type[Model]) -> str:
    return model._meta.label


# Every page loads ----------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_every_changelist_loads(admin_client: Client, one_of_each: dict, model) -> None:
    response = admin_client.get(admin_url(model, "changelist"))
    obj = one_of_each[label(model)]
    field = IN_CHANGELIST.get(label(model))
    assertContains(response, getattr(obj, field) if field else str(obj))


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_every_changelist_can_be_searched(admin_client: Client, one_of_each: dict, model) -> None:
    response = admin_client.get(f"{admin_url(model, 'changelist')}?q=x")
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_every_add_page_loads_except_for_rows_the_site_makes(
    admin_client: Client, one_of_each: dict, model
) -> None:
    expected = 403 if label(model) in MADE_BY_THE_SITE else 200
    assert admin_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_every_change_page_loads(admin_client: Client, one_of_each: dict, model) -> None:
    obj = one_of_each[label(model)]
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assertContains(response, str(obj))


@pytest.mark.parametrize(
    ("model_label", "query"),
    [
        ("casestudies.CaseStudy", "status__exact=published&sector__exact=public"),
        ("casestudies.CaseStudy", "evidence_level__exact=2&year=2024"),
        ("casestudies.CaseStudy", "platforms__id__exact={platform}"),
        ("casestudies.CaseStudy", "tags__id__exact={tag}"),
        ("research.ResearchLink", "kind__exact=survey&featured__exact=0"),
        ("articles.Article", "author__id__exact={author}&status__exact=published"),
        ("advocates.AdvocateProfile", "open_to_help__exact=1&department__id__exact={department}"),
        ("platforms.Platform", "internal__exact=0"),
        ("auth.User", "is_staff__exact=1"),
    ],
)
def test_changelist_filters_find_the_matching_rows(
    admin_client: Client, one_of_each: dict, model_label: str, query: str
) -> None:
    obj = one_of_each[model_label]
    query = query.format(
        platform=one_of_each["platforms.Platform"].pk,
        tag=one_of_each["taggit.Tag"].pk,
        author=one_of_each["articles.Article"].author_id,
        department=one_of_each["advocates.Department"].pk,
    )
    response = admin_client.get(f"{admin_url(obj, 'changelist')}?{query}")
    assert response.status_code == 200, "an unknown filter redirects with ?e=1"
    assert response.context["cl"].result_count == 1
    assertContains(response, str(obj))


def test_a_changelist_filter_leaves_out_rows_that_do_not_match(admin_client: Client) -> None:
    published = CaseStudyFactory(title="Published one")
    CaseStudyFactory(title="Drafted one", **DRAFT)
    response = admin_client.get(f"{admin_url(published, 'changelist')}?status__exact=draft")
    assertContains(response, "Drafted one")
    assertNotContains(response, "Published one")


# Bulk actions --------------------------------------------------------------------------


@pytest.mark.parametrize("factory", CONTENT_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_publishing_in_bulk_publishes_and_reports_how_many(admin_client: Client, factory) -> None:
    model = factory._meta.model
    drafts = factory.create_batch(2, **DRAFT)
    already = factory()
    response = run_action(admin_client, model, "publish", [*drafts, already])
    assertContains(response, f"2 {model._meta.verbose_name_plural} published.")
    for item in drafts:
        item.refresh_from_db()
        assert item.status == Status.PUBLISHED
        assert item.is_published


def test_publishing_one_item_reports_it_in_the_singular(admin_client: Client) -> None:
    draft = CaseStudyFactory(**DRAFT)
    response = run_action(admin_client, type(draft), "publish", [draft])
    assertContains(response, "1 case study published.")


@pytest.mark.parametrize("factory", CONTENT_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_unpublishing_in_bulk_takes_items_off_the_site_and_unfeatures_them(
    admin_client: Client, factory
) -> None:
    model = factory._meta.model
    items = [factory(featured=True), factory()]
    response = run_action(admin_client, model, "unpublish", items)
    assertContains(response, f"2 {model._meta.verbose_name_plural} unpublished.")
    for item in items:
        item.refresh_from_db()
        assert (item.status, item.featured) == (Status.UNPUBLISHED, False)
        assert Transition.objects.for_item(item).get().action == Action.UNPUBLISH


@pytest.mark.parametrize("factory", CONTENT_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_featuring_and_unfeaturing_in_bulk(admin_client: Client, factory) -> None:
    model = factory._meta.model
    items = factory.create_batch(2)
    response = run_action(admin_client, model, "feature", items)
    assertContains(response, f"2 {model._meta.verbose_name_plural} featured.")
    assert model.objects.filter(featured=True).count() == 2
    response = run_action(admin_client, model, "unfeature", items)
    assertContains(response, f"2 {model._meta.verbose_name_plural} unfeatured.")
    assert not model.objects.filter(featured=True).exists()


def test_publishing_from_a_changelist_filtered_to_drafts_puts_items_on_the_site(
    admin_client: Client, reader_client: Client
) -> None:
    drafts = CaseStudyFactory.create_batch(2, **DRAFT)
    response = run_action(
        admin_client, type(drafts[0]), "publish", drafts, query="?status__exact=draft"
    )
    assertContains(response, "2 case studies published.")
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.published_at is not None
        assert reader_client.get(draft.get_absolute_url()).status_code == 200


# Who gets in ---------------------------------------------------------------------------


def test_an_editor_reaches_the_case_study_changelist_and_publishes(
    editor_client: Client, advocate
) -> None:
    draft = CaseStudyFactory(created_by=advocate, **DRAFT)
    changelist = editor_client.get(admin_url(draft, "changelist"))
    assertContains(changelist, draft.title)
    assertContains(changelist, 'value="publish"')
    response = run_action(editor_client, type(draft), "publish", [draft])
    assertContains(response, "1 case study published.")
    draft.refresh_from_db()
    assert draft.is_published


def test_a_staff_reader_cannot_publish_from_the_admin(reader, reader_client: Client) -> None:
    reader.is_staff = True
    reader.save()
    draft = CaseStudyFactory(**DRAFT)
    changelist = reader_client.get(admin_url(draft, "changelist"))
    assertContains(changelist, draft.title)
    assertNotContains(changelist, 'value="publish"')
    run_action(reader_client, type(draft), "publish", [draft])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize("client_fixture", ["advocate_client", "reader_client"])
def test_non_staff_are_sent_away_from_the_admin(request, db, client_fixture: str) -> None:
    client = request.getfixturevalue(client_fixture)
    draft = CaseStudyFactory(**DRAFT)
    changelist = admin_url(draft, "changelist")
    response = client.get(changelist)
    assertRedirects(
        response, f"{reverse('admin:login')}?next={changelist}", fetch_redirect_response=False
    )
    run_action(client, type(draft), "publish", [draft])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
