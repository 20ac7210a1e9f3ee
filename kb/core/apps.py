from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "kb.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from kb.core.tags import ensure_tag_slug

        pre_save.connect(ensure_tag_slug, sender="taggit.Tag", dispatch_uid="kb-tag-slug")
