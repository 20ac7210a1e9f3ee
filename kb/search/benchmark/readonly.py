"""The read-only benchmark: a fixed mix of searches through the search page, in process
(so each search's statements can be counted), against a naive baseline in the same run.

The mix has the classes people type — one or two domain words, a phrase, an exclusion,
an OR, a typo, facet filters, newest first — and the broad ones: words that each appear
in 20–40% of the documents, alone, two of them together, and two of them ORed.
"""

import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.managers import TaggableManager

from kb.core.models import TaggedItem
from kb.core.registry import kinds
from kb.search import matches as match_cache
from kb.search import pages as search_pages
from kb.search.benchmark.corpus import DOMAIN, Description


@dataclass
class Timing:
    """Samples (seconds) of one class of requests, and the statements each cost."""

    name: str
    samples: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.samples)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) if self.samples else 0.0

    @property
    def worst(self) -> float:
        return max(self.samples, default=0.0)

    @property
    def mean_queries(self) -> float:
        return statistics.mean(self.queries) if self.queries else 0.0

    def add(self, other: "Timing") -> None:
        self.samples += other.samples
        self.queries += other.queries


def query_mix(description: Description, seed: int = 7) -> dict[str, list[dict]]:
    """The fixed mix of searches: class → list of the search page's GET parameters."""
    rnd = random.Random(seed)
    domain = [w for w in DOMAIN if len(w) >= 6]
    broad = sorted(description.broad)
    type_names = [model.SEARCH_TYPE[0] for model, _ in kinds() if hasattr(model, "SEARCH_TYPE")]

    def typo(word: str) -> str:
        i = rnd.randint(1, len(word) - 2)
        return (
            word[:i] + word[i + 1 :]
            if rnd.random() < 0.5
            else word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        )

    def pick(k: int, words: list[str] = domain) -> list[str]:
        return rnd.sample(words, min(k, len(words)))

    def pairs(count: int, words: list[str]) -> Iterator[list[str]]:
        for _ in range(count):
            yield pick(2, words)

    tags = [f"bench-{w}" for w in DOMAIN[:40]]  # the most common tags
    return {
        "single word": [{"q": w} for w in pick(20)],
        "two words": [{"q": " ".join(p)} for p in pairs(20, domain)],
        "phrase": [{"q": f'"{a} {b}"'} for a, b in pairs(10, domain)],
        "exclusion": [{"q": f"{a} -{b}"} for a, b in pairs(10, domain)],
        "OR": [{"q": f"{a} OR {b}"} for a, b in pairs(10, domain)],
        "typo": [{"q": typo(w)} for w in pick(20)],
        "facets": [
            {"q": w, "tag": rnd.choice(tags), "type": rnd.choice(type_names)} for w in pick(20)
        ],
        "newest": [{"q": w, "sort": "newest"} for w in pick(10)],
        "broad word": [{"q": w} for w in broad],
        "broad AND": [{"q": " ".join(p)} for p in pairs(10, broad) if len(p) == 2],
        "broad OR": [{"q": f"{a} OR {b}"} for a, b in (p for p in pairs(10, broad) if len(p) == 2)],
    }


def suggest_mix(seed: int = 11) -> dict[str, list[dict]]:
    """What the header's box sends as someone types: class → list of GET parameters.
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


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not isinstance(f, models.URLField)
        and f.name not in {"slug", "status"}
    ]


def naive_search(params: dict, per_page: int = 20) -> tuple[int, list]:
    """The baseline a KB without a search index would have: `icontains` on every text
    field and tag of every published item of every kind, every word required, newest
    first; the count and the first page (the publication dates of its items)."""
    words = [
        w for w in params["q"].replace('"', " ").split() if not w.startswith("-") and w != "OR"
    ]
    total, page = 0, []
    for model, _ in kinds():
        if "type" in params and getattr(model, "SEARCH_TYPE", ("",))[0] != params["type"]:
            continue
        tag_field = next(
            (f for f in model._meta.get_fields() if isinstance(f, TaggableManager)), None
        )
        content_type = ContentType.objects.get_for_model(model)
        tagged = TaggedItem.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        queryset = model.objects.published()
        for word in words:
            condition = Q()
            for name in _text_fields(model):
                condition |= Q(**{f"{name}__icontains": word})
            if tag_field is not None:
                condition |= Exists(tagged.filter(tag__name__icontains=word))
            queryset = queryset.filter(condition)
        if "tag" in params:
            queryset = queryset.filter(Exists(tagged.filter(tag__slug=params["tag"])))
        total += queryset.count()
        page += queryset.order_by("-published_at").values_list("published_at", flat=True)[:per_page]
    return total, sorted(page, reverse=True)[:per_page]


def _timed(
    client: Client,
    url: str,
    mix: dict[str, list[dict]],
    rounds: int,
    per_class: int | None,
    first_time: bool = False,
) -> Iterator:
    """(class name, its Timing, the parameters) after timing each request ``rounds`` times
    (the first ``per_class`` requests of each class, if given). ``first_time``: each as a
    query the process has not matched before (kb.search.matches forgotten each time)."""
    for name, searches in mix.items():
        searches = searches[:per_class]
        timing = Timing(name)
        for params in searches:
            client.get(url, params)  # warm caches for this query once
            for _ in range(rounds):
                if first_time:
                    match_cache.forget()
                    search_pages.forget()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url, params)
                    timing.samples.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} {params} answered {response.status_code}")
                timing.queries.append(len(captured))
        yield name, timing, searches


def run(
    client: Client,
    description: Description,
    rounds: int = 1,
    per_class: int | None = None,
    baseline_per_class: int | None = None,
    first_time: bool = False,
) -> list[tuple[Timing, Timing]]:
    """Each class of the mix through the search page, and the naive baseline of it (of
    its first ``baseline_per_class`` searches, if given, none with 0: a naive search
    reads every text of every item, a minute each on PostgreSQL at 100,000 documents)."""
    url = reverse("search:results")
    results = []
    mix = query_mix(description)
    for name, timing, searches in _timed(client, url, mix, rounds, per_class, first_time):
        baseline = Timing(name)
        for params in searches[:baseline_per_class]:
            started = time.perf_counter()
            naive_search(params)
            baseline.samples.append(time.perf_counter() - started)
        results.append((timing, baseline))
    return results


def run_suggest(client: Client, rounds: int = 1, per_class: int | None = None) -> list[Timing]:
    url = reverse("search:suggest")
    return [timing for _, timing, _ in _timed(client, url, suggest_mix(), rounds, per_class)]
