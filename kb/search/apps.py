from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kb.search"
    label = "search"

    def ready(self) -> None:
        from kb.search import signals

        signals.connect()
