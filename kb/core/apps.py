from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "kb.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from kb.core import fragments, published_signals
        from kb.core.tags import ensure_tag_slug

        published_signals.connect()
        fragments.connect()

        pre_save.connect(ensure_tag_slug, sender="taggit.Tag", dispatch_uid="kb-tag-slug")
