"""Template helpers: Markdown rendering and small formatting for metrics."""

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from kb.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Sanitised HTML from user Markdown."""
    return render_markdown(text or "")


@register.filter
def signed(value: Decimal | None) -> str:
    """A change with its sign, without trailing zeros: +12, -3.5."""
    if value is None:
        return "—"
    text = f"{value:+,.1f}".replace(".0", "") if value % 1 == 0 else f"{value:+,.1f}"
    return text.replace("-", "−")


@register.filter
def number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value % 1 == 0 else f"{value:,.2f}".rstrip("0")
