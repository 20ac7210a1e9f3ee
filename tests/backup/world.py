"""A small KB with rows in every table a backup holds, built from the factories: each
kind of content in several states, with tags, revisions, workflow history, comments,
questions and answers, collections and progress, follows, notifications, departments and
adoption stages, sources, users, groups and permissions, media files, synonyms and review
policies."""

import datetime
import io
from dataclasses import dataclass

from axes.models import AccessFailureLog, AccessLog
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PillowImage

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.collections.models import Kind as CollectionKind
from kb.collections.models import PathProgress, StepDone
from kb.core.models import Status
from kb.follows.models import Digest, DigestPreference, Follow, Frequency, ItemRead
from kb.freshness.models import ReviewPolicy, Verification
from kb.home.models import FeedKey
from kb.linkcheck.models import LinkCheck
from kb.questions.models import Routing
from kb.revisions.services import revision_record
from kb.search.models import Synonym
from kb.uploads.models import Image
from kb.workflow.services import content_transition
from tests.collections.factories import AudienceFactory, CollectionFactory
from tests.departments.factories import AdoptionStageFactory, StageChangeFactory
from tests.experiments.factories import ExperimentFactory
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
)
from tests.questions.factories import AnswerFactory, QuestionFactory
from tests.registry_app.factories import FindingFactory

SEARCH_WORD = "zeppelinography"


@dataclass
class World:
    article: Article
    case_study: CaseStudy
    reader_username: str


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 3), colour).save(buffer, "PNG")
    return buffer.getvalue()


def build_world(*, editor, advocate, reader) -> World:
    """Rows in every table a backup holds; ``editor``, ``advocate`` and ``reader`` are the
    personas (their groups are the roles a migration made)."""
    linkedin = PlatformFactory(name="LinkedIn", slug="linkedin")
    sales = DepartmentFactory(name="Sales", slug="sales")
    advocate.advocate_profile.department = sales
    advocate.advocate_profile.photo.save("adam.png", ContentFile(png("red")), save=True)
    advocate.advocate_profile.platforms.add(linkedin)
    advocate.advocate_profile.expertise.add("recruitment", "café")
    HandleFactory(profile=advocate.advocate_profile, platform=linkedin, handle="@adam")
    other = AdvocateProfileFactory(department=sales).user
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    Group.objects.create(name="Comms team").permissions.add(
        Permission.objects.get(codename="add_article")
    )
    # django-axes's audit trail of sign-ins (its lock-outs in progress are not kept).
    sign_in = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/accounts/login/"}
    AccessLog.objects.create(username="rita", ip_address="10.1.1.1", **sign_in)
    AccessFailureLog.objects.create(username="rita", ip_address="10.1.1.1", **sign_in)

    source = SourceFactory(name="Example Institute", domain="research.example.org")
    research = ResearchLinkFactory(added_by=advocate, tags=["trust"], source=source)
    case_study = CaseStudyFactory(
        title="Recruitment on LinkedIn",
        created_by=advocate,
        tags=["recruitment", "linkedin"],
        platforms=[linkedin],
    )
    MetricFactory(case_study=case_study)
    image = Image(uploaded_by=advocate, width=4, height=3, size=0, format="PNG")
    image.file.save("picture.png", ContentFile(png("blue")), save=False)
    image.size = image.file.size
    image.save()
    article = ArticleFactory(
        title=f"Starting a {SEARCH_WORD} page",
        author=advocate,
        body=f"![chart]({image.file.url})\n\nPost once a week about {SEARCH_WORD}.",
        tags=["recruitment"],
    )
    article.related_case_studies.add(case_study)
    article.related_research.add(research)
    revision_record(item=article, user=advocate, message="First version")
    draft = ArticleFactory(author=advocate, status=Status.DRAFT, published_at=None)
    content_transition(item=draft, action="submit", user=advocate)
    content_transition(item=draft, action="request_changes", user=editor, comment="Add numbers.")
    ExperimentFactory(created_by=advocate, department=sales, platforms=[linkedin])
    FindingFactory(owner=advocate)

    path = CollectionFactory(
        kind=CollectionKind.PATH,
        created_by=editor,
        audience=AudienceFactory(name="Managers", slug="managers"),
        items=[(case_study, "The numbers."), (article, "How to start.")],
    )
    progress = PathProgress.objects.create(collection=path, reader=reader, share_name=True)
    StepDone.objects.create(
        progress=progress,
        content_type=ContentType.objects.get_for_model(case_study),
        object_id=case_study.pk,
    )

    parent = CommentFactory(target=article, author=reader)
    CommentFactory(parent=parent, author=advocate)
    NotificationFactory(recipient=advocate, actor=reader, target=article)
    question = QuestionFactory(asker=reader, department=sales, platform=linkedin, private=True)
    question.topics.add("recruitment")
    Routing.objects.create(question=question, advocate=advocate, reason="knows LinkedIn")
    answer = AnswerFactory(question=question, author=advocate)
    question.most_useful = answer
    question.answered_at = timezone.now()
    question.save()
    QuestionFactory(asker=other)

    StageChangeFactory(department=sales, stage=AdoptionStageFactory(name="Piloting"))
    for target in (linkedin, sales, case_study):
        Follow.objects.create(
            user=reader, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )
    DigestPreference.objects.create(user=reader, frequency=Frequency.DAILY)
    now = timezone.now()
    Digest.objects.create(
        user=reader,
        frequency=Frequency.DAILY,
        period_start=now - datetime.timedelta(days=1),
        period_end=now,
        item_count=2,
    )
    article_type = ContentType.objects.get_for_model(article)
    ItemRead.objects.create(content_type=article_type, object_id=article.pk, day=now.date())
    FeedKey.objects.create(user=reader, key="a-private-feed-key-0123456789")
    LinkCheck.objects.create(
        content_type=ContentType.objects.get_for_model(research),
        object_id=research.pk,
        url=research.url,
        final_url=research.url,
        status_code=404,
        reason="Not Found",
        checked_at=now,
        broken_since=now,
        consecutive_failures=2,
    )
    ReviewPolicy.objects.update_or_create(
        content_type=article_type, defaults={"interval_months": 9}
    )
    Verification.objects.create(
        content_type=article_type,
        object_id=article.pk,
        verified_by=editor,
        review_by=now.date() + datetime.timedelta(days=270),
    )
    Synonym.objects.create(term="B2B", synonym="business to business")
    LogEntry.objects.create(
        user=editor,
        content_type=article_type,
        object_id=str(article.pk),
        object_repr=article.title,
        action_flag=ADDITION,
        change_message="Added.",
    )
    return World(article=article, case_study=case_study, reader_username=reader.username)
