"""The benchmark corpus: N documents of every registered kind, shaped like a real KB.

- Text draws words from a Zipf-weighted vocabulary (everyday English, social media
  adoption terms, a long tail of rare made-up words), so some words are in a third of
  the documents and most in a handful. Which words turn out broad (in 20–40% of the
  documents) is counted while generating and kept in a small description file beside
  the database, for the query mix.
- Free-form tags (2,000 distinct by default) are chosen by Zipf's law too, as are the
  owners (2,000), so a few tags and authors carry much of the KB. Departments (50) and
  platforms (20) fill every field that points at them.
- Every kind in the registry gets its share, its fields filled from the model itself
  (a new kind of content is benchmarked without touching this module), with drafts,
  items in review, unpublished, scheduled and trashed ones beside the published.
- An edit history: a fraction of the items is edited and saved again through the
  models' own save, which is what tells search to reindex them, so entry ids and
  search state carry the history a real KB has, not a freshly numbered one.

Rows are written with bulk inserts; the index is then built by `rebuild_search_index`.
"""

import json
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import CheckConstraint, Q, UniqueConstraint
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag

from kb.core.models import Content, Status
from kb.core.registry import kinds
from kb.core.search import Searchable

# The reference tables the corpus fills every pointer to (by label, so the search app
# imports no other app): departments of advocates and experiments, platforms of case
# studies, experiments and advocates.
DEPARTMENT = "advocates.Department"
PLATFORM = "platforms.Platform"

DOMAIN = """
linkedin instagram facebook youtube tiktok mastodon threads bluesky yammer engage blog
campaign campaigns engagement reach impressions followers audience community advocacy
advocate employee employees recruitment hiring vacancy applications brand reputation
crisis communication communications policy guidelines training workshop champion
champions video livestream webinar podcast newsletter hashtag analytics metrics
measurement conversion clicks shares comments likes sentiment trust credibility evidence
study survey report research findings outcome results case organisation council hospital
charity university school retail bank insurer manufacturer startup agency ministry
department volunteers donors customers patients students citizens residents staff
leadership executives managers frontline nurses teachers engineers storytelling content
calendar schedule moderation accessibility captions alt inclusive transparency privacy
security misinformation algorithm organic paid advertising budget return investment
growth adoption pilot experiment trial benchmark baseline uplift increase decrease
""".split()

ENGLISH = """
the of and to in a is that for it as was with be by on not he this are or his from at which
but have an they you were her she there been one all we their has would when if so no
will more about what can out other up into its time only could new them these two may
first then do any like my now over such our man me even most made after also did many
before must through back years where much your way well down should because each just
those people how too little state good very make world still own see men work long get
here between both life being under never day same another know while last might us great
old year off come since against go came right used take three place small found part
help team week month plan result change start show report year number point group
problem fact hand high case week company system program question government area
local public private open clear simple strong early late better best real true
""".split()

# Words a natural question is made of: never picked as a query's "broad word", since a
# search may rightly ignore them.
STOP_WORDS = set(ENGLISH[: ENGLISH.index("great")])

PLATFORM_NAMES = """
LinkedIn Instagram Facebook YouTube TikTok Mastodon Threads Bluesky Yammer Reddit
Pinterest Snapchat WhatsApp Telegram Discord Twitch Vimeo Medium Substack Flickr
""".split()

GIVEN = "Ada Ben Chloe Dev Ella Femi Grace Hugo Iris Jon Kemi Liam Maya Nia Omar Priya".split()
FAMILY = "Adams Bose Chen Diaz Evans Fisher Gupta Hall Ito Jones Khan Lee Moss Nowak Okafor".split()

SYLLABLES = "ka lo mi ne ru ta ve po si da fe gu ho ji ly mo nu pa qe ri so tu vi we xa yo".split()
LONG_TAIL = 8000
BATCH = 1000
BROAD_RANGE = (0.20, 0.40)  # share of documents a "broad" word appears in


def zipf_cumulative(n: int, s: float) -> list[float]:
    """Cumulative Zipf weights of ranks 1..n, for random.choices(cum_weights=…)."""
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        cumulative.append(total)
    return cumulative


