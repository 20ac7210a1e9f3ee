"""The questions app: "ask an advocate"."""

from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "kb.questions"
    label = "questions"
    verbose_name = "Ask an advocate"
