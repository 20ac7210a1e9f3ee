"""The signed-in user's private feed addresses, for the pages that offer a feed."""

from django import template

from kb.home.feeds import feed_token, feed_url

register = template.Library()


@register.simple_tag(takes_context=True)
def private_feed_url(context: template.Context, feed: str, slug: str) -> str:
    """The user's private address of one topic's, department's or collection's feed ("" for
    anyone not signed in). The token is looked up once per request, however many links."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if not hasattr(request, "feed_token"):
        request.feed_token = feed_token(user)
    return feed_url(user, feed, slug, token=request.feed_token)
