"""The demo brings a board brief and a learning path for new advocates, made from the demo
content, with the demo reader part-way along the path; loading it again adds nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from pytest_django.asserts import assertContains

from kb.collections import demo
from kb.collections.models import Collection, Kind, PathProgress
from kb.experiments import demo as experiments_demo


def test_the_demo_has_a_board_brief_and_a_path_for_new_advocates(db) -> None:
    call_command("loaddata", "demo", verbosity=0)
    experiments_demo.load()
    loaded = demo.load()
    brief = next(c for c in loaded if c.kind == Kind.BRIEF)
    path = next(c for c in loaded if c.kind == Kind.PATH)
    assert brief.audience.slug == "board-and-executives"
    assert path.audience.slug == "staff"
    for collection in loaded:
        spec = next(s for s in demo.COLLECTIONS if s["title"] == collection.title)
        assert collection.items.count() == len(spec["items"])  # every item found
        assert collection.is_published
    progress = PathProgress.objects.get(collection=path)
    assert progress.reader.username == demo.DEMO_READER
    assert progress.share_name
    assert progress.steps.count() == 2
    assert demo.load() == []
    assert Collection.objects.count() == 2


def test_the_demo_brief_shows_its_headline_figures(db) -> None:
    call_command("loaddata", "demo", verbosity=0)
    experiments_demo.load()
    demo.load()
    client = Client()
    client.force_login(get_user_model().objects.get(username="reader"))
    response = client.get(Collection.objects.get(kind=Kind.BRIEF).get_absolute_url())
    assertContains(response, "Cost per hire:</strong> £1,200 → £900, −25%")
