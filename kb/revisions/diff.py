"""Readable differences between two revisions, field by field.

Text is compared word by word (so a changed word shows as struck out and inserted, not a
whole changed paragraph); lists (tags, related items, metrics) line by line. Long runs of
unchanged text are shortened to their edges.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from taggit.managers import TaggableManager

from kb.revisions.snapshot import Data, child_fields, label

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
        order = [f.name for f in child_fields(field)]
        return [_row_text(row, order) for row in value or []]
    return None


def _row_text(row: dict, order: list[str]) -> str:
    """A child row (a metric) as one line, in the model's field order (jsonb reorders keys)."""
    return ", ".join(
        f"{key.replace('_', ' ')}: {row[key]}" for key in order if row.get(key) not in ("", None)
    )


def _text(model: type[models.Model], name: str, value: Any) -> str:
    field = model._meta.get_field(name)
    if value is None:
        return ""
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
        changes.append(FieldChange(name, label(model, name), chunks))
    return changes
