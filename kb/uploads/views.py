"""Uploading an image from the editor, and serving uploads to signed-in users only.

The KB is an intranet, so uploads are not public media: ``MEDIA_URL`` points at
``image_file``, which LoginRequiredMiddleware guards like every other view. It serves only
names recorded in the Image table or as an advocate's current photo, with headers that
stop a browser from treating a file as anything but the image it is.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_POST, require_safe

from kb.advocates.models import AdvocateProfile
from kb.uploads.forms import ImageUploadForm, can_upload_images
from kb.uploads.models import CONTENT_TYPES, EXTENSIONS, Image, ImageFormat
from kb.uploads.storing import NotStored


@require_POST
def image_create(request: HttpRequest) -> JsonResponse:
    """Store one image; answer with its URL and the Markdown that shows it."""
    if not can_upload_images(request.user):
        return JsonResponse({"error": "Your role may not upload images."}, status=403)
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": form.first_error()}, status=400)
    try:
        image = form.save(uploaded_by=request.user)
    except NotStored as error:
        # The editor shows the message next to its button; the text typed so far stays.
        return JsonResponse({"error": str(error)}, status=503)
    return JsonResponse(
        {
            "url": image.file.url,
            "markdown": image.markdown(form.cleaned_data["alt"]),
            "width": image.width,
            "height": image.height,
        },
        status=201,
    )


PHOTO_TYPES = {
    **{extension: CONTENT_TYPES[image_format] for image_format, extension in EXTENSIONS.items()},
    "jpeg": CONTENT_TYPES[ImageFormat.JPEG],
}


@require_safe
def image_file(request: HttpRequest, name: str) -> FileResponse:
    # Stored names are ours (images/<year>/<month>/<uuid>.<ext>); anything that walks the
    # tree is refused before the database or the disk is asked.
    if "\\" in name or "\x00" in name or {"", ".", ".."} & set(name.split("/")):
        raise Http404("No such image.")
    image = Image.objects.filter(file=name).only("format").first()
    if image is not None:
        content_type = image.content_type
    else:
        # Advocates' profile photos live beside them; a replaced or orphaned file under
        # their folder is never served, whatever it may still carry.
        extension = name.rsplit(".", 1)[-1].lower()
        content_type = PHOTO_TYPES.get(extension)
        if content_type is None or not AdvocateProfile.objects.filter(photo=name).exists():
            raise Http404("No such image.")
    try:
        stored = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("No such image.") from None
    response = FileResponse(stored, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, max-age=86400"
    return response
