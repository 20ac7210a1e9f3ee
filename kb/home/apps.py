from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kb.home"
    label = "home"
