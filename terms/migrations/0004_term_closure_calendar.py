import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("terms", "0003_calendar_data")]

    operations = [
        migrations.RemoveIndex(model_name="term", name="terms_term_area_id_b68c2c_idx"),
        migrations.RemoveIndex(model_name="closure", name="terms_closu_area_id_232f3c_idx"),
        migrations.AlterModelOptions(name="term", options={"ordering": ["calendar", "starts_on"]}),
        migrations.AlterModelOptions(name="closure", options={"ordering": ["calendar", "starts_on"]}),
        migrations.RemoveField(model_name="term", name="area"),
        migrations.RemoveField(model_name="closure", name="area"),
        migrations.RemoveField(model_name="historicalterm", name="area"),
        migrations.RemoveField(model_name="historicalclosure", name="area"),
        migrations.AlterField(
            model_name="term",
            name="calendar",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="terms", to="terms.calendar"
            ),
        ),
        migrations.AlterField(
            model_name="closure",
            name="calendar",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="closures", to="terms.calendar"
            ),
        ),
        migrations.AddIndex(
            model_name="term",
            index=models.Index(fields=["calendar", "starts_on", "ends_on"], name="terms_term_calenda_4cdd19_idx"),
        ),
        migrations.AddIndex(
            model_name="closure",
            index=models.Index(fields=["calendar", "starts_on", "ends_on"], name="terms_closu_calenda_38a69a_idx"),
        ),
    ]
