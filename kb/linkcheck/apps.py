"""Source links: the last check of each item's source URL (see check_links)."""

from django.apps import AppConfig


class LinkCheckConfig(AppConfig):
    name = "kb.linkcheck"
    label = "linkcheck"
    verbose_name = "Source links"

    def ready(self) -> None:
        from django.db.models import signals

        from kb.core.models import forget_deleted_items
        from kb.linkcheck import checks  # noqa: F401 -- registers the system check

        # Kept on the config: signals hold receivers weakly.
        self.forget_deleted = forget_deleted_items(self.get_model("LinkCheck"))
        signals.post_delete.connect(self.forget_deleted, dispatch_uid="linkcheck_forget_deleted")
