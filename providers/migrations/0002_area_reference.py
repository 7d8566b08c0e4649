"""Every provider gets an area reference, so settings with no URN or UKPRN can be named in files."""

from django.db import migrations, models

HELP = "Given by the system, for example AP-355-007: names the setting in the area's files"


def give_references(apps, schema_editor):
    # Numbered in name order within each area, as the model numbers new ones (AP-<LA code>-001, ...).
    Provider = apps.get_model("providers", "Provider")
    numbers: dict[str, int] = {}
    for provider in Provider.objects.select_related("organisation__area").order_by("organisation__name", "pk"):
        la_code = provider.organisation.area.la_code
        numbers[la_code] = numbers.get(la_code, 0) + 1
        provider.area_reference = f"AP-{la_code}-{numbers[la_code]:03d}"
        provider.save(update_fields=["area_reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalprovider",
            name="area_reference",
            field=models.CharField(
                blank=True, db_index=True, editable=False, help_text=HELP, max_length=16, verbose_name="area reference"
            ),
        ),
        migrations.AddField(
            model_name="provider",
            name="area_reference",
            field=models.CharField(
                blank=True, default="", editable=False, help_text=HELP, max_length=16, verbose_name="area reference"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="provider",
            name="area_reference",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text=HELP,
                max_length=16,
                unique=True,
                verbose_name="area reference",
            ),
        ),
    ]
