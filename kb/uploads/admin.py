"""Uploaded images in the admin: a plain list to find and remove uploads, no thumbnails."""

from django.contrib import admin
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat

from kb.uploads.models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["original_name", "uploaded_by", "file_size", "dimensions", "created_at"]
    list_filter = ["format", "created_at"]
    list_select_related = ["uploaded_by"]
    search_fields = ["original_name", "file", "uploaded_by__username"]
    date_hierarchy = "created_at"
    # Everything is measured from the stored file; re-uploading is the way to change it.
    readonly_fields = [
        "file", "original_name", "uploaded_by", "width", "height", "size", "format", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # uploads go through validation in the editor, never the admin

    @admin.display(description="Size", ordering="size")
    def file_size(self, obj: Image) -> str:
        return filesizeformat(obj.size)

    @admin.display(description="Dimensions")
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}"
