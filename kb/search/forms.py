"""The search page's parameters; invalid facet values are reported and ignored.

A field for each facet the searchable models declare (kb.core.search.FacetField).
"""

from django import forms

from kb.search.service import facet_fields, type_labels


def facet_form_field(name: str) -> forms.Field:
    facet = facet_fields()[name]
    if name == "type":
        return forms.ChoiceField(required=False, choices=type_labels, label=facet.label)
    if facet.choices:
        return forms.ChoiceField(required=False, choices=facet.choices, label=facet.label)
    if facet.numeric:
        return forms.IntegerField(required=False, min_value=0, max_value=32767, label=facet.label)
    return forms.SlugField(required=False, max_length=100, allow_unicode=True, label=facet.label)


class SearchForm(forms.Form):
    # Any text is accepted: the parser reduces it to safe words and caps its length.
    q = forms.CharField(required=False, strip=True, label="Search")
    sort = forms.ChoiceField(
        required=False, choices=[("relevance", "Relevance"), ("newest", "Newest")]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in facet_fields():
            self.fields[name] = facet_form_field(name)

    def filters(self) -> dict[str, str]:
        data = getattr(self, "cleaned_data", {})
        return {
            name: str(data[name]) for name in facet_fields() if data.get(name) not in (None, "")
        }
