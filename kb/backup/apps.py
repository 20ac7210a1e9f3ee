from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "kb.backup"
    label = "backup"
    verbose_name = "Backups"
