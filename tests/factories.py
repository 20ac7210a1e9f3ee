"""factory-boy factories for every model; published content by default."""

import importlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from kb.advocates.models import AdvocateProfile, Department, Handle
from kb.articles.models import Article
from kb.casestudies.models import CaseStudy, Metric, Sector
from kb.core.models import Status
from kb.platforms.models import Platform
from kb.research.models import Kind, ResearchLink
from kb.sources.models import Kind as SourceKind
from kb.sources.models import Source, SourceDomain


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret-pass-123")


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Platform {n}")
    slug = factory.Sequence(lambda n: f"platform-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class AdvocateProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvocateProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    job_title = "Communications officer"
    bio = "I help teams start on **LinkedIn**."

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.add(*extracted)


class HandleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handle

    profile = factory.SubFactory(AdvocateProfileFactory)
    platform = factory.SubFactory(PlatformFactory)
    handle = "@someone"


class ContentFactory(factory.django.DjangoModelFactory):
    """Published now unless told otherwise; ``tags=[...]`` adds tags."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Item {n}")
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class CaseStudyFactory(ContentFactory):
    class Meta:
        model = CaseStudy

    title = factory.Sequence(lambda n: f"Case study {n}")
    organisation = "Northshire County Council"
    sector = Sector.PUBLIC
    summary = "Recruitment posts on LinkedIn doubled applications."
    year = 2024
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def platforms(self, create, extracted, **kwargs):
        if create and extracted:
            self.platforms.add(*extracted)


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    case_study = factory.SubFactory(CaseStudyFactory)
    name = "Applications per vacancy"
    value_before = Decimal("14")
    value_after = Decimal("31")
    unit = "applications"
    period = "6 months"


class ResearchLinkFactory(ContentFactory):
    class Meta:
        model = ResearchLink

    title = factory.Sequence(lambda n: f"Research {n}")
    url = factory.Sequence(lambda n: f"https://research.example.org/papers/{n}")
    publisher = "Example Institute"
    kind = Kind.SURVEY
    key_finding = "Employees trust colleagues more than brand accounts."
    added_by = factory.SubFactory(UserFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    """A source with one domain (``domain=...``, or none with ``domain=None``)."""

    class Meta:
        model = Source
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Publisher {n}")
    kind = SourceKind.RESEARCH_INSTITUTE

    @factory.post_generation
    def domain(self, create, extracted, **kwargs):
        if create and extracted:
            SourceDomain.objects.create(source=self, domain=extracted)


class ArticleFactory(ContentFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "How to start."
    body = "## Start small\n\nPost once a week."
    author = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread comment notification on an article, as notify() would have made it."""

    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(UserFactory)
    verb = "commented"
    target = factory.SubFactory(ArticleFactory)
    target_title = factory.LazyAttribute(lambda n: n.target.title)
    url = factory.LazyAttribute(lambda n: n.target.get_absolute_url())
    message = "Great start: could you add the numbers from the pilot?"


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment on a new published article, or a reply on its parent's item."""

    class Meta:
        model = "comments.Comment"

    parent = None
    target = factory.LazyAttribute(lambda c: c.parent.target if c.parent else ArticleFactory())
    author = factory.SubFactory(UserFactory)
    body = "Thanks, this *helped* us."


def content_factory(model: type) -> type[ContentFactory]:
    """The factory of a kind of content: the core kinds' are here; a kind added later keeps
    its own in ``tests/<app label>/factories.py`` as ``<Model>Factory``, found by that name."""
    here = {CaseStudy: CaseStudyFactory, ResearchLink: ResearchLinkFactory, Article: ArticleFactory}
    if model in here:
        return here[model]
    module = importlib.import_module(f"tests.{model._meta.app_label}.factories")
    return getattr(module, f"{model.__name__}Factory")
