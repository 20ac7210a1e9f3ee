"""An advocate editing their own profile and handles."""

from django import forms

from kb.advocates.models import PHOTO_MAX_SIDE, AdvocateProfile, Handle
from kb.core.forms import MAX_TAG_LENGTH, MAX_TAGS, https_url_fields, suggest_tags
from kb.uploads.forms import EncodedImage, ImageFileField
from kb.uploads.storing import store


class ProfilePhotoField(ImageFileField):
    """A photo is checked and re-encoded like any upload (no EXIF or GPS position kept),
    and scaled down: it is only ever shown small. The site and the admin both use it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_side=PHOTO_MAX_SIDE, **kwargs)


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)

    class Meta:
        model = AdvocateProfile
        fields = [
            "job_title",
            "department",
            "bio",
            "expertise",
            "platforms",
            "open_to_help",
            "photo",
        ]
        field_classes = {"photo": ProfilePhotoField}
        widgets = {
            "platforms": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 6}),
        }

    stored_photo = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.order_fields(["first_name", "last_name"])
        suggest_tags(self.fields["expertise"])

    def clean_expertise(self) -> list[str]:
        tags = self.cleaned_data.get("expertise") or []
        if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise forms.ValidationError(
                f"Use at most {MAX_TAGS} topics of under {MAX_TAG_LENGTH} characters each."
            )
        return tags

    def save(self, commit: bool = True) -> AdvocateProfile:
        """Save the profile; a new photo is written first, by ``store``, so a full or
        read-only media folder raises NotStored before any row changes and leaves no part
        of the file behind. ``stored_photo`` names it, for the caller to remove should the
        rest of its transaction fail."""
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, EncodedImage):
            field = AdvocateProfile._meta.get_field("photo")
            self.stored_photo = store(
                field.storage,
                field.generate_filename(self.instance, photo.name),
                photo,
                max_length=field.max_length,
            )
            self.instance.photo = self.stored_photo
        profile = super().save(commit=commit)
        user = profile.user
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        if commit:
            user.save(update_fields=["first_name", "last_name"])
        return profile


HandleFormSet = forms.inlineformset_factory(
    AdvocateProfile,
    Handle,
    fields=["platform", "handle", "url"],
    formfield_callback=https_url_fields,
    extra=1,
    max_num=15,
    validate_max=True,
    can_delete=True,
)
