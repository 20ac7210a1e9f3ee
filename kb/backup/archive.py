"""One archive holds the whole KB: every table's rows, the media files and a manifest.

The archive is a .tar.gz of

- ``manifest.json``: the format, when and from which engine it was made, the migrations
  the database had applied, and per table its file, row count and SHA-256, per media file
  its size and SHA-256;
- ``data/<app>.<model>.jsonl``: one model's rows, one JSON object a line, written by
  Django's own serializer (the format of ``dumpdata --format jsonl``);
- ``media/<name>``: every file of the default storage (uploads, profile photos).

Rows keep their primary keys, since generic relations (tags, revisions, follows …) name
objects by id. Foreign keys to the few models with natural keys go by natural key
(``--natural-foreign``), and content types and permissions are matched by natural key
alone (``--natural-primary``): ``migrate`` creates those in every database with its own
ids. Datetimes keep their microseconds (Django's JSON encoder would cut them to
milliseconds). Each line is canonical — keys sorted, many-to-many lists sorted — so the
same rows give the same bytes on SQLite and PostgreSQL, and a table's hash read back after
an import proves that nothing changed on the way.

What is derived from the rest is left out and rebuilt: the search index (its tables, the
FTS5 and tsvector structures migrations add, its queue and change log) and sessions.
"""

import datetime
import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1

# Derived data: rebuilt after an import (rebuild_search_index) or worthless in another
# database (sessions sign nobody in after a restore that changed SECRET_KEY, and a signed-in
# user simply signs in again).
DERIVED = {
    "sessions.session",
    "search.indexentry",
    "search.indexfacet",
    "search.indexaudience",
    "search.searchword",
    "search.indexqueue",
    "search.indexstate",
    "search.indexchange",
    # What the shared parts of pages were rendered from (kb.core.fragments): a counter.
    "core.contentversion",
    # A sign-in lock-out in progress (django-axes) lasts minutes; its audit logs are kept.
    "axes.accessattempt",
    "axes.accessattemptexpiration",
}

# Matched by natural key: every migrated database has its own rows with its own ids.
BY_NATURAL_KEY = {"contenttypes.contenttype", "auth.permission"}

# Tables data migrations fill in a new database (roles, review intervals, adoption stages,
# audiences). An empty database still has these rows; the archive's replace them.
SEEDED = {
    "auth.group",
    "freshness.reviewpolicy",
    "departments.adoptionstage",
    "collections.audience",
}


class ArchiveError(Exception):
    """The archive cannot be imported here; the message says why and what to do."""


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def exported_models() -> list[type[models.Model]]:
    """Every model whose rows the archive holds, in an order that loads: models referred
    to by natural key before the models that refer to them."""
    app_list = [(config, None) for config in apps.get_app_configs()]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.auto_created
        and label(model) not in DERIVED
    ]


class _Encoder(json.JSONEncoder):
    """JSON of every value a model field gives, datetimes with their microseconds."""

    def default(self, value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = value.astimezone(datetime.UTC)
            return value.isoformat().replace("+00:00", "Z")
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        if isinstance(value, datetime.timedelta):
            return str(value.total_seconds())
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, bytes | memoryview):
            return bytes(value).hex()
        return str(value)  # UUIDs, lazy strings


def _m2m_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.many_to_many
        if field.serialize and field.remote_field.through._meta.auto_created
    ]


def _by_natural_key(field: models.Field) -> bool:
    return field.is_relation and hasattr(field.related_model, "natural_key")


def _natural_fks(model: type[models.Model]) -> list[str]:
    """Foreign keys the archive writes as natural keys: read with their rows, not one
    query a row."""
    return [field.name for field in model._meta.fields if _by_natural_key(field)]


