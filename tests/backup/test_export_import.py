"""`export_kb` and `import_kb`: the whole KB goes from one database engine to the other
with nothing lost, and an import that cannot be complete imports nothing."""

import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from kb.articles.models import Article
from kb.platforms.models import Platform
from kb.search.models import IndexEntry
from tests.backup.tables import COMMAND as PROBE
from tests.backup.tables import media_fingerprints, table_fingerprints
from tests.backup.world import SEARCH_WORD, build_world, png
from tests.factories import ArticleFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE_POSTGRES = "postgres://postgres@127.0.0.1:5432/kb"


# --- the other database and the other process ----------------------------------------


def _postgres_server_url() -> str:
    """The PostgreSQL server of the run: the database under test, else the one `make
    test` uses."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return os.environ.get("TEST_DATABASE_URL") or MAKEFILE_POSTGRES


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def throwaway_postgres() -> Iterator[Callable[[str], str]]:
    """Makes empty PostgreSQL databases `<name>_roundtrip_<pid>_<suffix>` on the run's
    server, dropped afterwards. Without a server the test is skipped, and fails under CI."""
    import psycopg

    server = _postgres_server_url()
    prefix = (urlsplit(server).path.strip("/") or "kb").removeprefix("test_")
    try:
        admin = psycopg.connect(_with_database(server, "postgres"), autocommit=True)
    except psycopg.OperationalError as error:
        reason = f"the round trip through PostgreSQL needs a server at {server}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    made = []

    def make(suffix: str) -> str:
        name = f"{prefix}_roundtrip_{os.getpid()}_{suffix}"
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return _with_database(server, name)

    yield make
    for name in made:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def kb_process(database_url: str, media: Path, *args: str) -> str:
    """Run the KB (tests' settings, so the test-only kind of content is there too) on
    another database and media folder; its output, or the test fails with its errors."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_REPLICA_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        DEBUG="true",  # static files as they are, without collectstatic
        ALLOWED_HOSTS="testserver",
    )
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def differences(expected: dict, found: dict) -> list[str]:
    lines = []
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            lines.append(f"{table}: expected {expected.get(table)}, found {found.get(table)}")
    return lines


# --- the round trip -------------------------------------------------------------------


