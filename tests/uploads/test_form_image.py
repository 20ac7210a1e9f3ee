"""Without JavaScript an author still adds an image: the content form has an image field,
checked like the editor's uploads, stored on save and its Markdown added to the text."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.forms import PICK_SEVERAL
from kb.uploads.models import Image
from tests.casestudies.test_pages import form_data as case_study_data
from tests.factories import ArticleFactory
from tests.uploads.images import image_bytes, png_claiming_size

BODY = "## Post weekly\n\nConsistency beats volume."


def png(name: str = "chart.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or image_bytes("PNG"), content_type="image/png")


def article_data(**overrides) -> dict:
    data = {
        "title": "Start small on LinkedIn",
        "summary": "Weekly posts, small team.",
        "body": BODY,
        "tags": "linkedin",
    }
    return {**data, **overrides}


def test_the_form_offers_an_image_field_that_works_without_javascript(
    advocate_client: Client,
) -> None:
    response = advocate_client.get(reverse("articles:create"))
    assertContains(response, "<legend>Image</legend>", html=False)
    assertContains(response, 'name="image-file"', html=False)
    assertContains(response, 'accept="image/jpeg,image/png,image/gif,image/webp"', html=False)
    assertContains(response, 'name="image-alt"', html=False)
    # One Markdown field: nothing to choose.
    assertNotContains(response, 'name="image-field"', html=False)


def test_saving_with_an_image_stores_it_and_adds_its_markdown_to_the_body(
    advocate_client: Client, advocate
) -> None:
    data = article_data(**{"image-file": png(), "image-alt": "Applications [by] month"})
    response = advocate_client.post(reverse("articles:create"), data)
    assert response.status_code == 302
    image = Image.objects.get()
    article = Article.objects.get()
    assert article.body == f"{BODY}\n\n![Applications by month]({image.file.url})"
    assert (image.width, image.height, image.format) == (64, 48, "PNG")
    assert image.uploaded_by == advocate


def test_the_image_goes_at_the_end_of_the_chosen_text(advocate_client: Client) -> None:
    data = case_study_data(
        approach="We posted every vacancy.",
        **{"image-file": png(), "image-alt": "", "image-field": "approach"},
    )
    assert advocate_client.post(reverse("casestudies:create"), data).status_code == 302
    case_study = CaseStudy.objects.get()
    url = Image.objects.get().file.url
    assert case_study.approach == f"We posted every vacancy.\n\n![]({url})"
    assert url not in case_study.summary


def test_an_image_added_when_editing_goes_after_the_text(editor_client: Client) -> None:
    article = ArticleFactory(body="Old text.")
    data = article_data(body="Old text, edited.", base_version=article.version)
    data["image-file"] = png()
    response = editor_client.post(reverse("articles:edit", args=[article.slug]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == f"Old text, edited.\n\n![]({Image.objects.get().file.url})"


def test_a_file_that_is_not_an_image_is_a_form_error_and_keeps_what_was_typed(
    advocate_client: Client,
) -> None:
    data = article_data(**{"image-file": png("notes.png", b"just some text, not a PNG")})
    response = advocate_client.post(reverse("articles:create"), data)
    assert response.status_code == 200
    assertContains(response, "nothing you typed has been lost")
    assertContains(response, "This file is not an image")
    assertContains(response, 'value="Start small on LinkedIn"', html=False)
    assertContains(response, "Consistency beats volume.")
    assert not Article.objects.exists()
    assert not Image.objects.exists()


def test_a_decompression_bomb_is_refused_on_the_form_too(advocate_client: Client) -> None:
    bomb = png("bomb.png", png_claiming_size(100_000, 100_000))
    response = advocate_client.post(
        reverse("articles:create"), article_data(**{"image-file": bomb})
    )
    assert response.status_code == 200
    assertContains(response, "pixels")
    assert not Article.objects.exists()
    assert not Image.objects.exists()


def test_with_other_errors_the_image_is_kept_in_the_text_shown_again(
    advocate_client: Client,
) -> None:
    data = article_data(title="", **{"image-file": png(), "image-alt": "Chart"})
    response = advocate_client.post(reverse("articles:create"), data)
    assert response.status_code == 200
    url = Image.objects.get().file.url
    assertContains(response, "Your image was uploaded and added to the end of “Body”.")
    assertContains(response, f"![Chart]({url})")
    assert not Article.objects.exists()


def test_saving_without_an_image_changes_nothing(advocate_client: Client) -> None:
    advocate_client.post(reverse("articles:create"), article_data())
    assert Article.objects.get().body == BODY
    assert not Image.objects.exists()


def test_the_related_item_pickers_say_how_to_pick_several(advocate_client: Client) -> None:
    response = advocate_client.get(reverse("articles:create"))
    assertContains(response, PICK_SEVERAL, count=2)
