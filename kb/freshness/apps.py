"""Content that stays fresh: review-by dates, reminders, verifications, overdue items."""

from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    name = "kb.freshness"
    label = "freshness"
    verbose_name = "Periodic review"

    def ready(self) -> None:
        from django.db.models import signals

        from kb.core.models import forget_deleted_items

        # Kept on the config: signals hold receivers weakly.
        self.forget_deleted = forget_deleted_items(self.get_model("Verification"))
        signals.post_delete.connect(self.forget_deleted, dispatch_uid="freshness_forget_deleted")
