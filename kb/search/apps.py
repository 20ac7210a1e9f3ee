from django.apps import AppConfig
from django.core import checks


class SearchConfig(AppConfig):
    name = "kb.search"
    label = "search"

    def ready(self) -> None:
        from kb.search import service, signals
        from kb.search.dependencies import check_declarations

        # Declarations are checked before connecting: a broken one is reported by the
        # check framework rather than raised from here.
        checks.register(check_declarations, checks.Tags.models)
        signals.connect()
        checks.register(service.check_facet_declarations)
