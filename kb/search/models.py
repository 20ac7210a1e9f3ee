"""The search index: one row per searchable object, its facets, and the word list.

The rows are plain Django models on both databases. Each backend adds its full-text
structure in the database itself (migration 0002): an FTS5 table kept in sync by triggers
on SQLite, a generated weighted tsvector column with a GIN index on PostgreSQL. So
whatever writes an IndexEntry — the signal handlers, the rebuild command, a bulk insert —
the full-text index follows.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class IndexEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    doc_type = models.CharField(max_length=20)
    # The four weighted slots: title (A) > keywords (B) > summary (C) > body (D).
    title = models.CharField(max_length=300)
    keywords = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    is_published = models.BooleanField()
    published_at = models.DateTimeField(null=True)
    owner_id = models.BigIntegerField(null=True)
    evidence_level = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name_plural = "index entries"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_entry_unique_object"
            )
        ]
        indexes = [
            models.Index(fields=["is_published", "published_at"], name="search_entry_visible"),
            models.Index(fields=["owner_id"], name="search_entry_owner"),
            models.Index(fields=["-published_at"], name="search_entry_newest"),
        ]

    def __str__(self) -> str:
        return self.title


class IndexFacet(models.Model):
    """One facet value of an entry: type, tag, platform, department, evidence or year."""

    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=100)
    label = models.CharField(max_length=120)

    class Meta:
        indexes = [
            # Counting facets of a hit list reads only this index.
            models.Index(fields=["entry", "name", "value", "label"], name="search_facet_entry"),
            models.Index(fields=["name", "value", "entry"], name="search_facet_value"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SearchWord(models.Model):
    """Every distinct word of the index, for typo correction and search-as-you-type."""

    word = models.CharField(max_length=64, unique=True)
    doc_count = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.word
