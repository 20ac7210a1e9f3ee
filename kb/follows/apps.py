"""The follows app: following topics, platforms, departments, advocates and collections,
the "For you" list, digest e-mails and the read counts they name the most-read item by."""

from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "kb.follows"
    label = "follows"
    verbose_name = "Following and digests"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from kb.core.signals import item_read
        from kb.follows.models import forget_deleted_target
        from kb.follows.services import read_record_on_signal

        post_delete.connect(forget_deleted_target, dispatch_uid="follows_forget_deleted_target")
        item_read.connect(read_record_on_signal, dispatch_uid="follows_read_record")
