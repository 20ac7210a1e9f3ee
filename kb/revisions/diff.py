"""Readable differences between two revisions, field by field.

Text is compared word by word (so a changed word shows as struck out and inserted, not a
whole changed paragraph); lists (tags, related items, metrics, a collection's items) line
by line. Related items read as their labels, never their ids: the labels stored with the
revision, or, in revisions stored before labels were kept, looked up now.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from taggit.managers import TaggableManager

from kb.revisions.snapshot import Data, child_fields, generic_keys, item_label, label

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
CONTEXT = 80  # characters of unchanged text kept on each side of a change


@dataclass(frozen=True)
class Chunk:
    op: str  # "same", "del" or "ins"
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    chunks: list[Chunk]


def _lines(model: type[models.Model], name: str, value: Any) -> list[str] | None:
    """List values as one line per item; None for plain values."""
    field = model._meta.get_field(name)
    if isinstance(field, TaggableManager):
        return list(value or [])
    if field.many_to_many:
        return [str(item_label) for _, item_label in value or []]
    if field.one_to_many:
        rows = value or []
        keys = generic_keys(field.related_model)
        for key in keys:
            _label_targets(rows, key)
        order = _row_order(child_fields(field), keys)
        return [_row_text(row, order) for row in rows]
    return None


def _row_order(fields: list[models.Field], keys: list[GenericForeignKey]) -> list[tuple[str, str]]:
    """(key, label) of a child row's parts in the model's field order, a generic key's
    label in place of the content type and id it is made of."""
    parts = {key.ct_field: key for key in keys}
    hidden = {key.fk_field for key in keys}
    order = []
    for f in fields:
        if f.name in parts:
            order.append((parts[f.name].name, parts[f.name].name.replace("_", " ")))
        elif f.name not in hidden:
            order.append((f.name, str(f.verbose_name)))
    return order


def _label_targets(rows: list[dict], key: GenericForeignKey) -> None:
    """Give rows of older revisions (ids only) the label of what their generic key points
    at: one query per kind of target."""
    missing: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if key.name not in row:
            missing[row.get(key.ct_field)].append(row)
    for content_type_id, unlabelled in missing.items():
        model = _model_for(content_type_id)
        ids = {row.get(key.fk_field) for row in unlabelled}
        found = model._base_manager.in_bulk(ids) if model is not None else {}
        for row in unlabelled:
            row[key.name] = item_label(found.get(row.get(key.fk_field)))


def _model_for(content_type_id: Any) -> type[models.Model] | None:
    try:
        return ContentType.objects.get_for_id(content_type_id).model_class()
    except (ContentType.DoesNotExist, TypeError, ValueError):
        return None


def _row_text(row: dict, order: list[tuple[str, str]]) -> str:
    """A child row as one line, in the model's field order (jsonb reorders keys)."""
    return ", ".join(f"{name}: {row[key]}" for key, name in order if row.get(key) not in ("", None))


def _reference_text(field: models.ForeignKey, value: Any) -> str:
    """A foreign key's label: stored with it, or looked up for an older revision's id."""
    if isinstance(value, list):
        return str(value[1])
    related = field.related_model._base_manager.filter(pk=value).first()
    return (
        str(related)
        if related is not None
        else f"a deleted {field.related_model._meta.verbose_name}"
    )


def _text(model: type[models.Model], name: str, value: Any) -> str:
    field = model._meta.get_field(name)
    if value is None:
        return ""
    if field.many_to_one:
        return _reference_text(field, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value).replace("\r\n", "\n")


def _shorten(chunk: Chunk, first: bool, last: bool) -> Chunk:
    text = chunk.text
    if len(text) <= 2 * CONTEXT + 20:
        return chunk
    head = "" if first else text[:CONTEXT]
    tail = "" if last else text[-CONTEXT:]
    return Chunk("same", f"{head} … {tail}")


def _diff_tokens(old: list[str], new: list[str]) -> list[Chunk]:
    chunks: list[Chunk] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append(Chunk("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            chunks.append(Chunk("del", "".join(old[i1:i2])))
        if j2 > j1:
            chunks.append(Chunk("ins", "".join(new[j1:j2])))
    last = len(chunks) - 1
    return [_shorten(c, i == 0, i == last) if c.op == "same" else c for i, c in enumerate(chunks)]


def compare(model: type[models.Model], old: Data, new: Data) -> list[FieldChange]:
    """The fields that differ between two revisions' data, in the model's field order."""
    changes = []
    for name in model.REVISION_FIELDS:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        lines_before = _lines(model, name, before)
        if lines_before is not None:
            lines_after = _lines(model, name, after) or []
            chunks = _diff_tokens(
                [line + "\n" for line in lines_before], [line + "\n" for line in lines_after]
            )
        else:
            chunks = _diff_tokens(
                TOKEN.findall(_text(model, name, before)), TOKEN.findall(_text(model, name, after))
            )
        # An older revision's bare id and a newer one's [id, label] may name the same thing.
        if any(chunk.op != "same" for chunk in chunks):
            changes.append(FieldChange(name, label(model, name), chunks))
    return changes
