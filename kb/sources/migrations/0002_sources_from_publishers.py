"""Make the source register from the free-text publisher fields of research and case studies.

One source per publisher, grouping spellings that differ only in case or spacing and naming
it by the most common spelling; a domain seen in the URLs of exactly one publisher's items is
attached to that source (one shared by several publishers, or a host where anyone
publishes such as youtube.com, is left for editors). Every item gets its publisher's source, or the source of its URL's domain when it
names no publisher. Publisher texts are not touched, so nothing is lost and the reverse only
unlinks the items. Items in the trash count too (hence the base managers, which see every
row). Carries its own logic: the live matching code may change.
"""

from collections import Counter, defaultdict
from urllib.parse import urlsplit

from django.db import migrations
from django.utils.text import slugify

# Hosts where anyone publishes: one publisher's use of them in the KB so far says nothing
# about the next link to them, so they are never attached by this migration.
SHARED_HOSTS = {
    "youtube.com", "youtu.be", "vimeo.com", "medium.com", "substack.com", "linkedin.com",
    "x.com", "twitter.com", "facebook.com", "instagram.com", "tiktok.com", "github.com",
    "github.io", "wordpress.com", "blogspot.com", "slideshare.net", "docs.google.com",
    "drive.google.com", "dropbox.com", "bit.ly", "archive.org", "doi.org",
}

# (app label, model, URL field) of every model with a free-text publisher.
PUBLISHED_MODELS = [("research", "ResearchLink", "url"), ("casestudies", "CaseStudy", "source_url")]


def publisher_key(text):
    return " ".join((text or "").split()).casefold()


def url_domain(url):
    try:
        host = urlsplit((url or "").strip()).hostname or ""
    except ValueError:
        return None
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host if "." in host else None


def free_slug(Source, name):
    base = slugify(name)[:190].strip("-") or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def sources_from_publishers(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    SourceDomain = apps.get_model("sources", "SourceDomain")
    models = [(apps.get_model(app, name), field) for app, name, field in PUBLISHED_MODELS]

    spellings = defaultdict(Counter)  # publisher key -> spelling -> items
    items = defaultdict(list)  # publisher key -> [(model, pk)]
    publishers_of_domain = defaultdict(set)
    unnamed = []  # (model, pk, domain) of items with a URL but no publisher
    for model, field in models:
        for pk, publisher, url in model._base_manager.values_list("pk", "publisher", field):
            key, domain = publisher_key(publisher), url_domain(url)
            if key:
                spellings[key][" ".join(publisher.split())] += 1
                items[key].append((model, pk))
                if domain:
                    publishers_of_domain[domain].add(key)
            elif domain:
                unnamed.append((model, pk, domain))

    source_of_key = {}
    for key, counts in spellings.items():
        name = counts.most_common(1)[0][0]
        source = Source.objects.filter(name__iexact=name).first()
        if source is None:
            source = Source.objects.create(name=name, slug=free_slug(Source, name))
        source_of_key[key] = source
        by_model = defaultdict(list)
        for model, pk in items[key]:
            by_model[model].append(pk)
        for model, pks in by_model.items():
            model._base_manager.filter(pk__in=pks).update(source=source)

    for domain, keys in publishers_of_domain.items():
        shared = any(domain == host or domain.endswith(f".{host}") for host in SHARED_HOSTS)
        if shared or len(keys) != 1 or SourceDomain.objects.filter(domain=domain).exists():
            continue
        SourceDomain.objects.create(source=source_of_key[next(iter(keys))], domain=domain)

    registered = dict(SourceDomain.objects.values_list("domain", "source_id"))
    for model, pk, domain in unnamed:
        if domain in registered:
            model._base_manager.filter(pk=pk).update(source_id=registered[domain])


def unlink_items(apps, schema_editor):
    for app, name, _field in PUBLISHED_MODELS:
        apps.get_model(app, name)._base_manager.update(source=None)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_initial"),
        ("research", "0004_researchlink_source"),
        ("casestudies", "0004_casestudy_source"),
    ]

    operations = [migrations.RunPython(sources_from_publishers, unlink_items)]
