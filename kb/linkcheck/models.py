"""The last check of each content item's source link: does it still lead somewhere?

One row per item, written by ``check_links``. The row remembers the address it checked:
once the item's address is edited, the old result no longer applies and the link counts
as unchecked until the next run.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Q, Subquery

from kb.core.models import AboutItemQuerySet
from kb.core.registry import kind_for


def source_url_field(model: type[models.Model] | models.Model) -> str | None:
    """The field holding the source link of a content model, if its kind declares one."""
    kind = kind_for(model)
    return kind.source_url_field if kind is not None else None


class LinkCheckQuerySet(AboutItemQuerySet):
    def current(self, item: models.Model) -> "LinkCheckQuerySet":
        """The check of ``item``'s present source address (none if it changed since)."""
        return self.for_item(item).filter(url=getattr(item, source_url_field(item)))


class LinkCheck(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    url = models.URLField("address checked", max_length=500)
    final_url = models.URLField(
        "final address", max_length=2000, help_text="Where the redirects, if any, ended."
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why the link is broken; empty when it works."
    )
    moved_permanently = models.BooleanField(default=False)
    checked_at = models.DateTimeField()
    broken_since = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_link_check"),
            # "Broken" is read from the reason everywhere (filter, notice, notification).
            models.CheckConstraint(
                condition=Q(reason="", broken_since__isnull=True, consecutive_failures=0)
                | (~Q(reason="") & Q(broken_since__isnull=False, consecutive_failures__gt=0)),
                name="link_check_broken_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url}: {self.reason or 'ok'}"

    @property
    def is_broken(self) -> bool:
        return bool(self.reason)


def with_link_state(queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` with ``link_reason`` on each item: None if its present source address
    is unchecked, "" if it worked, else why it is broken. One subquery, however many rows."""
    field = source_url_field(queryset.model)
    checks = LinkCheck.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=OuterRef("pk"),
        url=OuterRef(field),
    )
    return queryset.annotate(link_reason=Subquery(checks.values("reason")[:1]))
