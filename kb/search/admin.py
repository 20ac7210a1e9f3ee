"""Synonyms are the one part of search that editors curate: the index itself is made by
the site (rebuild_search_index), so it has no admin."""

from django.contrib import admin

from kb.search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "synonym"]
    search_fields = ["term", "synonym"]
    fields = ["term", "synonym"]
