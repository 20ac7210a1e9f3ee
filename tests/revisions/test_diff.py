"""Comparing two revisions: only the changed fields, words struck out and inserted, lists
line by line, everything escaped; bad input goes back to the history, never a 500."""

import datetime

import pytest
from django.test import Client
from pytest_django.asserts import (
    assertContains,
    assertNotContains,
    assertRedirects,
    assertTemplateUsed,
)

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from kb.research.models import ResearchLink
from kb.revisions.diff import CONTEXT, Chunk, FieldChange, compare
from tests.factories import ArticleFactory
from tests.revisions.helpers import (
    article_form,
    case_study_form,
    compare_url,
    history_url,
    save_edit,
    write_article,
    write_case_study,
)

BODY = "Post once a week. Reply to every comment."
CHOOSE_TWO = "Choose two revisions to compare."
ROW_1 = [
    "name: Applications per vacancy",
    "value before: 14.00",
    "unit: applications",
    "period: 6 months",
    "lower is better: False",
    "headline: False",
    "position: 0",
]
ROW_2 = [
    "name: Cost per hire",
    "value after: 900.00",
    "unit: £",
    "lower is better: False",
    "headline: False",
    "position: 1",
]


@pytest.fixture
def article(advocate_client: Client, editor) -> Article:
    """A published article written on the site (revision 1), its body then edited (2)."""
    article = write_article(
        advocate_client,
        publisher=editor,
        title="Posting habits",
        body=BODY,
        tags="habits, linkedin",
    )
    save_edit(advocate_client, article, article_form(article, body=BODY.replace("once", "twice")))
    return article


def changes_on(response) -> dict[str, FieldChange]:
    return {change.name: change for change in response.context["changes"]}


# The compare page -----------------------------------------------------------------------


def test_removed_words_are_struck_out_and_added_words_highlighted(
    advocate_client: Client, article: Article
) -> None:
    response = advocate_client.get(compare_url(article, "from=1&to=2"))
    assertTemplateUsed(response, "revisions/compare.html")
    assertContains(response, "Revision 1 → revision 2")
    assertContains(response, "<del>once</del><ins>twice</ins>")
    assertContains(response, "<span>Post </span>")


def test_only_the_changed_fields_are_shown(advocate_client: Client, article: Article) -> None:
    response = advocate_client.get(compare_url(article, "from=1&to=2"))
    assertContains(response, "<dt>Body</dt>")
    for unchanged in ("Title", "Summary", "Tags"):
        assertNotContains(response, f"<dt>{unchanged}</dt>")
    assert list(changes_on(response)) == ["body"]


def test_the_revisions_may_be_given_in_either_order(
    advocate_client: Client, article: Article
) -> None:
    response = advocate_client.get(compare_url(article, "from=2&to=1"))
    assertContains(response, "Revision 1 → revision 2")
    assertContains(response, "<del>once</del><ins>twice</ins>")


def test_comparing_a_revision_with_itself_shows_no_differences(
    advocate_client: Client, article: Article
) -> None:
    assertContains(
        advocate_client.get(compare_url(article, "from=2&to=2")), "No differences in the content."
    )


def test_the_owner_may_restore_the_older_revision_from_the_compare_page(
    advocate_client: Client, article: Article
) -> None:
    response = advocate_client.get(compare_url(article, "from=1&to=2"))
    assertContains(response, "Restore revision 1")
    assertNotContains(response, "Restore revision 2")


def test_html_typed_into_a_body_is_shown_escaped_never_run(
    advocate_client: Client, article: Article
) -> None:
    save_edit(
        advocate_client,
        article,
        article_form(article, title="<b>Bold</b> habits", body=BODY + " <script>alert(1)</script>"),
    )
    response = advocate_client.get(compare_url(article, "from=2&to=3"))
    assertContains(response, "<ins> &lt;script&gt;alert(1)&lt;/script&gt;</ins>")
    assertContains(response, "&lt;b&gt;Bold&lt;/b&gt;")
    assertNotContains(response, "<script>alert(1)")
    assertNotContains(response, "<b>Bold</b>")


