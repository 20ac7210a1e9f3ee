"""When an item is deleted for good (purge_trash, the shell), its revisions go too."""

from django.contrib.contenttypes.models import ContentType

from kb.core.models import Content


def forget_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Content):
        from kb.revisions.models import Revision

        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
        ).delete()
