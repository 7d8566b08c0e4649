"""Each area gets a default calendar holding the terms and closures it already had."""

from django.db import migrations


def to_default_calendars(apps, schema_editor):
    Area = apps.get_model("core", "Area")
    Calendar = apps.get_model("terms", "Calendar")
    Term = apps.get_model("terms", "Term")
    Closure = apps.get_model("terms", "Closure")
    for area in Area.objects.all():
        calendar, _ = Calendar.objects.get_or_create(
            area=area, is_area_default=True, defaults={"name": f"{area.name} school calendar"}
        )
        Term.objects.filter(area=area).update(calendar=calendar)
        Closure.objects.filter(area=area).update(calendar=calendar)


def back_to_areas(apps, schema_editor):
    Term = apps.get_model("terms", "Term")
    Closure = apps.get_model("terms", "Closure")
    Calendar = apps.get_model("terms", "Calendar")
    for model in (Term, Closure):
        # Only the default calendars' records map back onto an area; others cannot be kept.
        model.objects.exclude(calendar__is_area_default=True).delete()
        for calendar in Calendar.objects.filter(is_area_default=True):
            model.objects.filter(calendar=calendar).update(area_id=calendar.area_id)


class Migration(migrations.Migration):
    dependencies = [("terms", "0002_calendars")]

    operations = [migrations.RunPython(to_default_calendars, back_to_areas)]
