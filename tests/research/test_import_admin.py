"""The admin's import page: upload → dry-run report → confirm, for staff who may add
research only; a bad file is a clear message, never a 500."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from kb.core.models import Status
from kb.research.models import ResearchLink
from tests.factories import ResearchLinkFactory, UserFactory
from tests.research.test_citations_import import BIBTEX, GOOD_CSV_ROW, csv_rows

IMPORT_URL = reverse("admin:research_researchlink_import")


def upload(client: Client, content: bytes, name: str = "refs.bib", fmt: str = "auto"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content), "format": fmt})


def test_the_changelist_links_to_the_import_page(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:research_researchlink_changelist"))
    assertContains(response, f'href="{IMPORT_URL}"')


def test_an_editor_previews_then_confirms_an_import(editor_client: Client, editor) -> None:
    ResearchLinkFactory(url="https://known.example.org/report")
    ResearchLinkFactory(url="https://elsewhere.example.org/known", doi="10.5555/known.1")
    response = upload(editor_client, BIBTEX.encode())
    assert response.status_code == 200
    assertContains(response, "4 records: 1 new, 3 duplicate, 0 invalid.")
    assertContains(response, "same URL as line 2")
    assert ResearchLink.all_objects.count() == 2, "the preview writes nothing"

    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields} | {"confirm": "1"}
    response = editor_client.post(IMPORT_URL, data)
    changelist = reverse("admin:research_researchlink_changelist")
    assertRedirects(response, f"{changelist}?status__exact=draft")
    imported = ResearchLink.all_objects.get(doi="10.5555/new.1")
    assert (imported.status, imported.added_by) == (Status.DRAFT, editor)


def test_a_file_with_an_invalid_record_offers_no_confirm(editor_client: Client) -> None:
    rows = [GOOD_CSV_ROW.format(n=n) for n in range(1, 6)]
    response = upload(
        editor_client,
        csv_rows(*rows, "https://x.example.org,Bad,P,,2021-02-30,survey,F,,"),
        "a.csv",
    )
    assertContains(response, "Nothing was imported: 1 record(s) are invalid.")
    assertContains(response, "<td>7</td><td>invalid</td>", html=False)
    assert "confirm_form" not in response.context


def test_a_tampered_confirm_is_read_again_and_refused(editor_client: Client) -> None:
    response = editor_client.post(
        IMPORT_URL, {"confirm": "1", "content": "not base64!", "format": "auto"}
    )
    assertContains(response, "The file was lost on the way")
    response = editor_client.post(
        IMPORT_URL, {"confirm": "1", "content": "AAECAw==", "format": "auto", "filename": "x.bib"}
    )
    assertContains(response, "Nothing was imported: this is a binary file")
    assert not ResearchLink.all_objects.exists()


def test_hostile_files_answer_with_a_clear_message(editor_client: Client, settings) -> None:
    settings.KB_IMPORT_MAX_BYTES = 2048
    for content, name, message in [
        (b"x" * 4096, "big.csv", "The file is larger than 2 KB"),
        (bytes(range(256)), "junk.bib", "this is a binary file"),
        ("@misc{a, title={Café}}".encode("cp1252"), "x.bib", "not UTF-8"),
        (b"@misc{a, title = {open", "x.bib", "not valid BibTeX"),
    ]:
        response = upload(editor_client, content, name)
        assert response.status_code == 200
        assertContains(response, message)
    response = editor_client.post(IMPORT_URL, {"format": "nonsense"})
    assertContains(response, "This field is required")
    assert not ResearchLink.all_objects.exists()


def test_staff_without_add_permission_are_refused(db) -> None:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, BIBTEX.encode()).status_code == 403
    assert not ResearchLink.all_objects.exists()


def test_non_staff_are_sent_to_sign_in(advocate_client: Client) -> None:
    response = advocate_client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_upload_needs_a_csrf_token(editor) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert upload(client, BIBTEX.encode()).status_code == 403
