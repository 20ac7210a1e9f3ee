"""Each content form wraps its fields for editor.js and loads the script."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

EDITOR_SCRIPT = '<script src="/static/js/editor.js" defer></script>'
SHARED = 'data-preview-url="/preview/" data-upload-url="/uploads/images/"'


@pytest.mark.parametrize(
    ("url_name", "contract"),
    [
        (
            "articles:create",
            f'data-markdown-fields="body" {SHARED} '
            'data-autocomplete-fields="related_case_studies related_research" '
            'data-autocomplete-url="/articles/related/"',
        ),
        (
            "casestudies:create",
            f'data-markdown-fields="summary challenge approach outcome" {SHARED}',
        ),
        ("research:create", f'data-markdown-fields="key_finding" {SHARED}'),
    ],
)
def test_a_form_page_declares_its_markdown_fields_for_the_editor(
    advocate_client: Client, url_name: str, contract: str
) -> None:
    response = advocate_client.get(reverse(url_name))

    assertContains(response, f"<div data-editor {contract}>")
    assertContains(response, EDITOR_SCRIPT)
