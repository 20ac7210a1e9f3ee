"""Findings: a minimal content model declaring its kind, and nothing registered elsewhere."""

import dataclasses

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from kb.core.evidence import EVIDENCE, EvidenceLevel
from kb.core.links import slug_url
from kb.core.markdown import markdown_to_text
from kb.core.models import Content, Status, contributions_index
from kb.core.registry import ContentKind
from kb.core.search import TAGS, Facet, Searchable, SearchDocument, tag_facets


class Finding(Searchable, Content):
    OWNER_FIELD = "owner"
    REVISION_FIELDS = ["title", "summary", "tags"]
    SEARCH_TYPE = ("finding", "Finding")
    # Graded on the shared scale, its level given by search_document() rather than read
    # from a field of its own.
    SEARCH_FACETS = (TAGS, dataclasses.replace(EVIDENCE, field=""))
    KIND = ContentKind(
        label="Finding",
        label_plural="Findings",
        list_url="findings:list",
        create_url="findings:create",
        add_label="Record a finding",
        card_template="registry_app/_card.html",
        commentable=True,
        illustrated=True,
    )

    summary = models.TextField(max_length=2_000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="findings"
    )
    comments = GenericRelation("comments.Comment")

    class Meta(Content.Meta):
        indexes = [*Content.Meta.indexes, contributions_index("owner")]
        permissions = [("publish_finding", "Can publish and feature findings")]

    def get_absolute_url(self) -> str:
        return slug_url("findings:detail", self.slug)

    SEARCH_DEPENDENCIES = {"tags": {"name", "slug"}}

    def search_document(self) -> SearchDocument:
        tags = self.search_tags()
        return SearchDocument(
            title=self.title,
            url=self.get_absolute_url(),
            keywords=" ".join(tag.name for tag in tags),
            summary=markdown_to_text(self.summary),
            is_published=self.status == Status.PUBLISHED,
            published_at=self.published_at,
            owner_id=self.owner_id,
            evidence_level=EvidenceLevel.INDEPENDENTLY_VERIFIED,
            facets=[*tag_facets(tags), Facet("evidence", "5", "Independently verified")],
        )
