from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "kb.comments"
    label = "comments"
