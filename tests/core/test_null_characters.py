"""A NUL character in an address or a query is a bad request (400), never a 500: PostgreSQL
refuses it in any statement, whichever view would pass it on."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "url",
    [
        "/advocates/a%00b/",
        "/tags/suggest/?q=a%00b",
        "/case-studies/a%00b/",
        "/search/?q=linked%00in",
        "/case-studies/?tag=a%00b",
        "/articles/?a%00b=1",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(reader_client: Client, url: str) -> None:
    response = reader_client.get(url)
    assert response.status_code == 400
    assert b"Bad request" in response.content or b"bad request" in response.content.lower()


def test_an_ordinary_address_is_unaffected(reader_client: Client) -> None:
    assert reader_client.get("/search/?q=linkedin").status_code == 200
