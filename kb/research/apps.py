from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "kb.research"
    label = "research"
    verbose_name = "Research"
