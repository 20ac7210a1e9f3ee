"""Fingerprints of a database, read independently of kb.backup: per table its row count
and a hash of its rows, and per media file a hash of its bytes.

Rows are read with ``values_list`` (no serializer), one JSON object a row, in primary-key
order. Ids a migrated database assigns itself — content types, permissions and the
rows of automatic many-to-many tables — are left out, and references to content types
and permissions are written as their natural keys, so two databases holding the same KB
give the same fingerprints whatever engine they run on.

Another process runs ``python -c COMMAND [USERNAME QUERY URL]``: it prints the
fingerprints as JSON and, given a user, what that user's search for QUERY and the page at
URL answer there."""

import datetime
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from kb.backup.archive import DERIVED

ASSIGNED_BY_MIGRATE = {ContentType, Permission}


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return value


def table_fingerprints() -> dict[str, list]:
    content_types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
    permissions = {
        perm.pk: [perm.codename, *content_types[perm.content_type_id]]
        for perm in Permission.objects.all()
    }
    result = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in DERIVED or model._meta.proxy or not model._meta.managed:
            continue
        drop_pk = model in ASSIGNED_BY_MIGRATE or model._meta.auto_created
        fields = [
            field for field in model._meta.concrete_fields if not (field.primary_key and drop_pk)
        ]
        rows = []
        queryset = model._base_manager.order_by("pk").values_list(
            *(field.attname for field in fields)
        )
        for values in queryset.iterator():
            row = {}
            for field, value in zip(fields, values, strict=True):
                target = field.related_model if field.is_relation else None
                if target is ContentType and value is not None:
                    value = content_types[value]
                elif target is Permission and value is not None:
                    value = permissions[value]
                row[field.attname] = _plain(value)
            rows.append(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str))
        if drop_pk:
            rows.sort()
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        result[model._meta.db_table] = [len(rows), digest]
    return result


def media_fingerprints(root: Path | None = None) -> dict[str, str]:
    root = Path(root or settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def probe(username: str, query: str, url: str) -> dict:
    """What a signed-in user sees of the KB (a search and a page) and the id a new row
    takes."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from kb.platforms.models import Platform

    # The next id after the restored rows' (PostgreSQL's sequences were reset).
    created = Platform.objects.create(name="Added after the restore", slug="added-after")
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    search = client.get(reverse("search:results"), {"q": query})
    page = client.get(url)
    return {
        "search_status": search.status_code,
        "search_html": search.content.decode(),
        "page_status": page.status_code,
        "page_html": page.content.decode(),
        "created_id": created.pk,
    }


def main(args: list[str]) -> None:
    """Print the fingerprints as JSON and, given USERNAME QUERY URL, what the probe saw."""
    found = {"tables": table_fingerprints(), "media": media_fingerprints()}
    if len(args) == 3:
        found["probe"] = probe(*args)
    print(json.dumps(found))  # noqa: T201


# What another process runs (after Django is set up) to report on its database.
COMMAND = (
    "import sys, django; django.setup(); from tests.backup.tables import main; main(sys.argv[1:])"
)
