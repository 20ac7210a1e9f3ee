"""The one scale of evidence every kind of content is graded on.

Case studies, research links and experiments share it, so a badge, a filter and a search
facet mean the same thing wherever they appear.
"""

from django.db import models

from kb.core.search import FacetField


class EvidenceLevel(models.IntegerChoices):
    """How far a claim can be trusted, weakest first; ordering by it ranks stronger evidence."""

    ANECDOTE = 1, "Anecdote"
    SELF_REPORTED = 2, "Self-reported figures"
    MEASURED = 3, "Measured with published data"
    PEER_REVIEWED = 4, "Peer-reviewed or audited"
    INDEPENDENTLY_VERIFIED = 5, "Independently verified"


# The search facet of every model with an ``evidence_level`` field of this scale.
EVIDENCE = FacetField(
    "evidence", "Evidence level", numeric=True, field="evidence_level", position=40
)


def evidence_level_of(item: object) -> EvidenceLevel | None:
    """The item's evidence level, for any kind that grades its evidence (an
    ``evidence_level`` field on the scale above); None for kinds that do not."""
    value = getattr(item, "evidence_level", None)
    if value in EvidenceLevel.values:
        return EvidenceLevel(value)
    return None
