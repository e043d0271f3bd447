from django import forms
from django_ckeditor_5.widgets import CKEditor5Widget

from .images import CleanImageField
from .models import NewsItem


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