def table_lines(model: type[models.Model], chunk: int = 2000) -> Iterator[str]:
    """A model's rows as canonical JSON lines (no newline), in primary-key order or, for
    models matched by natural key, in the order of their lines."""
    natural = label(model) in BY_NATURAL_KEY
    m2m = _m2m_fields(model)
    queryset = (
        model._base_manager.order_by("pk")
        .select_related(*_natural_fks(model))
        .prefetch_related(
            *(
                models.Prefetch(
                    name,
                    model._meta.get_field(name).related_model._base_manager.select_related(
                        *_natural_fks(model._meta.get_field(name).related_model)
                    ),
                )
                for name in m2m
            )
        )
    )
    serializer = serializers.get_serializer("python")()

    def lines() -> Iterator[str]:
        rows = list(queryset[:chunk])
        while rows:
            for record in serializer.serialize(
                rows, use_natural_foreign_keys=True, use_natural_primary_keys=natural
            ):
                for name in m2m:
                    record["fields"][name] = sorted(
                        record["fields"][name], key=lambda value: json.dumps(value, cls=_Encoder)
                    )
                yield json.dumps(record, cls=_Encoder, sort_keys=True, ensure_ascii=False)
            rows = list(queryset.filter(pk__gt=rows[-1].pk)[:chunk])

    return iter(sorted(lines())) if natural else lines()


def table_digest(model: type[models.Model]) -> tuple[int, str]:
    """(rows, SHA-256) of a model's rows as the archive writes them."""
    digest, count = hashlib.sha256(), 0
    for line in table_lines(model):
        digest.update(line.encode() + b"\n")
        count += 1
    return count, digest.hexdigest()


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def media_names(storage=default_storage, folder: str = "") -> Iterator[str]:
    """Every file of the storage, sub-folders included."""
    if folder and not storage.exists(folder):
        return
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no media folder yet: nothing was ever uploaded
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from media_names(storage, f"{folder}/{sub}" if folder else sub)


