from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "kb.workflow"
    label = "workflow"

    def ready(self) -> None:
        from django.db.models import signals

        from kb.workflow.signals import forget_deleted

        signals.post_delete.connect(forget_deleted, dispatch_uid="workflow_forget_deleted")
