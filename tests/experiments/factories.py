"""Factories of experiments: published, finished and successful unless told otherwise."""

import datetime
from decimal import Decimal

import factory

from kb.experiments.models import Experiment, Outcome
from tests.factories import ContentFactory, DepartmentFactory, UserFactory


class ExperimentFactory(ContentFactory):
    class Meta:
        model = Experiment

    title = factory.Sequence(lambda n: f"Experiment {n}")
    department = factory.SubFactory(DepartmentFactory)
    hypothesis = "Posting vacancies as short videos brings more applications."
    change = "Three vacancies a week went out as 30-second videos instead of text posts."
    metric_name = "Applications per vacancy"
    baseline = Decimal("14")
    target = Decimal("20")
    result = Decimal("21")
    unit = "applications"
    period = "6 weeks"
    start_date = datetime.date(2025, 3, 1)
    end_date = datetime.date(2025, 4, 12)
    outcome = Outcome.SUCCEEDED
    learnings = "Videos *worked*; subtitles mattered most."
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def platforms(self, create, extracted, **kwargs):
        if create and extracted:
            self.platforms.add(*extracted)
