"""The search page's parameters; invalid facet values are reported and ignored."""

from django import forms

from kb.core.registry import facet_labels
from kb.search.service import FACETS, type_labels


def evidence_levels() -> list[tuple[str, str]]:
    return facet_labels("evidence")


def source_ratings() -> list[tuple[str, str]]:
    return facet_labels("rating")


class SearchForm(forms.Form):
    # Any text is accepted: the parser reduces it to safe words and caps its length.
    q = forms.CharField(required=False, strip=True, label="Search")
    type = forms.ChoiceField(required=False, choices=type_labels)
    tag = forms.SlugField(required=False, max_length=100, allow_unicode=True)
    platform = forms.SlugField(required=False, max_length=80)
    department = forms.SlugField(required=False, max_length=120)
    evidence = forms.TypedChoiceField(
        required=False, choices=evidence_levels, coerce=str, label="Evidence level"
    )
    rating = forms.ChoiceField(required=False, choices=source_ratings, label="Source rating")
    year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    sort = forms.ChoiceField(
        required=False, choices=[("relevance", "Relevance"), ("newest", "Newest")]
    )

    def filters(self) -> dict[str, str]:
        data = getattr(self, "cleaned_data", {})
        return {name: str(data[name]) for name in FACETS if data.get(name)}
