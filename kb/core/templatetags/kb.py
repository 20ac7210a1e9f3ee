"""Template helpers: Markdown rendering, the evidence badge, a measured change's chart, and
names of kinds and people."""

from django import template
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString

from kb.core.charts import ChangeChart
from kb.core.evidence import EXPLANATIONS, EvidenceLevel
from kb.core.links import slug_url, view_url
from kb.core.markdown import render_markdown, render_markdown_lite
from kb.core.measures import Change
from kb.core.registry import kind_for

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Sanitised HTML from user Markdown."""
    return render_markdown(text or "")


@register.filter(name="markdown_lite")
def markdown_lite_filter(text: str) -> SafeString:
    """Sanitised HTML from a comment: emphasis, code, links, lists and quotes only."""
    return render_markdown_lite(text or "")


@register.inclusion_tag("includes/evidence_badge.html")
def evidence_badge(level: int | None, detail: bool = False) -> dict:
    """The one badge of an evidence level, wherever an item or a search hit shows one: a
    five-step meter and the level's name, linking to what the level means. Nothing for an
    item that is not graded. ``detail`` says "Evidence:" visibly (an item's own page)."""
    try:
        explained = EXPLANATIONS[EvidenceLevel(level)]
    except ValueError:
        return {"explained": None}
    return {"explained": explained, "detail": detail, "href": view_url("evidence_levels")}


@register.filter
def topic_url(tag) -> str:
    """A tag's topic page; "" for a tag whose slug no address can carry, which is then
    shown unlinked (as ``{% url ... as %}`` would). Cards show several tags each, and
    ``reverse()`` for each was a sixth of a card's rendering (kb.core.links)."""
    try:
        return slug_url("tag_detail", tag.slug)
    except NoReverseMatch:
        return ""


@register.filter
def kind(obj) -> str:
    """The content type name used in shared URLs (workflow actions, history)."""
    return obj._meta.model_name


@register.filter
def type_name(obj) -> str:
    """What kind of item this is, for people: "Case study", "Research link" (the label its
    kind declares; the model's verbose name for anything else)."""
    declared = kind_for(obj)
    return declared.label if declared else str(obj._meta.verbose_name).capitalize()


@register.filter
def person(user, fallback: str = "someone") -> str:
    """A user's full name, else their username; ``fallback`` when there is no user."""
    if user is None:
        return fallback
    return user.get_full_name() or user.username


@register.inclusion_tag("includes/change_chart.html")
def change_chart(change: Change, title: str, slug: str | int) -> dict:
    """A measured change as a before/after bar chart (kb.core.charts); ``slug`` keeps its
    ids unique on the page."""
    return {"chart": ChangeChart(f"change-{slug}", title, change)}
