from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Urgent notices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from news.sanitizer import clean_text_fields
        from portal.page_cache import content_changed

        notice = self.get_model("UrgentNotice")
        pre_save.connect(clean_text_fields, sender=notice, dispatch_uid="texts-notice")
        # Notices are on every cached page.
        post_save.connect(content_changed, sender=notice, dispatch_uid="page-cache-notice")
        post_delete.connect(content_changed, sender=notice, dispatch_uid="page-cache-notice")
