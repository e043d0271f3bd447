from django import forms
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from .attachments import check_document
from .images import clean_image
from .models import Attachment, NewsItem
from .search import MAX_QUERY_LENGTH


class NewsItemAdminForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = [
            "title", "slug", "language", "translation_group", "category", "lead", "body",
            "cover_image", "cover_image_alt", "is_published", "published_at", "source", "author",
        ]  # fmt: skip
        widgets = {
            "body": CKEditor5Widget(config_name="news"),
            "lead": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_cover_image(self):
        """A new cover image is accepted only as a real image, stored without metadata."""
        image = self.cleaned_data.get("cover_image")
        if (
            image
            and image is not self.initial.get("cover_image")
            and hasattr(image, "content_type")
        ):
            return clean_image(image)
        return image


class SearchForm(forms.Form):
    """The reader's search query; too long or with NUL characters is a form error."""

    q = forms.CharField(
        label=_("Search the news"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


class AttachmentAdminForm(forms.ModelForm):
    """An attached document is accepted by its content; it is stored under a random name."""

    class Meta:
        model = Attachment
        fields = ["title", "file", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The uploaded file's own name is not kept, so its length does not matter.
        self.fields["file"].max_length = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            kind = check_document(upload)
            upload.name = f"document.{kind.extension}"
            self.instance.content_type = kind.content_type
        return upload
