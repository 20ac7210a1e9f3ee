from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kb.home"
    label = "home"

    def ready(self) -> None:
        from kb.home import signals

        signals.connect()
