from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import post_delete, post_save, pre_save

        from portal.page_cache import content_changed

        from .images import configure_pillow
        from .models import attachment_deleted
        from .sanitizer import clean_text_fields
        from .withheld_images import images_deleted, images_saved, remember_shown_images
        from .workflow import group_str

        configure_pillow()
        Group.__str__ = group_str
        # Their texts are saved without control characters; whatever readers see
        # of them is on cached pages, so a change starts those anew.
        for model in ("Category", "NewsItem", "Correction", "Attachment"):
            sender = self.get_model(model)
            pre_save.connect(clean_text_fields, sender=sender, dispatch_uid=f"texts-{model}")
            post_save.connect(content_changed, sender=sender, dispatch_uid=f"page-cache-{model}")
            post_delete.connect(content_changed, sender=sender, dispatch_uid=f"page-cache-{model}")
        post_delete.connect(attachment_deleted, sender=self.get_model("Attachment"))
        # Images readers must no longer see leave their public addresses.
        news_item = self.get_model("NewsItem")
        pre_save.connect(remember_shown_images, sender=news_item)
        post_save.connect(images_saved, sender=news_item)
        post_delete.connect(images_deleted, sender=news_item)