def _add(tar: tarfile.TarFile, name: str, data: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(timezone.now().timestamp()), 0o600
    tar.addfile(info, data)


def export_archive(path: str, report: Callable[[str], None] = lambda line: None) -> dict:
    """Write the whole KB to ``path`` (.tar.gz); returns the manifest."""
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "migrations": [],
        "tables": {},
        "media": {},
    }
    # One snapshot for every table, so the archive is consistent while writes go on (on
    # SQLite the transaction holds the write lock instead). Inside a caller's transaction
    # (a test) the snapshot is the caller's.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with tarfile.open(path, "w:gz") as tar, transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest["migrations"] = applied_migrations()
        for model in exported_models():
            name = f"data/{label(model)}.jsonl"
            buffer, digest, count = io.BytesIO(), hashlib.sha256(), 0
            for line in table_lines(model):
                data = line.encode() + b"\n"
                buffer.write(data)
                digest.update(data)
                count += 1
            size = buffer.tell()
            buffer.seek(0)
            _add(tar, name, buffer, size)
            manifest["tables"][label(model)] = {
                "file": name,
                "rows": count,
                "sha256": digest.hexdigest(),
            }
            report(f"{label(model)}: {count} rows")
        for name in media_names():
            with default_storage.open(name, "rb") as file:
                data = file.read()
            _add(tar, f"media/{name}", io.BytesIO(data), len(data))
            manifest["media"][name] = {
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        report(f"media: {len(manifest['media'])} files")
        text = json.dumps(manifest, indent=1, sort_keys=True).encode()
        _add(tar, "manifest.json", io.BytesIO(text), len(text))
    return manifest


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile("manifest.json")
    except KeyError:
        raise ArchiveError("This is not a KB archive: it has no manifest.json.") from None
    manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise ArchiveError(
            f"This archive has format {manifest.get('format')!r}; this version of the KB "
            f"reads format {FORMAT}."
        )
    return manifest


def check_schema(manifest: dict) -> None:
    """Refuse an archive whose database had other migrations applied than this one."""
    archive = {tuple(pair) for pair in manifest["migrations"]}
    here = {tuple(pair) for pair in applied_migrations()}
    if archive == here:
        return
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(archive - known)
    if unknown:
        raise ArchiveError(
            "This archive comes from a newer version of the KB: its database had "
            f"{len(unknown)} migration(s) this code does not have "
            f"({', '.join('.'.join(pair) for pair in unknown[:5])}…). "
            "Upgrade the KB to that version (or later), migrate, then import."
        )
    unapplied = sorted(archive - here)
    if unapplied:
        raise ArchiveError(
            f"This database is behind the archive by {len(unapplied)} migration(s) "
            f"({', '.join('.'.join(pair) for pair in unapplied[:5])}…): run "
            "`manage.py migrate`, then import."
        )
    newer = sorted(here - archive)
    raise ArchiveError(
        "This archive comes from an older version of the KB: this database has "
        f"{len(newer)} migration(s) the archive's had not "
        f"({', '.join('.'.join(pair) for pair in newer[:5])}…). Import it with the version "
        "that made it, then upgrade that installation (pull, migrate)."
    )


def check_empty() -> None:
    """Refuse a database that holds anything but what ``migrate`` puts in a new one."""
    filled = []
    for model in exported_models():
        if label(model) in BY_NATURAL_KEY | SEEDED:
            continue
        if count := model._base_manager.count():
            names = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            filled.append(f"{count} {names}")
    if filled:
        raise ArchiveError(
            "This database is not empty (it has "
            + ", ".join(filled[:5])
            + (", …" if len(filled) > 5 else "")
            + "). import_kb restores into a new, migrated database only: create one, "
            "run `manage.py migrate`, and import there."
        )


def _safe_media_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveError(f"The archive names a media file outside the media folder: {name!r}")
    return name


def _check_media(tar: tarfile.TarFile, manifest: dict) -> dict[str, bytes]:
    """Every media file of the archive, read and checked against the manifest, that the
    media folder does not already hold byte for byte; a different file under one of its
    names stops the import before anything is written."""
    files = {}
    for name, meta in manifest["media"].items():
        data = tar.extractfile(f"media/{_safe_media_name(name)}").read()
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise ArchiveError(f"The archive is damaged: media file {name} does not match.")
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as existing:
                if existing.read() != data:
                    raise ArchiveError(
                        f"The media folder already has a different file {name}; "
                        "import into an empty media folder."
                    )
            continue
        files[name] = data
    return files


class _NaturalKeys:
    """Natural key → primary key of the models rows refer to by natural key (users,
    groups, tags, content types, permissions), read once per model after it has loaded,
    so the deserializer finds ids instead of running a query per reference."""

    def __init__(self) -> None:
        self._ids: dict[type[models.Model], dict[tuple, object]] = {}

    def _of(self, model: type[models.Model]) -> dict[tuple, object]:
        if model not in self._ids:
            rows = model._base_manager.select_related(*_natural_fks(model))
            self._ids[model] = {tuple(row.natural_key()): row.pk for row in rows.iterator()}
        return self._ids[model]

    def resolve(self, model: type[models.Model], value):
        """The id a natural key names, or the key as it was if no row has it (yet): the
        deserializer then looks it up, or defers it, itself."""
        if not isinstance(value, list):
            return value
        return self._of(model).get(tuple(value), value)

    def resolve_record(self, model: type[models.Model], record: dict) -> dict:
        for name, value in record["fields"].items():
            field = model._meta.get_field(name)
            if not _by_natural_key(field) or value is None:
                continue
            if field.many_to_many:
                record["fields"][name] = [self.resolve(field.related_model, v) for v in value]
            else:
                record["fields"][name] = self.resolve(field.related_model, value)
        return record


def _load_table(model: type[models.Model], lines: Iterable[bytes], keys: _NaturalKeys) -> int:
    objects = (keys.resolve_record(model, json.loads(line)) for line in lines if line.strip())
    # Rows matched by natural key may exist already: saved one by one, updating or adding.
    one_by_one = label(model) in BY_NATURAL_KEY
    batch, deferred, count = [], [], 0
    for obj in PythonDeserializer(objects, handle_forward_references=True):
        count += 1
        if obj.deferred_fields:  # names a row not loaded yet: saved, then completed
            obj.save()
            deferred.append(obj)
        elif one_by_one:
            obj.save()
        else:
            batch.append(obj)
            if len(batch) == BATCH:
                _insert(model, batch)
                batch = []
    _insert(model, batch)
    for obj in deferred:
        obj.save_deferred_fields()
    return count


BATCH = 500


def _insert(model: type[models.Model], batch: list) -> None:
    """Insert deserialized rows into their empty table many at a time, as they are (raw,
    the way a deserialized object saves itself: no auto_now, no signals), with their
    many-to-many rows."""
    if not batch:
        return
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, batch)))
    rows = [obj.object for obj in batch]
    for start in range(0, len(rows), size):
        model._base_manager._insert(rows[start : start + size], fields=fields, raw=True)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = [
            through(**{f"{source}_id": obj.object.pk, f"{target}_id": pk})
            for obj in batch
            for pk in obj.m2m_data.get(field.name, ())
        ]
        through._base_manager.bulk_create(links, batch_size=BATCH)


