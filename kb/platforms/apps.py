from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "kb.platforms"
    label = "platforms"
