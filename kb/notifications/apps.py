from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kb.notifications"
    label = "notifications"
