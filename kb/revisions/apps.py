from django.apps import AppConfig


class RevisionsConfig(AppConfig):
    name = "kb.revisions"
    label = "revisions"

    def ready(self) -> None:
        from django.db.models import signals

        from kb.core.models import forget_deleted_items

        # Kept on the config: signals hold receivers weakly.
        self.forget_deleted = forget_deleted_items(self.get_model("Revision"))
        signals.post_delete.connect(self.forget_deleted, dispatch_uid="revisions_forget_deleted")
