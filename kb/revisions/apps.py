from django.apps import AppConfig


class RevisionsConfig(AppConfig):
    name = "kb.revisions"
    label = "revisions"

    def ready(self) -> None:
        from django.db.models import signals

        from kb.revisions.signals import forget_deleted

        signals.post_delete.connect(forget_deleted, dispatch_uid="revisions_forget_deleted")
