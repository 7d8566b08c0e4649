# An uploaded register file is kept as every uploaded list is (core.models.UploadedList).

import django.db.models.deletion
from django.db import migrations, models

GONE = "This file was checked before its check was kept with it, and it is no longer kept: upload it again."


def to_the_import_framework(apps, schema_editor):
    """Each upload takes its setting's area; the statuses take the framework's names; a file waiting for
    confirmation was checked before what the check found was kept: it goes, and its page says so."""
    Upload = apps.get_model("attendance", "AttendanceUpload")
    Provider = apps.get_model("providers", "Provider")
    for provider_id, area_id in Provider.objects.values_list("pk", "organisation__area_id"):
        Upload.objects.filter(provider_id=provider_id).update(area_id=area_id)
    Upload.objects.filter(status="committed").update(status="imported")
    Upload.objects.filter(status="previewed").update(
        status="rejected", content=b"", sha256="", problems=[[None, "", "", GONE]]
    )


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0005_upload_problems"),
        ("core", "0007_membership_as_entered"),
        ("providers", "0002_area_reference"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendanceupload",
            name="area",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.area"
            ),
        ),
        migrations.AddField(
            model_name="attendanceupload",
            name="summary",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="What the check found: how many records the file adds, changes and leaves as they are, "
                "and what changes in each",
            ),
        ),
        migrations.RunPython(to_the_import_framework, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attendanceupload",
            name="area",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.area"),
        ),
        migrations.AlterField(
            model_name="attendanceupload",
            name="status",
            field=models.CharField(
                choices=[
                    ("checked", "Checked, waiting for confirmation"),
                    ("imported", "Imported"),
                    ("rejected", "Could not be imported"),
                ],
                default="checked",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="attendanceupload",
            name="content",
            field=models.BinaryField(),
        ),
    ]