def test_the_whole_kb_moves_to_the_other_engine_with_nothing_lost(
    editor, advocate, reader, media_root, tmp_path, throwaway_postgres
) -> None:
    """SQLite → PostgreSQL in the SQLite run of the suite, PostgreSQL → SQLite in the
    PostgreSQL run: between them both engines export and both import."""
    world = build_world(editor=editor, advocate=advocate, reader=reader)
    expected = {"tables": table_fingerprints(), "media": media_fingerprints()}
    # Tags live in the KB's own table (core.TaggedItem, bigint keys); taggit's stays empty.
    unused = {"taggit_taggeditem"}
    empty = [t for t, (rows, _) in expected["tables"].items() if not rows and t not in unused]
    assert not empty, f"the world leaves these tables empty, so they go untested: {empty}"
    assert len(expected["media"]) == 2  # a profile photo and an uploaded image

    archive = tmp_path / "kb.tar.gz"
    out = io.StringIO()
    call_command("export_kb", str(archive), stdout=out)
    assert "Exported" in out.getvalue()

    other = (
        throwaway_postgres("restored")
        if connection.vendor == "sqlite"
        else f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    )
    media = tmp_path / "restored-media"
    kb_process(other, media, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0")
    assert "Imported" in kb_process(other, media, "manage.py", "import_kb", str(archive))
    probe = (world.reader_username, SEARCH_WORD, world.article.get_absolute_url())
    found = json.loads(kb_process(other, media, "-c", PROBE, *probe))

    report = [
        f"{part}: {line}"
        for part in ("tables", "media")
        for line in differences(expected[part], found[part])
    ]
    assert not report, "\n".join(report)
    seen = found["probe"]
    # The hit links to the article (its title is highlighted, so split by tags).
    assert seen["search_status"] == 200
    assert f'href="{world.article.get_absolute_url()}"' in seen["search_html"]
    assert seen["page_status"] == 200 and world.article.title in seen["page_html"]
    assert seen["created_id"] > max(Platform.objects.values_list("pk", flat=True))


# --- refusals -------------------------------------------------------------------------


def rewritten(
    archive: Path,
    out: Path,
    manifest: Callable[[dict], None] = lambda manifest: None,
    rows: Callable[[str, list[dict]], None] = lambda name, rows: None,
) -> Path:
    """A copy of ``archive`` whose manifest and rows (by file name) the callables changed."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                content = json.loads(data)
                manifest(content)
                data = json.dumps(content).encode()
            elif member.name.startswith("data/"):
                records = [json.loads(line) for line in data.splitlines()]
                rows(member.name, records)
                data = b"".join(json.dumps(record).encode() + b"\n" for record in records)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return out


def test_it_refuses_a_database_that_is_not_empty(reader, tmp_path, media_root) -> None:
    archive = tmp_path / "kb.tar.gz"
    call_command("export_kb", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"not empty \(it has 1 user\b.*migrate.*Nothing"):
        call_command("import_kb", str(archive))
    assert get_user_model().objects.count() == 1


def test_it_refuses_an_archive_from_a_newer_schema(tmp_path, media_root) -> None:
    archive = tmp_path / "kb.tar.gz"
    call_command("export_kb", str(archive), stdout=io.StringIO())
    newer = rewritten(
        archive,
        tmp_path / "newer.tar.gz",
        manifest=lambda manifest: manifest["migrations"].append(
            ["articles", "9999_from_the_future"]
        ),
    )
    with pytest.raises(CommandError, match="newer version of the KB.*articles.9999_from"):
        call_command("import_kb", str(newer))


def test_it_refuses_a_file_that_is_not_an_archive(tmp_path) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("not an archive")
    with pytest.raises(CommandError, match=f"Cannot read {bogus}"):
        call_command("import_kb", str(bogus))


def test_an_import_that_fails_part_way_leaves_nothing_behind(tmp_path, media_root) -> None:
    """An archive whose article names an author it does not hold, and one whose article
    table does not read back as archived once loaded: neither leaves a user, an article,
    an index entry nor a media file behind. The undamaged archive then imports."""
    archive = tmp_path / "kb.tar.gz"
    with transaction.atomic():
        kim = UserFactory(username="kim")
        ArticleFactory(author=kim, title="Kept only in the archive")
        default_storage.save("images/kim.png", ContentFile(png("green")))
        call_command("export_kb", str(archive), stdout=io.StringIO())
        default_storage.delete("images/kim.png")
        transaction.set_rollback(True)
    assert get_user_model().objects.count() == 0

    def unknown_author(name: str, rows: list[dict]) -> None:
        if name == "data/articles.article.jsonl":
            rows[0]["fields"]["author"] = ["nobody"]

    def wrong_hash(manifest: dict) -> None:
        manifest["tables"]["articles.article"]["sha256"] = "0" * 64

    damages = {
        "do not load here": rewritten(archive, tmp_path / "a.tar.gz", rows=unknown_author),
        "articles.article does not read back": rewritten(
            archive, tmp_path / "b.tar.gz", manifest=wrong_hash
        ),
    }
    for message, damaged in damages.items():
        with pytest.raises(CommandError, match=message) as refusal:
            call_command("import_kb", str(damaged), stdout=io.StringIO())
        assert "Nothing was imported" in str(refusal.value)
        assert get_user_model().objects.count() == 0
        assert not Article.objects.exists() and not IndexEntry.objects.exists()
        assert not default_storage.exists("images/kim.png")

    call_command("import_kb", str(archive), stdout=io.StringIO())
    assert Article.objects.get().title == "Kept only in the archive"
    assert default_storage.exists("images/kim.png")
    assert IndexEntry.objects.filter(title="Kept only in the archive").exists()
