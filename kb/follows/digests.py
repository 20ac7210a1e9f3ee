"""Digest e-mails: what is new in what each reader follows, daily or weekly.

**Periods.** A daily digest covers one local day (midnight to midnight, ``TIME_ZONE``), a
weekly one a week from Monday; each is due from ``KB_DIGEST_HOUR`` o'clock after its period
ends, and stays due until it is recorded, so ``send_digests`` can run every hour from cron
(or miss a few runs) and each period goes out once.

**What is new.** Items published in the period — since the end of the last digest the user
received, when that is later (after a switch from weekly to daily, say) — from what they
follow, each with its headline result and evidence level; plus the most-read item of the
period, which everyone's digest shares. Nothing new from what they follow: no e-mail.

**Once, and resumable.** Each user's digest is recorded as a ``Digest`` row, unique per
user, frequency and period, in the same transaction that builds and sends it. The insert
is the claim: a second run at the same time waits on the unique key and then finds it
taken; a crash or a mail server that refuses rolls the row back, so the next run sends
it. One user's failure is logged and the others go on. The one window left is a crash
between the mail server accepting the message and the commit, which sends it twice: a
repeated digest is better than a lost one.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from kb.core.evidence import EvidenceLevel, evidence_level_of
from kb.core.headline import Headline
from kb.core.models import Content
from kb.core.registry import ContentKind, kind_for, kinds
from kb.follows.models import Digest, DigestPreference, Follow, Frequency, ItemRead
from kb.follows.services import following_of
from kb.notifications.services import absolute_url

logger = logging.getLogger(__name__)

DIGEST_ITEMS = 20  # at most, newest first; the e-mail says how many more there are
MOST_READ_CANDIDATES = 10
UNSUBSCRIBE_SALT = "kb.follows.unsubscribe"


# -- Periods -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    frequency: str
    start: datetime
    end: datetime

    @property
    def days(self) -> tuple[date, date]:
        """The local days it covers, first and last."""
        return timezone.localdate(self.start), timezone.localdate(self.end - timedelta(days=1))

    @property
    def title(self) -> str:
        """When, as a sentence says it: "on Tuesday 10 November", "in the week from …"."""
        first = date_format(self.days[0], "l j F")
        return f"on {first}" if self.frequency == Frequency.DAILY else f"in the week from {first}"


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_period(frequency: str, now: datetime | None = None) -> Period:
    """The latest period of ``frequency`` that is due at ``now``: ended, and past the hour
    digests are sent."""
    now = now or timezone.now()
    send_after = timedelta(hours=settings.KB_DIGEST_HOUR)
    length = timedelta(days=7 if frequency == Frequency.WEEKLY else 1)
    today = timezone.localdate(now)
    end_day = today - timedelta(days=today.weekday()) if frequency == Frequency.WEEKLY else today
    if now < _midnight(end_day) + send_after:
        end_day -= length
    return Period(frequency, _midnight(end_day - length), _midnight(end_day))


# -- Who is due ----------------------------------------------------------------------


def due_users(now: datetime | None = None):
    """Active users with an address who follow something, want a digest, and have not had
    this period's yet; each with ``digest_frequency``."""
    periods = {frequency: due_period(frequency, now) for frequency in _SENT}
    preference = DigestPreference.objects.filter(user=OuterRef("pk")).values("frequency")
    recorded = Q()
    for frequency, period in periods.items():
        recorded |= Q(digest_frequency=frequency) & Exists(
            Digest.objects.filter(
                user=OuterRef("pk"), frequency=frequency, period_start=period.start
            )
        )
    return (
        get_user_model()
        ._default_manager.filter(is_active=True)
        .exclude(email="")
        .filter(Exists(Follow.objects.filter(user=OuterRef("pk"))))
        .annotate(digest_frequency=Coalesce(Subquery(preference), Value(DigestPreference.DEFAULT)))
        .filter(digest_frequency__in=_SENT)
        .exclude(recorded)
        .order_by("pk")
    )


_SENT = (Frequency.DAILY, Frequency.WEEKLY)


# -- What a digest says --------------------------------------------------------------


@dataclass(frozen=True)
class DigestEntry:
    item: Content
    kind: ContentKind
    url: str
    headline: Headline | None
    evidence: EvidenceLevel | None

    @property
    def source_rating(self) -> str:
        source = self.headline.source if self.headline else None
        return source.get_rating_display() if source is not None else ""


@dataclass(frozen=True)
class MostRead:
    entry: DigestEntry
    reads: int


@dataclass
class DigestContent:
    period: Period
    since: datetime
    entries: list[DigestEntry] = field(default_factory=list)
    more: int = 0  # new items beyond those listed
    most_read: MostRead | None = None

    @property
    def count(self) -> int:
        return len(self.entries) + self.more


def _entry(item: Content) -> DigestEntry:
    return DigestEntry(
        item=item,
        kind=kind_for(item),
        url=absolute_url(item.get_absolute_url()),
        headline=item.headline(),
        evidence=evidence_level_of(item),
    )


