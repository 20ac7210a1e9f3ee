from django.apps import AppConfig


class AdvocatesConfig(AppConfig):
    name = "kb.advocates"
    label = "advocates"
