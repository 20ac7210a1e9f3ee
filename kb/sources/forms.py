"""What a research or case study form does with the source of its URL.

A URL whose domain is in the register links the item to that source (and names the
publisher when the field was left blank). A domain the register lacks can be proposed as a
new, unrated source in the same save; editors rate it afterwards in the admin.
"""

from django import forms
from django.db import models
from django.db.models import Q

from kb.sources.domains import domain_of_url
from kb.sources.models import Source, SourceDomain


class SourcedFormMixin:
    """Mixed into a content ModelForm (before it) whose model has ``publisher`` and ``source``.

    ``url_field`` names the form field holding the item's URL.
    """

    url_field: str

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.matched_source: Source | None = None
        self.unknown_domain: str | None = None
        self.proposed_name = ""
        domain = domain_of_url(getattr(self.instance, self.url_field) or "")
        site = f"“{domain}”" if domain and not self.instance.source_id else "the link's site"
        self.fields["add_source"] = forms.BooleanField(
            required=False,
            label=f"If {site} is not in the source register, propose it as a new source",
            help_text="It starts unrated; an editor rates it. Its name is the publisher.",
        )
        if "publisher" in self.fields:
            names = list(self.fields)
            names.insert(names.index("publisher") + 1, names.pop())
            self.order_fields(names)
            publisher = self.fields["publisher"]
            publisher.required = False
            publisher.help_text = (
                "Left blank, it is filled from the source register if it knows the site."
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        url = cleaned.get(self.url_field) or ""
        domain = domain_of_url(url)
        self.matched_source = Source.objects.for_domain(domain) if domain else None
        publisher = (cleaned.get("publisher") or "").strip()
        if self.matched_source is not None:
            if not publisher:
                cleaned["publisher"] = self.matched_source.name
        elif domain:
            self.unknown_domain = domain
        if cleaned.get("add_source") and self.matched_source is None:
            self._check_proposal(domain, publisher)
        publisher_required = not self._meta.model._meta.get_field("publisher").blank
        if publisher_required and not cleaned.get("publisher") and "publisher" not in self.errors:
            self.add_error(
                "publisher", "Name the publisher: this site is not in the source register."
            )
        return cleaned

    def _check_proposal(self, domain: str | None, publisher: str) -> None:
        if not domain:
            self.add_error(
                "add_source", "Give a web address first: a source is found by its domain."
            )
        elif "." not in domain:
            self.add_error("add_source", f"“{domain}” is not a public web domain.")
        elif not publisher:
            self.add_error("publisher", "Name the publisher to propose it as a source.")
        else:
            publisher = " ".join(publisher.split())
            names = [publisher, f"{publisher} ({domain})"[:200]]
            same_name = Q(name__iexact=names[0]) | Q(name__iexact=names[1])
            taken = {
                name.casefold()
                for name in Source.objects.filter(same_name).values_list("name", flat=True)
            }
            free = [name for name in names if name.casefold() not in taken]
            if not free:
                self.add_error(
                    "publisher", f"A source named “{publisher}” exists already; name this one."
                )
            else:
                self.proposed_name = free[0]

    def _proposed_source(self) -> Source:
        """The new unrated source for the unknown domain, named by the publisher (or, when an
        unrelated source has that name already, by the publisher and the domain)."""
        source = Source.objects.create(name=self.proposed_name, proposed_by=self.user)
        SourceDomain.objects.create(source=source, domain=self.unknown_domain)
        return source

    def save(self, commit: bool = True) -> models.Model:
        # Runs inside the content save's transaction, so a failed save proposes nothing.
        url_changed = self.url_field in self.changed_data or self.instance.pk is None
        if self.matched_source is not None:
            self.instance.source = self.matched_source
        elif self.proposed_name:
            self.instance.source = self._proposed_source()
        elif url_changed:
            self.instance.source = None
        return super().save(commit=commit)
