"""The search index: one row per searchable object, its facets, and the word list.

The rows are plain Django models on both databases. Each backend adds its full-text
structure in the database itself (migrations 0002, 0003): an FTS5 table kept in sync by
triggers on SQLite, a table of weighted tsvectors with GIN indexes, also kept in sync by
triggers, on PostgreSQL. So
whatever writes an IndexEntry — the signal handlers, the rebuild command, a bulk insert —
the full-text index follows.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from kb.search.query import STOP_WORDS, words_of_text


class IndexEntry(models.Model):
    # Small columns first: SQLite stores a row's columns in this order, and visibility
    # checks and facet counts must not read through the overflow pages of the texts.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    is_published = models.BooleanField()
    published_at = models.DateTimeField(null=True)
    owner_id = models.BigIntegerField(null=True)
    doc_type = models.CharField(max_length=20)  # the type facet
    evidence_level = models.PositiveSmallIntegerField(null=True)  # orders ties
    # Content's review-by date: from that day on the entry ranks a little lower (compared
    # with the date of each search, so the index needs no write when an item falls due).
    review_by = models.DateField(null=True)
    # No longer written: every declared facet is an IndexFacet row. To be dropped.
    year = models.PositiveSmallIntegerField(null=True)
    department = models.CharField(max_length=120, blank=True)
    department_name = models.CharField(max_length=120, blank=True)
    url = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    # The four weighted slots: title (A) > keywords (B) > summary (C) > body (D).
    title = models.CharField(max_length=300)
    keywords = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

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
    """One value of a multi-valued facet of an entry: a tag or a platform."""

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


class IndexAudience(models.Model):
    """A user who may find an entry that is not public, besides its owner: an asked
    advocate of a private question (SearchDocument.audience).

    Read per search with the searcher's own entries (one indexed statement), never held
    in the processes' sets: a set per user would grow with users × documents, and only a
    few documents have an audience."""

    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="audience")
    user_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "user_id"], name="search_audience_once")
        ]
        indexes = [models.Index(fields=["user_id", "entry"], name="search_audience_user")]

    def __str__(self) -> str:
        return f"{self.entry_id} → user {self.user_id}"


class SearchWord(models.Model):
    """Every distinct word of the index, for typo correction and search-as-you-type."""

    word = models.CharField(max_length=64, unique=True)
    doc_count = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.word


class IndexQueue(models.Model):
    """Index work that is still to do: durable, so a failing or interrupted index write is
    retried rather than lost (kb.search.index.process_queue).

    A row names documents of one searchable model: the object ``object_id`` itself when
    ``via`` is empty, else every document whose lookup ``via`` (e.g.
    ``author__advocate_profile__department``) reaches the related object ``object_id`` —
    so renaming a department is one row, however many documents show it. Rows are written
    in the transaction that changed the content and worked after it commits.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    via = models.CharField(max_length=200, blank=True)
    # With ``via``: the documents up to this primary key are done (a long rename is
    # indexed a slice per index write).
    resume_after = models.BigIntegerField(null=True, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a failed row may be tried again by an index write (the command tries it now).
    retry_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["retry_at"], name="search_queue_due")]

    def __str__(self) -> str:
        target = f"{self.via}={self.object_id}" if self.via else str(self.object_id)
        return f"{self.content_type_id}:{target}"


class IndexState(models.Model):
    """A single row every index write updates first, so writers queue on its lock (see
    kb.search.index._changed) and their changes reach IndexChange in commit order."""

    version = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.version


class IndexChange(models.Model):
    """The log of changed entries: a row for every insert, update and delete of an entry,
    written by database triggers (migration 0005), so each process brings its sets
    (kb.search.snapshot) up to date by re-reading only what changed. The token tells a
    change from another that took its number after a rollback (SQLite reuses them).

    The triggers see entry rows only; kb.search.index logs an entry whose facets alone
    changed itself. The triggers keep the newest PRUNE_AFTER changes."""

    seq = models.BigAutoField(primary_key=True)
    entry_id = models.BigIntegerField()
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.seq}: {self.entry_id}"


class Synonym(models.Model):
    """Two ways of saying the same thing, which a search for either finds both of
    (kb.search.forgiving expands the query; the index is not touched).

    Each side is stored as the search box reads it — lower case, words of letters and
    digits separated by single spaces (see Synonym.normalise) — and the pair in order,
    so "Hiring ↔ recruitment" and "recruitment ↔ hiring" are one pair to the database.
    """

    MAX_CHARS = 60
    MAX_WORDS = 4

    term = models.CharField(max_length=MAX_CHARS, help_text="A word or phrase, e.g. B2B.")
    synonym = models.CharField(
        max_length=MAX_CHARS, help_text="What it also means, e.g. business-to-business."
    )

    class Meta:
        ordering = ["term", "synonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "synonym"],
                name="search_synonym_unique_pair",
                violation_error_message="These two are already synonyms.",
            ),
            # Also forbids a word being its own synonym, and either side being empty.
            models.CheckConstraint(
                condition=models.Q(term__lt=models.F("synonym")) & ~models.Q(term=""),
                name="search_synonym_ordered_pair",
            ),
        ]
        indexes = [models.Index(fields=["synonym"], name="search_synonym_other_side")]

    def __str__(self) -> str:
        return f"{self.term} ↔ {self.synonym}"

    def save(self, *args, **kwargs) -> None:
        # Rows made in code are read exactly as the admin's: normalised, the pair in order.
        self.term, self.synonym = sorted((self.normalise(self.term), self.normalise(self.synonym)))
        super().save(*args, **kwargs)

    @classmethod
    def normalise(cls, text: str) -> str:
        """A side as the search box reads it: "Business-to-Business" → "business to business"."""
        return " ".join(words_of_text(text or ""))

    def clean(self) -> None:
        errors = {}
        for name in ("term", "synonym"):
            words = self.normalise(getattr(self, name)).split()
            if not words:
                errors[name] = "Give a word or phrase with at least one letter or digit."
            elif len(words) > self.MAX_WORDS:
                errors[name] = f"Use at most {self.MAX_WORDS} words."
            elif all(word in STOP_WORDS for word in words):
                errors[name] = "Searches leave out common words such as this; use another."
            setattr(self, name, " ".join(words))
        if not errors and self.term == self.synonym:
            errors["synonym"] = "A word is already its own synonym; give a different one."
        if errors:
            raise ValidationError(errors)
        self.term, self.synonym = sorted((self.term, self.synonym))
