from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "kb.workflow"
    label = "workflow"

    def ready(self) -> None:
        from django.db.models import signals

        from kb.core.models import forget_deleted_items

        # Kept on the config: signals hold receivers weakly.
        self.forget_deleted = forget_deleted_items(self.get_model("Transition"))
        signals.post_delete.connect(self.forget_deleted, dispatch_uid="workflow_forget_deleted")
