"""Demo review dates: everything published is fresh as of the day the demo is loaded,
except two items that fell due (readers see "may be out of date", the editors' list of
items due for review shows them), and one article its owner has just verified."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.registry import kinds
from kb.freshness.services import content_verify, review_schedule
from kb.research.models import ResearchLink


@transaction.atomic
def load() -> None:
    today = timezone.localdate()
    for model, _kind in kinds():
        for item in model.objects.published():
            fields = review_schedule(item, start=today)
            model.objects.filter(pk=item.pk).update(
                **{name: getattr(item, name) for name in fields}
            )
    for model, days in ((CaseStudy, 40), (ResearchLink, 3)):
        overdue = model.objects.published().order_by("pk").first()
        if overdue is not None:
            model.objects.filter(pk=overdue.pk).update(review_by=today - timedelta(days=days))
    verified = Article.objects.published().order_by("pk").first()
    if verified is not None and verified.owner and verified.can_edit(verified.owner):
        content_verify(item=verified, user=verified.owner)
