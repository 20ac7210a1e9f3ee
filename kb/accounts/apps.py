from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kb.accounts"
    label = "accounts"

    def ready(self) -> None:
        from kb.accounts import signals, throttle  # noqa: F401  (connects the receivers)
