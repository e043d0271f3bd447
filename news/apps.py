from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal.page_cache import content_changed

        from .images import configure_pillow
        from .models import attachment_deleted

        configure_pillow()
        # Whatever readers see of these is on cached pages: a change starts anew.
        for model in ("Category", "NewsItem", "Correction", "Attachment"):
            sender = self.get_model(model)
            post_save.connect(content_changed, sender=sender, dispatch_uid=f"page-cache-{model}")
            post_delete.connect(content_changed, sender=sender, dispatch_uid=f"page-cache-{model}")
        post_delete.connect(attachment_deleted, sender=self.get_model("Attachment"))