def _since(user, period: Period, recording: Digest | None) -> datetime:
    """Where the digest's "new" starts: the period's start, or the end of the last digest
    the user received, if later."""
    earlier = Digest.objects.filter(user=user, period_end__lte=period.end)
    if recording is not None:
        earlier = earlier.exclude(pk=recording.pk)
    last = earlier.order_by("-period_end").values("period_end").first()
    return max(period.start, last["period_end"]) if last else period.start


def new_entries(user, since: datetime, until: datetime) -> tuple[list[DigestEntry], int]:
    """What was published in [since, until) from what ``user`` follows, newest first: one
    query per kind (and what its headline reads), then a count per kind past the limit."""
    following = following_of(user)
    found, total = [], 0
    for model, _kind in kinds():
        new = following.followed_only(
            model.objects.published().filter(published_at__gte=since, published_at__lt=until)
        )
        items = list(new.for_headlines().order_by("-published_at", "-pk")[: DIGEST_ITEMS + 1])
        total += len(items) if len(items) <= DIGEST_ITEMS else new.count()
        found += items
    found.sort(key=lambda item: item.published_at, reverse=True)
    return [_entry(item) for item in found[:DIGEST_ITEMS]], total


def most_read(period: Period) -> MostRead | None:
    """The published item read most in the period (by signed-in readers, on its page)."""
    first, last = period.days
    counted = (
        ItemRead.objects.filter(day__gte=first, day__lte=last)
        .values("content_type_id", "object_id")
        .annotate(total=Sum("reads"))
        .order_by("-total", "content_type_id", "object_id")[:MOST_READ_CANDIDATES]
    )
    by_type: dict[int, list[int]] = defaultdict(list)
    totals = {}
    for row in counted:
        by_type[row["content_type_id"]].append(row["object_id"])
        totals[(row["content_type_id"], row["object_id"])] = row["total"]
    best = None
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or kind_for(model) is None:
            continue
        for item in model.objects.published().for_headlines().filter(pk__in=ids):
            reads = totals[(content_type_id, item.pk)]
            if best is None or reads > best[1]:
                best = (item, reads)
    return MostRead(entry=_entry(best[0]), reads=best[1]) if best else None


def digest_content(
    user,
    period: Period,
    most_read_item: MostRead | None = None,
    recording: Digest | None = None,
) -> DigestContent:
    """What ``user``'s digest of ``period`` says; ``recording`` is the row being sent."""
    since = _since(user, period, recording)
    content = DigestContent(period=period, since=since, most_read=most_read_item)
    if since < period.end:
        content.entries, total = new_entries(user, since, period.end)
        content.more = total - len(content.entries)
    return content


# -- Unsubscribing -------------------------------------------------------------------


def unsubscribe_token(user) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_for_unsubscribe_token(token: str):
    """The user a link was signed for; ``signing.BadSignature`` for a tampered or foreign
    token, None for an account that is gone."""
    value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    if not value.isdigit():
        raise signing.BadSignature("Not a user.")
    return get_user_model()._default_manager.filter(pk=int(value)).first()


def unsubscribe_url(user) -> str:
    return absolute_url(reverse("follows:unsubscribe", args=[unsubscribe_token(user)]))


def digest_unsubscribe(*, user) -> None:
    """No more digests for ``user`` (their follows stay: "For you" and the feed use them)."""
    DigestPreference.objects.update_or_create(user=user, defaults={"frequency": Frequency.OFF})


# -- Sending -------------------------------------------------------------------------


def digest_message(user, content: DigestContent) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(user)
    context = {
        "user": user,
        "content": content,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "following_url": absolute_url(reverse("follows:following")),
        "unsubscribe_url": unsubscribe,
    }
    count = content.count
    subject = (
        f"[{settings.SITE_NAME}] {count} new item{'s' if count != 1 else ''} "
        f"in what you follow {content.period.title}"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("follows/digest_email.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("follows/digest_email.html", context), "text/html")
    return message


@dataclass
class SendReport:
    sent: int = 0
    nothing_new: int = 0
    failed: int = 0


def send_due_digests(now: datetime | None = None) -> SendReport:
    """Send every digest that is due; see the module docstring for why it sends each once."""
    now = now or timezone.now()
    report = SendReport()
    most_read_by_frequency = {
        frequency: most_read(due_period(frequency, now)) for frequency in _SENT
    }
    for user in due_users(now):
        period = due_period(user.digest_frequency, now)
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    user=user,
                    frequency=period.frequency,
                    period_start=period.start,
                    period_end=period.end,
                    sent_at=now,
                )
                content = digest_content(
                    user, period, most_read_by_frequency[period.frequency], recording=digest
                )
                digest.item_count = content.count
                digest.save(update_fields=["item_count"])
                if content.entries:
                    digest_message(user, content).send(fail_silently=False)
        except IntegrityError:
            continue  # another run recorded this period first
        except Exception:
            report.failed += 1
            logger.exception("Could not send the %s digest to user %s", period.frequency, user.pk)
            continue
        if content.entries:
            report.sent += 1
        else:
            report.nothing_new += 1
    return report
