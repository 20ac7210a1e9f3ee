from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "kb.uploads"
    label = "uploads"
