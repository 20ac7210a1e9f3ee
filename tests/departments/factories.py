"""Factories of adoption stages and stage changes."""

import datetime

import factory

from kb.departments.models import AdoptionStage, StageChange
from tests.factories import DepartmentFactory


class AdoptionStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdoptionStage
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(lambda n: 100 + n)


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    department = factory.SubFactory(DepartmentFactory)
    stage = factory.SubFactory(AdoptionStageFactory)
    changed_on = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n))
    note = "Seen at the team meeting."
