"""The experiments app: small, measured trials logged by advocates."""

from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "kb.experiments"
    label = "experiments"
    verbose_name = "Experiments"