class Words:
    """Deterministic text (seeded): Zipf ranks over about 9,000 distinct words, everyday
    English first, the domain terms spread over ranks 10–2,000, then a long tail."""

    def __init__(self, rnd: random.Random) -> None:
        self.random = rnd
        tail: set[str] = set()
        while len(tail) < LONG_TAIL:
            tail.add("".join(rnd.choices(SYLLABLES, k=rnd.randint(2, 4))))
        words = ENGLISH + sorted(tail)
        for term in DOMAIN:
            words.insert(rnd.randint(10, 2000), term)
        self.words = words
        self.cum = zipf_cumulative(len(words), 1.05)

    def text(self, low: int, high: int) -> str:
        count = self.random.randint(low, high)
        return " ".join(self.random.choices(self.words, cum_weights=self.cum, k=count))

    def title(self) -> str:
        return self.text(4, 9).capitalize()


@dataclass(frozen=True)
class Shape:
    """How many of each shared thing the corpus has; small corpora get fewer."""

    documents: int
    owners: int = 2000
    tags: int = 2000
    departments: int = 50
    platforms: int = 20
    edits: float = 0.1  # edits saved afterwards, as a share of the content items
    seed: int = 42

    @classmethod
    def for_documents(cls, documents: int, **overrides) -> "Shape":
        small = {
            "owners": min(2000, max(5, documents // 50)),
            "tags": min(2000, max(20, documents // 10)),
            "departments": min(50, max(3, documents // 200)),
            "platforms": min(20, max(4, documents // 100)),
        }
        return cls(documents=documents, **{**small, **overrides})


@dataclass
class Description:
    """What the query mix needs to know about a generated corpus, kept beside it."""

    documents: int
    broad: dict[str, float]  # word → share of the documents it appears in

    @staticmethod
    def path() -> Path:
        name = Path(str(settings.DATABASES["default"]["NAME"])).name
        return Path(settings.BASE_DIR) / "var" / f"bench-corpus-{name}.json"

    def save(self) -> None:
        path = self.path()
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({"documents": self.documents, "broad": self.broad}))

    @classmethod
    def load(cls) -> "Description | None":
        try:
            data = json.loads(cls.path().read_text())
        except (OSError, ValueError):
            return None
        return cls(documents=data["documents"], broad=data["broad"])


def _constrained_fields(model: type[models.Model]) -> dict[str, list[CheckConstraint]]:
    """Fields named in the model's check constraints, with those constraints: left at
    their defaults unless a value is checked against the constraints first."""
    found: dict[str, list[CheckConstraint]] = {}

    names: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, Q):
            for child in node.children:
                walk(child)
        elif isinstance(node, tuple):
            names.add(node[0].split("__")[0])
            walk(node[1])
        elif isinstance(node, models.F):
            names.add(node.name.split("__")[0])

    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            names.clear()
            walk(constraint.condition)
            for name in names:
                found.setdefault(name, []).append(constraint)
    return found


def _unique_fields(model: type[models.Model]) -> set[str]:
    names = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint):
            names.update(constraint.fields)
    return names


def _bounds(field: models.Field) -> tuple[int, int]:
    low, high = 0, 100
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value
    if low >= 1900:  # a year: recent ones
        low, high = max(low, 2010), min(high, 2026)
    return low, high


class Filler:
    """Values for one model's fields, worked out from the model once.

    Content's own fields (title, status, dates, owner…) are set by the generator; every
    other field gets a value of its type: text of a length fitting its size, a random
    choice, a pointer into the reference tables, a unique URL or code where the model
    wants one unique. Fields under a check constraint keep their defaults, or take the
    choices the constraint accepts with every other field at its default.
    """

    SET_BY_GENERATOR = {
        "id",
        "title",
        "slug",
        "status",
        "featured",
        "published_at",
        "created_at",
        "updated_at",
        "version",
        "deleted_at",
        "deleted_by",
    }

    def __init__(self, model: type[models.Model], words: Words, reference: dict) -> None:
        self.model = model
        self.words = words
        self.rnd = words.random
        self.reference = reference
        self.unique = _unique_fields(model)
        self.constrained = _constrained_fields(model)
        self.owner_field = getattr(model, "OWNER_FIELD", None)
        user_model = get_user_model()
        self.fields: list[tuple[str, Callable[[int], object]]] = []
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in self.SET_BY_GENERATOR:
                continue
            if field.is_relation and field.related_model is user_model:
                continue  # the owner, set by the generator
            make = self._maker(field)
            if make is not None:
                self.fields.append((field.attname, make))

    def _maker(self, field: models.Field) -> Callable[[int], object] | None:
        rnd, name = self.rnd, self.model._meta.model_name
        if field.is_relation:
            rows = self.reference.get(field.related_model._meta.label)
            if not rows and not (field.null or field.has_default()):
                # A required pointer into reference data the app's migrations seed (a
                # collection's audience): the rows already there.
                rows = list(field.related_model._default_manager.all()[:100])
            if rows:
                return lambda i: rnd.choice(rows).pk
            return None  # nullable or defaulted pointers stay empty
        if field.choices:
            values = [value for value, _ in field.flatchoices if value not in ("", None)]
            if field.name in self.constrained:
                values = self._accepted(field, values)
            return (lambda i: rnd.choice(values)) if values else None
        if field.name in self.constrained:
            if field.has_default() or field.null:
                return None
            if isinstance(field, models.IntegerField):
                low, high = _bounds(field)
                return lambda i: rnd.randint(low, high)
            return None
        if isinstance(field, models.URLField):
            return lambda i: f"https://bench.example.org/{name}/{i}"
        if isinstance(field, models.CharField):
            if field.name in self.unique:
                if field.blank:
                    return None  # unique only when given (a DOI)
                return lambda i: f"https://bench.example.org/{name}/{i}"[: field.max_length]
            size = field.max_length or 200
            low, high = (1, 2) if size <= 40 else (2, 6)
            return lambda i: self.words.text(low, high).capitalize()[:size]
        if isinstance(field, models.TextField):
            size = field.max_length
            if size is None or size > 50_000:
                low, high = 150, 600
            elif size > 5_000:
                low, high = 50, 150
            elif size > 500:
                low, high = 15, 40
            else:
                low, high = 4, 12
            return lambda i: self.words.text(low, high)[: size or None]
        if field.has_default() or field.null or field.blank:
            return None
        if isinstance(field, models.DecimalField):
            top = 10 ** min(4, field.max_digits - field.decimal_places) - 1
            return lambda i: Decimal(rnd.randint(0, top))
        if isinstance(field, models.IntegerField):
            low, high = _bounds(field)
            return lambda i: rnd.randint(low, high)
        if isinstance(field, models.DateField):
            return lambda i: date(2026, 1, 1) - timedelta(days=rnd.randint(0, 3650))
        return None

    def _accepted(self, field: models.Field, values: list) -> list:
        """The choices the field's check constraints accept, the other fields at defaults."""
        accepted = []
        for value in values:
            instance = self.model(**{field.attname: value})
            try:
                for constraint in self.constrained[field.name]:
                    constraint.validate(self.model, instance)
            except ValidationError:
                continue
            accepted.append(value)
        return accepted

    def values(self, i: int) -> dict:
        return {attname: make(i) for attname, make in self.fields}


@dataclass
class Generated:
    documents: int
    by_kind: dict[str, int]
    description: Description


def _reference_rows(shape: Shape) -> dict[str, list[models.Model]]:
    Department = apps.get_model(DEPARTMENT)
    Platform = apps.get_model(PLATFORM)
    departments = [
        Department.objects.get_or_create(
            slug=f"bench-department-{i}", defaults={"name": f"Department {i + 1}"}
        )[0]
        for i in range(shape.departments)
    ]
    names = PLATFORM_NAMES + [f"Platform {i}" for i in range(len(PLATFORM_NAMES), 100)]
    platforms = [
        Platform.objects.get_or_create(
            slug=f"bench-{names[i].lower().replace(' ', '-')}",
            defaults={"name": f"{names[i]} (bench)"},
        )[0]
        for i in range(shape.platforms)
    ]
    return {DEPARTMENT: departments, PLATFORM: platforms}


def _tags(shape: Shape, rnd: random.Random) -> list[Tag]:
    """Free-form tags: domain words alone and in pairs, as people tag ("linkedin",
    "employee advocacy"), most common first."""
    names: list[str] = []
    seen: set[str] = set()
    candidates = iter(DOMAIN)
    while len(names) < shape.tags:
        name = next(candidates, None) or f"{rnd.choice(DOMAIN)} {rnd.choice(DOMAIN)}"
        slug = f"bench-{name.replace(' ', '-')}"
        if slug not in seen:
            seen.add(slug)
            names.append(name)
    Tag.objects.bulk_create(
        [Tag(name=name, slug=f"bench-{name.replace(' ', '-')}") for name in names],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    by_slug = Tag.objects.filter(slug__startswith="bench-").in_bulk(field_name="slug")
    return [by_slug[f"bench-{name.replace(' ', '-')}"] for name in names]


def _owners(shape: Shape) -> list:
    User = get_user_model()
    User.objects.bulk_create(
        [
            User(
                username=f"bench-owner-{i}",
                first_name=GIVEN[i % len(GIVEN)],
                last_name=f"{FAMILY[(i // len(GIVEN)) % len(FAMILY)]}{i}",
                password="!",  # cannot sign in
            )
            for i in range(shape.owners)
        ],
        batch_size=BATCH,
    )
    return list(User.objects.filter(username__startswith="bench-owner-").order_by("pk"))


def corpus_exists() -> bool:
    return get_user_model().objects.filter(username__startswith="bench-owner-").exists()


def as_autovacuum_leaves_it() -> None:
    """On PostgreSQL, the tables as a live server's autovacuum leaves them soon after a bulk
    load: analyzed, and vacuumed. Autovacuum may be off (it is on CI machines). With no
    statistics the planner takes a large table for a dozen rows; with the dead rows of the
    rebuild and the edit history still in the index tables, each save walks them (figures
    in docs/bench/README.md). VACUUM cannot run inside a
    transaction (a test's): there it only analyzes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def plan(documents: int, owners: int) -> list[tuple[type[models.Model], int]]:
    """How many of each searchable model: one profile-like document per owner for models
    that belong to one user each, the rest shared equally by the registered kinds."""
    per_user = [
        model
        for model in apps.get_models()
        if issubclass(model, Searchable)
        and not issubclass(model, Content)
        and any(
            f.one_to_one and f.related_model is get_user_model()
            for f in model._meta.concrete_fields
        )
    ]
    profiles = min(owners, documents // 10) if per_user else 0
    content = [model for model, _ in kinds()]
    share, extra = divmod(documents - profiles * len(per_user), len(content))
    counts = [(model, share + (1 if i < extra else 0)) for i, model in enumerate(content)]
    return counts + [(model, profiles) for model in per_user]


def _status(rnd: random.Random, now: datetime) -> dict:
    """Mostly published; some drafts, items in review or sent back, unpublished,
    scheduled for later, and some in the trash."""
    roll = rnd.random()
    past = now - timedelta(days=rnd.randint(1, 3650), minutes=rnd.randint(0, 1440))
    if roll < 0.80:
        return {"status": Status.PUBLISHED, "published_at": past}
    if roll < 0.83:
        future = now + timedelta(days=rnd.randint(1, 60), minutes=rnd.randint(0, 1440))
        return {"status": Status.PUBLISHED, "published_at": future}
    if roll < 0.89:
        return {"status": Status.DRAFT, "published_at": None}
    if roll < 0.91:
        return {"status": Status.IN_REVIEW, "published_at": None}
    if roll < 0.92:
        return {"status": Status.CHANGES_REQUESTED, "published_at": None}
    if roll < 0.95:
        return {"status": Status.UNPUBLISHED, "published_at": past}
    return {"status": Status.PUBLISHED, "published_at": past, "deleted_at": now}


def _text_words(values: dict) -> set[str]:
    found: set[str] = set()
    for value in values.values():
        if isinstance(value, str) and " " in value:
            found.update(value.lower().split())
    return found


def generate(shape: Shape, progress: Callable[[int], None] | None = None) -> Generated:
    """Write the corpus (not its index: run `rebuild_search_index` afterwards)."""
    rnd = random.Random(shape.seed)
    words = Words(rnd)
    now = timezone.now()
    document_words: Counter[str] = Counter()
    by_kind: dict[str, int] = {}
    made = 0
    with transaction.atomic():
        reference = _reference_rows(shape)
        tags = _tags(shape, rnd)
        tag_cum = zipf_cumulative(len(tags), 1.0)
        owners = _owners(shape)
        owner_cum = zipf_cumulative(len(owners), 0.8)
        platforms = reference[PLATFORM]
        for model, count in plan(shape.documents, shape.owners):
            filler = Filler(model, words, reference)
            content_type = ContentType.objects.get_for_model(model)
            tag_field = next(
                (f for f in model._meta.get_fields() if isinstance(f, TaggableManager)), None
            )
            platform_fields = [
                f
                for f in model._meta.many_to_many
                if not isinstance(f, TaggableManager) and f.related_model is type(platforms[0])
            ]
            user_field = next(
                (
                    f
                    for f in model._meta.concrete_fields
                    if f.is_relation and f.related_model is get_user_model()
                ),
                None,
            )
            for start in range(0, count, BATCH):
                objects, picked_tags = [], []
                for i in range(start, min(count, start + BATCH)):
                    values = filler.values(made + i)
                    chosen = rnd.choices(tags, cum_weights=tag_cum, k=rnd.randint(1, 5))
                    chosen = list({tag.pk: tag for tag in chosen}.values())
                    if issubclass(model, Content):
                        values.update(
                            title=words.title(),
                            slug=f"bench-{made + i}",
                            version=1,
                            **_status(rnd, now),
                        )
                        owner = rnd.choices(owners, cum_weights=owner_cum)[0]
                        values[f"{model.OWNER_FIELD}_id"] = owner.pk
                    elif user_field is not None:
                        values[user_field.attname] = owners[i % len(owners)].pk
                    seen = _text_words(values)
                    for tag in chosen:
                        seen.update(tag.name.lower().split())
                    if values.get("deleted_at") is None:
                        document_words.update(seen)
                    objects.append(model(**values))
                    picked_tags.append(chosen)
                created = model.objects.bulk_create(objects)
                _relate(created, picked_tags, tag_field, content_type, platform_fields, rnd)
                done = min(count, start + BATCH)
                if progress:
                    progress(made + done)
            by_kind[model._meta.label] = count
            made += count
    broad = _broad_words(document_words, _indexed_count(by_kind))
    description = Description(documents=made, broad=broad)
    description.save()
    return Generated(documents=made, by_kind=by_kind, description=description)


def _indexed_count(by_kind: dict[str, int]) -> int:
    """Documents outside the trash, which is what search holds."""
    total = 0
    for label in by_kind:
        model = apps.get_model(label)
        manager = model.objects if issubclass(model, Content) else model._default_manager
        total += manager.count()
    return total


def _relate(created, picked_tags, tag_field, content_type, platform_fields, rnd) -> None:
    if tag_field is not None:
        through = tag_field.through
        through.objects.bulk_create(
            [
                through(tag=tag, content_type=content_type, object_id=obj.pk)
                for obj, chosen in zip(created, picked_tags, strict=True)
                for tag in chosen
            ],
            batch_size=5 * BATCH,
        )
    for field in platform_fields:
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        choices = list(field.related_model.objects.filter(slug__startswith="bench-"))
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": obj.pk, f"{target}_id": platform.pk})
                for obj in created
                for platform in rnd.sample(choices, rnd.randint(0, min(3, len(choices))))
            ],
            batch_size=5 * BATCH,
        )


def _broad_words(document_words: Counter, documents: int, most: int = 12) -> dict[str, float]:
    """Words in 20–40% of the documents, domain terms first; at a scale too small to have
    any, the words nearest 30%."""
    low, high = BROAD_RANGE
    share = {
        word: count / max(documents, 1)
        for word, count in document_words.items()
        if len(word) >= 4 and word not in STOP_WORDS
    }
    domain = set(DOMAIN)
    inside = sorted(
        (w for w, s in share.items() if low <= s <= high),
        key=lambda w: (w not in domain, abs(share[w] - 0.3), w),
    )
    if len(inside) < 4:
        inside = sorted(share, key=lambda w: (abs(share[w] - 0.3), w))
    return {word: round(share[word], 3) for word in inside[:most]}


def _edited_items() -> list[tuple[type[models.Model], int]]:
    return [
        (model, pk)
        for model, _ in kinds()
        for pk in model.objects.values_list("pk", flat=True).order_by("pk")
    ]


def edit_count(shape: Shape) -> int:
    """How many saves ``edit_history`` makes."""
    return int(sum(model.objects.count() for model, _ in kinds()) * shape.edits)


def edit_history(
    shape: Shape, progress: Callable[[int], None] | None = None, batch: int = 200
) -> int:
    """Edit a share of the items as people do, through each model's own save (new title,
    next version), which tells search to reindex them on commit, a batch per commit.
    Some items are edited many times; returns the number of saves."""
    rnd = random.Random(shape.seed + 1)
    words = Words(rnd)
    items = _edited_items()
    saves = int(len(items) * shape.edits)
    if not items or not saves:
        return 0
    cum = zipf_cumulative(len(items), 0.6)
    order = list(items)
    rnd.shuffle(order)
    chosen = rnd.choices(order, cum_weights=cum, k=saves)
    done = 0
    for start in range(0, saves, batch):
        with transaction.atomic():
            for model, pks in _grouped(chosen[start : start + batch]):
                for item in model.objects.filter(pk__in=pks):
                    for _ in range(pks.count(item.pk)):
                        item.title = words.title()
                        item.version += 1
                        item.save()
        done = min(saves, start + batch)
        if progress:
            progress(done)
    return done


def _grouped(pairs: list[tuple[type, int]]) -> Iterator[tuple[type, list[int]]]:
    by_model: dict[type, list[int]] = {}
    for model, pk in pairs:
        by_model.setdefault(model, []).append(pk)
    yield from by_model.items()