def test_tags_and_related_items_are_compared_line_by_line(
    advocate_client: Client, article: Article, council_story: CaseStudy, trust_survey: ResearchLink
) -> None:
    save_edit(
        advocate_client,
        article,
        article_form(
            article,
            tags="linkedin, video",
            related_case_studies=[council_story.pk],
            related_research=[trust_survey.pk],
        ),
    )
    response = advocate_client.get(compare_url(article, "from=2&to=3"))
    assertContains(response, "<del>habits\n</del><span>linkedin\n</span><ins>video\n</ins>")
    assertContains(response, "<dt>Related case studies</dt>")
    assertContains(response, "<ins>Council hiring drive\n</ins>")
    assertContains(response, "<dt>Related research</dt>")
    assertContains(response, "<ins>Trust survey\n</ins>")


def test_metric_rows_and_platforms_are_compared_line_by_line(
    advocate_client: Client, reworked_case_study: CaseStudy
) -> None:
    case_study = reworked_case_study
    response = advocate_client.get(compare_url(case_study, "from=1&to=2"))
    assertContains(response, "<dt>Metrics</dt>")
    assertContains(response, "<del>LinkedIn\n</del><ins>Instagram\n</ins>")
    [deleted, inserted] = [
        [line.split(", ") for line in chunk.text.splitlines()]
        for chunk in changes_on(response)["metrics"].chunks
    ]
    assert [sorted(row) for row in deleted] == [sorted(ROW_1 + ["value after: 31.00"])]
    assert [sorted(row) for row in inserted] == [
        sorted(ROW_1 + ["value after: 40.00"]),
        sorted(ROW_2),
    ]


def test_a_metric_row_reads_in_the_order_of_the_form(advocate_client: Client) -> None:
    case_study = write_case_study(advocate_client)
    save_edit(
        advocate_client, case_study, case_study_form(case_study, **{"metrics-0-unit": "hires"})
    )
    response = advocate_client.get(compare_url(case_study, "from=1&to=2"))
    assertContains(
        response,
        "<del>name: Applications per vacancy, value before: 14.00, value after: 31.00, "
        "unit: applications, period: 6 months, lower is better: False, headline: False, "
        "position: 0\n</del>",
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "from=1",
        "to=2",
        "from=&to=2",
        "from=abc&to=2",
        "from=1&to=abc",
        "from=-1&to=2",
        "from=0&to=2",
        "from=1.5&to=2",
        "from=1&to=99999999999999999999999",
        "from=1&to=2147483648",
        "from=%00&to=2",
    ],
)
def test_malformed_revision_numbers_go_back_to_the_history_with_a_message(
    advocate_client: Client, article: Article, query: str
) -> None:
    response = advocate_client.get(compare_url(article, query), follow=True)
    assertRedirects(response, history_url(article))
    assertContains(response, CHOOSE_TWO)


@pytest.mark.parametrize("query", ["from=1&to=3", "from=7&to=2", "from=1&to=2147483647"])
def test_a_revision_that_does_not_exist_is_404(
    advocate_client: Client, article: Article, query: str
) -> None:
    assert advocate_client.get(compare_url(article, query)).status_code == 404


def test_a_reader_may_not_compare_revisions_of_a_published_item(
    reader_client: Client, article: Article
) -> None:
    assert reader_client.get(compare_url(article, "from=1&to=2")).status_code == 403


def test_another_advocate_may_not_compare_revisions_of_a_draft(
    other_advocate_client: Client, advocate_client: Client
) -> None:
    draft = write_article(advocate_client)
    assert draft.status == Status.DRAFT
    assert other_advocate_client.get(compare_url(draft, "from=1&to=1")).status_code == 404


def test_the_first_edit_of_an_item_made_without_revisions_can_be_compared(
    advocate_client: Client, advocate
) -> None:
    item = ArticleFactory(author=advocate, body=BODY)
    save_edit(advocate_client, item, article_form(item, body=BODY.replace("once", "twice")))
    response = advocate_client.get(compare_url(item, "from=1&to=2"))
    assertContains(response, "<del>once</del><ins>twice</ins>")
    assertContains(response, "by the system")


