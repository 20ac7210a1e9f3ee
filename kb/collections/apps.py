"""The collections app: evidence briefs for persuading, learning paths for teaching."""

from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "kb.collections"
    label = "collections"
    verbose_name = "Briefs and learning paths"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from kb.collections.models import forget_deleted_item

        post_delete.connect(forget_deleted_item, dispatch_uid="collections_forget_deleted_item")
