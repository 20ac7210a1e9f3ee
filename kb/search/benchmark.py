"""Search benchmark: a synthetic KB of N documents, timed through the real search page
and the search-as-you-type endpoint.

Used by `manage.py bench_search` (and `make bench`). It prints tables; it asserts nothing.
The corpus draws words from a Zipf-weighted vocabulary — domain terms of social media
adoption mixed with everyday English — so common words match many documents and rare
ones few, as in a real KB.
"""

import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from kb.advocates.models import AdvocateProfile, Department
from kb.articles.models import Article
from kb.casestudies.models import CaseStudy, Sector
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from kb.platforms.models import Platform
from kb.research.models import Kind, ResearchLink
from kb.search.models import IndexEntry

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

TAGS = [
    "recruitment",
    "employee-advocacy",
    "crisis-communication",
    "engagement",
    "accessibility",
    "video",
    "policy",
    "measurement",
    "customer-service",
    "internal-comms",
    "community",
    "public-sector",
    "health",
    "education",
    "retail",
    "training",
    "brand",
    "research",
    "leadership",
    "privacy",
    "analytics",
    "storytelling",
    "volunteering",
    "events",
    "hiring",
]


def _zipf_weights(n: int, s: float = 1.05) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


SYLLABLES = "ka lo mi ne ru ta ve po si da fe gu ho ji ly mo nu pa qe ri so tu vi we xa yo".split()
LONG_TAIL = 8000


class Corpus:
    """Deterministic text generator (seeded).

    Ranks follow Zipf's law: everyday English words first, the domain terms spread over
    ranks 10–2,000 (some very common, most not), then a long tail of rare made-up words,
    about 9,000 distinct words in all, like a real organisation's texts.
    """

    def __init__(self, seed: int = 42) -> None:
        self.random = random.Random(seed)
        tail = set()
        while len(tail) < LONG_TAIL:
            tail.add("".join(self.random.choices(SYLLABLES, k=self.random.randint(2, 4))))
        words = ENGLISH + sorted(tail)
        for term in DOMAIN:
            words.insert(self.random.randint(10, 2000), term)
        self.words = words
        weights = _zipf_weights(len(words))
        total = 0.0
        self.cum = []
        for weight in weights:
            total += weight
            self.cum.append(total)

    def text(self, low: int, high: int) -> str:
        count = self.random.randint(low, high)
        return " ".join(self.random.choices(self.words, cum_weights=self.cum, k=count))

    def title(self) -> str:
        return self.text(4, 9).capitalize()


def generate(n: int, progress: Callable[[int], None] | None = None, seed: int = 42) -> None:
    """Create n published documents of every type (40% articles, 25% case studies, 25%
    research, 10% advocates) with tags and platforms, in bulk."""
    corpus = Corpus(seed)
    rnd = corpus.random
    now = datetime(2026, 11, 1, tzinfo=UTC)
    User = get_user_model()
    with transaction.atomic():
        departments = [
            Department.objects.get_or_create(
                slug=f"bench-dept-{i}", defaults={"name": f"Bench {i}"}
            )[0]
            for i in range(8)
        ]
        platforms = [
            Platform.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
            for slug in ("linkedin", "instagram", "facebook", "youtube", "tiktok", "mastodon")
        ]
        tags = [
            Tag.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ")})[0]
            for slug in TAGS
        ]
        n_adv = n // 10
        first_user = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        User.objects.bulk_create(
            [
                User(
                    username=f"bench{first_user + i}",
                    first_name=corpus.title().split()[0],
                    last_name="Bench",
                )
                for i in range(n_adv)
            ],
            batch_size=2000,
        )
        users = list(User.objects.filter(username__startswith="bench").order_by("-pk")[:n_adv])
        author = users[0] if users else User.objects.create(username=f"bench-author-{first_user}")
        plan = [(Article, int(n * 0.4)), (CaseStudy, n // 4), (ResearchLink, n // 4)]
        made = 0

        def when() -> datetime:
            return now - timedelta(days=rnd.randint(0, 3650), minutes=rnd.randint(0, 1440))

        tagged: list[TaggedItem] = []
        for model, count in plan:
            content_type = ContentType.objects.get_for_model(model)
            for start in range(0, count, 2000):
                batch = []
                for i in range(start, min(count, start + 2000)):
                    common = {
                        "title": corpus.title(),
                        "slug": f"bench-{made + i}",
                        "status": Status.PUBLISHED,
                        "published_at": when(),
                    }
                    if model is Article:
                        batch.append(
                            Article(
                                **common,
                                summary=corpus.text(15, 35),
                                body=corpus.text(150, 600),
                                author=author,
                            )
                        )
                    elif model is CaseStudy:
                        batch.append(
                            CaseStudy(
                                **common,
                                organisation=corpus.title(),
                                sector=rnd.choice(Sector.values),
                                summary=corpus.text(20, 40),
                                challenge=corpus.text(50, 150),
                                approach=corpus.text(50, 150),
                                outcome=corpus.text(50, 150),
                                year=rnd.randint(2012, 2026),
                                evidence_level=rnd.choice(EvidenceLevel.values),
                            )
                        )
                    else:
                        batch.append(
                            ResearchLink(
                                **common,
                                url=f"https://bench.example.org/{made + i}",
                                normalized_url=f"https://bench.example.org/{made + i}",
                                publisher=corpus.title(),
                                kind=rnd.choice(Kind.values),
                                key_finding=corpus.text(20, 60),
                            )
                        )
                created = model.objects.bulk_create(batch)
                for obj in created:
                    for tag in rnd.sample(tags, rnd.randint(1, 4)):
                        tagged.append(
                            TaggedItem(tag=tag, content_type=content_type, object_id=obj.pk)
                        )
                    if model is CaseStudy:
                        obj._bench_platforms = rnd.sample(platforms, rnd.randint(1, 3))
                if model is CaseStudy:
                    through = CaseStudy.platforms.through
                    through.objects.bulk_create(
                        [
                            through(casestudy_id=obj.pk, platform_id=p.pk)
                            for obj in created
                            for p in obj._bench_platforms
                        ]
                    )
                TaggedItem.objects.bulk_create(tagged, batch_size=5000)
                tagged = []
                if progress:
                    progress(made + min(count, start + 2000))
            made += count
        profile_type = ContentType.objects.get_for_model(AdvocateProfile)
        profiles = AdvocateProfile.objects.bulk_create(
            [
                AdvocateProfile(
                    user=user,
                    department=rnd.choice(departments),
                    job_title=corpus.title(),
                    bio=corpus.text(40, 120),
                )
                for user in users
            ],
            batch_size=2000,
        )
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(tag=tag, content_type=profile_type, object_id=p.pk)
                for p in profiles
                for tag in rnd.sample(tags, rnd.randint(1, 3))
            ],
            batch_size=5000,
        )