# compare() ------------------------------------------------------------------------------


def article_data(**changes: object) -> dict:
    data = {
        "title": "Posting habits",
        "summary": "How to start.",
        "body": BODY,
        "tags": ["habits"],
        "related_case_studies": [],
        "related_research": [],
    }
    data.update(changes)
    return data


def test_identical_revisions_have_no_changes() -> None:
    assert compare(Article, article_data(), article_data()) == []


def test_a_one_word_change_in_a_long_body_keeps_a_short_context_on_each_side() -> None:
    before = " ".join(f"word{n}" for n in range(400))
    after = before.replace("word200", "changed")
    [change] = compare(Article, article_data(body=before), article_data(body=after))
    assert (change.name, change.label) == ("body", "Body")
    assert [chunk.op for chunk in change.chunks] == ["same", "del", "ins", "same"]
    leading, deleted, inserted, trailing = change.chunks
    assert (deleted.text, inserted.text) == ("word200", "changed")
    assert leading.text.startswith(" … ")
    assert leading.text.endswith("word198 word199 ")
    assert trailing.text.startswith(" word201 word202")
    assert trailing.text.endswith(" … ")
    for context in (leading, trailing):
        assert len(context.text) <= CONTEXT + len(" … ")
    assert "word0 " not in leading.text
    assert "word399" not in trailing.text


def test_unchanged_text_between_two_changes_keeps_both_edges() -> None:
    words = [f"word{n}" for n in range(300)]
    before = " ".join(words)
    after = before.replace("word10 ", "first ").replace("word290", "second")
    [change] = compare(Article, article_data(body=before), article_data(body=after))
    middle = change.chunks[3]
    assert middle.op == "same"
    assert middle.text.startswith(" word11 word12")
    assert middle.text.endswith("word288 word289 ")
    assert " … " in middle.text
    assert len(middle.text) <= 2 * CONTEXT + len(" … ")


def test_short_texts_are_shown_whole() -> None:
    [change] = compare(
        Article, article_data(title="Posting habits"), article_data(title="Posting rituals")
    )
    assert change.chunks == [
        Chunk("same", "Posting "),
        Chunk("del", "habits"),
        Chunk("ins", "rituals"),
    ]


def test_changes_come_in_the_models_field_order() -> None:
    before = article_data()
    after = article_data(tags=["video"], body="New body", title="New title")
    assert [c.name for c in compare(Article, before, after)] == ["title", "body", "tags"]


def test_lists_are_compared_item_by_item() -> None:
    [change] = compare(
        Article,
        article_data(related_research=[[1, "Trust survey"], [2, "Barometer"]]),
        article_data(related_research=[[2, "Barometer"], [3, "Field study"]]),
    )
    assert change.label == "Related research"
    assert change.chunks == [
        Chunk("del", "Trust survey\n"),
        Chunk("same", "Barometer\n"),
        Chunk("ins", "Field study\n"),
    ]


def test_a_choice_is_shown_by_its_label() -> None:
    [change] = compare(
        CaseStudy,
        {"evidence_level": EvidenceLevel.SELF_REPORTED},
        {"evidence_level": EvidenceLevel.MEASURED},
    )
    deleted = "".join(c.text for c in change.chunks if c.op != "ins")
    inserted = "".join(c.text for c in change.chunks if c.op != "del")
    assert (deleted, inserted) == ("Self-reported figures", "Measured with published data")


def test_a_value_set_for_the_first_time_is_all_inserted() -> None:
    [change] = compare(
        ResearchLink,
        {"publication_date": None},
        {"publication_date": datetime.date(2024, 3, 1).isoformat()},
    )
    assert change.chunks == [Chunk("ins", "2024-03-01")]


@pytest.mark.parametrize(
    ("model", "field", "label"),
    [(CaseStudy, "source_url", "Source URL"), (ResearchLink, "url", "URL")],
)
def test_a_field_is_labelled_as_its_form_labels_it(model, field: str, label: str) -> None:
    [change] = compare(model, {field: "https://a.example"}, {field: "https://b.example"})
    assert change.label == label
