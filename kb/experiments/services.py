"""Turning a finished experiment into a draft case study of our own organisation."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kb.casestudies.models import CaseStudy, Metric, Sector
from kb.core.models import Status
from kb.core.permissions import AnyUser
from kb.experiments.models import Experiment
from kb.revisions.services import revision_record

DEFAULT_ORGANISATION = "Our organisation"
SUMMARY_MAX = CaseStudy._meta.get_field("summary").max_length


class PromotionRefused(Exception):
    """The experiment cannot become a case study (yet, or again); the message says why."""


def organisation_name() -> str:
    return getattr(settings, "KB_ORGANISATION_NAME", DEFAULT_ORGANISATION)


def organisation_sector() -> str:
    return getattr(settings, "KB_ORGANISATION_SECTOR", Sector.PUBLIC)


def _valid_source_url(url: str) -> str:
    """The URL if the case study's field accepts it: an intranet host without a domain
    ("http://kb/") does not, and then the experiment's link to the case study remains."""
    try:
        CaseStudy._meta.get_field("source_url").run_validators(url)
    except ValidationError:
        return ""
    return url


def _summary(experiment: Experiment) -> str:
    verdict = experiment.get_outcome_display().lower()
    measure = f"{experiment.metric_name}: {experiment.against_baseline.summary}"
    period = f" over {experiment.period}" if experiment.period else ""
    return f"An internal experiment that {verdict}. {measure}{period}."[:SUMMARY_MAX]


@transaction.atomic
def experiment_promote(*, experiment: Experiment, user: AnyUser, source_url: str = "") -> CaseStudy:
    """Make a draft case study from a finished experiment, and link the experiment to it.

    The case study is owned by the experiment's owner (the promoting user if it has none),
    so its author can finish it; ``source_url`` points back at the experiment's page.
    The case study keeps the experiment's evidence level (self-reported unless someone
    audited or verified the figures).
    """
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if not experiment.can_promote(user):
        raise PermissionDenied("Only the experiment's owner or an editor may promote it.")
    if experiment.promoted_to_id is not None:
        raise PromotionRefused(f"“{experiment}” is already a case study.")
    if not experiment.is_finished:
        raise PromotionRefused(
            "Only a finished experiment (succeeded, failed or inconclusive) can become a "
            "case study."
        )
    case_study = CaseStudy(
        title=experiment.title,
        organisation=organisation_name(),
        sector=organisation_sector(),
        year=experiment.end_date.year,
        evidence_level=experiment.evidence_level,
        summary=_summary(experiment),
        challenge=experiment.hypothesis,
        approach=experiment.change,
        outcome=experiment.learnings,
        source_url=_valid_source_url(source_url),
        publisher=organisation_name(),
        status=Status.DRAFT,
        created_by=experiment.created_by or user,
    )
    case_study.full_clean()
    case_study.save()
    case_study.platforms.set(experiment.platforms.all())
    case_study.tags.set([tag.name for tag in experiment.tags.all()])
    metric = Metric(
        case_study=case_study,
        name=experiment.metric_name,
        value_before=experiment.baseline,
        value_after=experiment.result,
        unit=experiment.unit,
        period=experiment.period,
        lower_is_better=experiment.lower_is_better,
    )
    metric.full_clean()
    metric.save()
    revision_record(
        item=case_study, user=user, message=f"Promoted from the experiment “{experiment}”"
    )
    experiment.promoted_to = case_study
    experiment.save(update_fields=["promoted_to", "updated_at"])
    return case_study
