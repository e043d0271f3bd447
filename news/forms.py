from django import forms
from django_ckeditor_5.widgets import CKEditor5Widget

from .images import IMAGE_FORMATS, clean_image
from .models import NewsItem


class CleanImageField(forms.ImageField):
    """
    An image upload checked by `clean_image` (instead of Django's own check):
    refusals say why, and the accepted file is stored without its metadata.
    """

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        return None if upload is None else clean_image(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(
                content_type for _ext, content_type in IMAGE_FORMATS.values()
            )
        return attrs


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
        field_classes = {"cover_image": CleanImageField}