@dataclass
class Timing:
    name: str
    samples: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def row(self) -> tuple[str, int, float, float, float, float]:
        ordered = sorted(self.samples)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        return (
            self.name,
            len(ordered),
            statistics.median(ordered) * 1000,
            p95 * 1000,
            ordered[-1] * 1000,
            statistics.mean(self.queries) if self.queries else 0,
        )


def query_mix(seed: int = 7) -> dict[str, list[dict]]:
    """The fixed mix of searches: (class → list of GET parameters)."""
    rnd = random.Random(seed)
    domain = [w for w in DOMAIN if len(w) >= 6]

    def typo(word: str) -> str:
        i = rnd.randint(1, len(word) - 2)
        return (
            word[:i] + word[i + 1 :]
            if rnd.random() < 0.5
            else word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        )

    pick = lambda k: rnd.sample(domain, k)  # noqa: E731
    return {
        "single word": [{"q": w} for w in pick(20)],
        "two words": [{"q": " ".join(pick(2))} for _ in range(20)],
        "phrase": [{"q": f'"{a} {b}"'} for a, b in (pick(2) for _ in range(10))],
        "exclusion": [{"q": f"{a} -{b}"} for a, b in (pick(2) for _ in range(10))],
        "OR": [{"q": f"{a} OR {b}"} for a, b in (pick(2) for _ in range(10))],
        "typo": [{"q": typo(w)} for w in pick(20)],
        "facets": [
            {
                "q": w,
                "tag": rnd.choice(TAGS),
                "type": rnd.choice(["article", "casestudy", "research"]),
            }
            for w in pick(20)
        ],
        "newest": [{"q": w, "sort": "newest"} for w in pick(10)],
    }


def naive_search(params: dict, per_page: int = 20) -> int:
    """The baseline: icontains on every text column for every word, newest first."""
    condition = Q(is_published=True)
    for word in params["q"].replace('"', " ").split():
        if word.startswith("-") or word == "OR":
            continue
        condition &= (
            Q(title__icontains=word)
            | Q(keywords__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
        )
    queryset = IndexEntry.objects.filter(condition)
    if "type" in params:
        queryset = queryset.filter(doc_type=params["type"])
    if "tag" in params:
        queryset = queryset.filter(facets__name="tag", facets__value=params["tag"])
    total = queryset.count()
    list(queryset.order_by("-published_at")[:per_page])
    return total


def suggest_mix(seed: int = 11) -> dict[str, list[dict]]:
    """What the header's box sends as someone types: (class → list of GET parameters).
    Short prefixes have many completions, each a broad word."""
    rnd = random.Random(seed)
    domain = [w for w in DOMAIN if len(w) >= 6]
    return {
        "2 letters": [{"q": w[:2]} for w in rnd.sample(domain, 10)],
        "3 letters": [{"q": w[:3]} for w in rnd.sample(domain, 20)],
        "5 letters": [{"q": w[:5]} for w in rnd.sample(domain, 20)],
        "word + prefix": [
            {"q": f"{a} {b[:3]}"} for a, b in (rnd.sample(domain, 2) for _ in range(10))
        ],
        "no such word": [{"q": f"zq{w[:3]}"} for w in rnd.sample(domain, 10)],
    }


def _timed(client: Client, url: str, mix: dict[str, list[dict]], rounds: int) -> Iterator:
    """(class name, its Timing, the parameters) after timing each request ``rounds`` times."""
    for name, searches in mix.items():
        timing = Timing(name)
        for params in searches:
            client.get(url, params)  # warm caches for this query once
            for _ in range(rounds):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url, params)
                    timing.samples.append(time.perf_counter() - started)
                assert response.status_code == 200
                timing.queries.append(len(captured))
        yield name, timing, searches


def run(client: Client, rounds: int = 1) -> tuple[list[Timing], list[Timing]]:
    ours, naive = [], []
    for name, timing, searches in _timed(client, reverse("search:results"), query_mix(), rounds):
        baseline = Timing(name)
        for params in searches:
            started = time.perf_counter()
            naive_search(params)
            baseline.samples.append(time.perf_counter() - started)
        ours.append(timing)
        naive.append(baseline)
    return ours, naive


def run_suggest(client: Client, rounds: int = 1) -> list[Timing]:
    url = reverse("search:suggest")
    return [timing for _, timing, _ in _timed(client, url, suggest_mix(), rounds)]
