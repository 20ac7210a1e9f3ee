"""The one scale of evidence every kind of content is graded on.

Case studies, research links and experiments share it, so a badge, a filter and a search
facet mean the same thing wherever they appear. What each level means, with an example,
is said here once: the "What the levels mean" page and every badge's link read it.
"""

from dataclasses import dataclass

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
    "evidence",
    "Evidence level",
    numeric=True,
    field="evidence_level",
    position=40,
    choices=tuple((str(value), label) for value, label in reversed(EvidenceLevel.choices)),
)


def evidence_level_of(item: object) -> EvidenceLevel | None:
    """The item's evidence level, for any kind that grades its evidence (an
    ``evidence_level`` field on the scale above); None for kinds that do not."""
    value = getattr(item, "evidence_level", None)
    if value in EvidenceLevel.values:
        return EvidenceLevel(value)
    return None


# The name of the field a content model grades itself in, when it does.
EVIDENCE_FIELD = "evidence_level"


@dataclass(frozen=True)
class LevelExplanation:
    level: EvidenceLevel
    meaning: str
    example: str

    @property
    def anchor(self) -> str:
        """The level's fragment on the "What the levels mean" page."""
        return f"level-{self.level.value}"


EXPLANATIONS = {
    explanation.level: explanation
    for explanation in (
        LevelExplanation(
            EvidenceLevel.ANECDOTE,
            "A story or an impression, with no figures behind it. Worth reading for ideas; "
            "not a reason to expect the same result.",
            "“Our TikTok recruitment videos felt like they reached a younger crowd,” in a "
            "talk or a blog post.",
        ),
        LevelExplanation(
            EvidenceLevel.SELF_REPORTED,
            "Figures the organisation measured itself and reports without publishing the "
            "data or method. Our own experiments start here.",
            "A council's communications team says applications per vacancy rose from 14 "
            "to 31 after it posted jobs on LinkedIn.",
        ),
        LevelExplanation(
            EvidenceLevel.MEASURED,
            "Measured, with the data or the method published so others can check it: "
            "benchmarks, surveys and industry reports that show their sample.",
            "A sector benchmark of 400 charities' accounts that publishes its sample, "
            "definitions and the data behind each chart.",
        ),
        LevelExplanation(
            EvidenceLevel.PEER_REVIEWED,
            "Checked by independent experts before publication (a peer-reviewed study), "
            "or figures signed off by an auditor.",
            "A journal article whose field study of 12,000 shared posts passed peer "
            "review; annual-report figures an external auditor verified.",
        ),
        LevelExplanation(
            EvidenceLevel.INDEPENDENTLY_VERIFIED,
            "Confirmed by someone with no stake in the result: replicated, or measured by "
            "an independent body from its own data.",
            "A national statistics office finds the same rise in online applications from "
            "its own survey; a second study replicates a first.",
        ),
    )
}


def level_label(value: int | None) -> str:
    """The label of a stored level ("" for none or an unknown value)."""
    try:
        return EvidenceLevel(value).label
    except ValueError:
        return ""


def graded_models(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    """Those of ``models_`` that grade their items on the scale."""
    return [
        model
        for model in models_
        if any(field.name == EVIDENCE_FIELD for field in model._meta.get_fields())
    ]
