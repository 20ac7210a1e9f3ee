from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kb.search"
    label = "search"

    def ready(self) -> None:
        from django.core import checks

        from kb.search import service, signals

        signals.connect()
        checks.register(service.check_facet_declarations)