def import_archive(path: str, report: Callable[[str], None] = lambda line: None) -> dict:
    """Restore an archive into this empty, migrated database, all or nothing: the rows,
    the media files and a rebuilt search index; returns the manifest."""
    from django.core.management import call_command

    from kb.search.models import IndexQueue

    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise ArchiveError(f"Cannot read {path}: {error}") from None
    written: list[str] = []
    with tar:
        manifest = read_manifest(tar)
        check_schema(manifest)
        check_empty()
        media = _check_media(tar, manifest)
        models_here = {label(model): model for model in exported_models()}
        missing = sorted(set(manifest["tables"]) - set(models_here))
        if missing:
            raise ArchiveError(f"The archive has tables this KB does not: {', '.join(missing)}")
        try:
            with transaction.atomic():
                order = [name for name in models_here if name in manifest["tables"]]
                for name in reversed(order):
                    if name in SEEDED:
                        models_here[name]._base_manager.all().delete()
                loaded = [models_here[name] for name in order]
                try:
                    keys = _NaturalKeys()
                    with connection.constraint_checks_disabled():
                        for name in order:
                            member = tar.extractfile(manifest["tables"][name]["file"])
                            count = _load_table(models_here[name], member, keys)
                            report(f"{name}: {count} rows")
                    connection.check_constraints(
                        table_names=[model._meta.db_table for model in _with_m2m(loaded)]
                    )
                except (DatabaseError, DeserializationError, ValueError) as error:
                    raise ArchiveError(f"The archive's rows do not load here: {error}") from error
                _reset_sequences(loaded)
                _verify(manifest, models_here)
                # Loading many-to-many rows queued index work; the rebuild does all of it.
                IndexQueue.objects.all().delete()
                call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
                for name, data in media.items():
                    stored = default_storage.save(name, ContentFile(data))
                    written.append(stored)
                    if stored != name:
                        raise ArchiveError(f"Media file {name} was stored as {stored}.")
                report(f"media: {len(media)} files")
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    return manifest


def _with_m2m(loaded: list[type[models.Model]]) -> list[type[models.Model]]:
    through = [
        field.remote_field.through
        for model in loaded
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    return [*loaded, *through]


def _reset_sequences(loaded: list[type[models.Model]]) -> None:
    """Rows kept their ids; on PostgreSQL the next insert must not take one of them."""
    statements = connection.ops.sequence_reset_sql(no_style(), _with_m2m(loaded))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _verify(manifest: dict, models_here: dict[str, type[models.Model]]) -> None:
    """Read every table back: the rows must be the archive's, byte for byte."""
    for name, meta in manifest["tables"].items():
        count, digest = table_digest(models_here[name])
        if (count, digest) != (meta["rows"], meta["sha256"]):
            raise ArchiveError(
                f"{name} does not read back as archived ({count} rows, {meta['rows']} in "
                "the archive)."
            )
