"""The test kind's factory lives with it, as a new app's would live with its tests."""

import factory

from tests.factories import ContentFactory, UserFactory
from tests.registry_app.models import Finding


class FindingFactory(ContentFactory):
    class Meta:
        model = Finding

    title = factory.Sequence(lambda n: f"Finding {n}")
    summary = "Short posts by staff reach further than the brand account's."
    owner = factory.SubFactory(UserFactory)
