from django.apps import AppConfig
from django.db.models.signals import post_save


def _give_new_area_a_default_calendar(sender, instance, created, raw=False, **kwargs):
    """Every area has a default school calendar from the start, so a setting always has one to follow."""
    if created and not raw:
        from terms.models import Calendar

        Calendar.objects.get_or_create(
            area=instance, is_area_default=True, defaults={"name": f"{instance.name} school calendar"}
        )


class TermsConfig(AppConfig):
    name = "terms"

    def ready(self):
        from core.models import Area

        post_save.connect(_give_new_area_a_default_calendar, sender=Area, dispatch_uid="terms_default_calendar")
