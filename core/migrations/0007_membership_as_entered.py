import django.utils.timezone
from django.db import migrations, models


def fill(apps, schema_editor):
    """Rows from before: the account's own name and address, and as added the time of the audit event that
    added the person to the organisation, or else when the account was made."""
    Membership = apps.get_model("core", "Membership")
    AuditEvent = apps.get_model("core", "AuditEvent")
    added = {}
    events = AuditEvent.objects.filter(action="account_created", object_type="user").order_by("at")
    for object_id, detail, at in events.values_list("object_id", "detail", "at").iterator():
        added[(object_id, (detail or {}).get("organisation"))] = at
    memberships = list(Membership.objects.select_related("user", "organisation"))
    for membership in memberships:
        user = membership.user
        membership.first_name_entered = user.first_name
        membership.last_name_entered = user.last_name
        membership.email_entered = user.email or user.username
        membership.added_at = added.get((str(user.public_id), membership.organisation.name), user.date_joined)
    Membership.objects.bulk_update(
        memberships, ["first_name_entered", "last_name_entered", "email_entered", "added_at"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_rate_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="added_at",
            field=models.DateTimeField(editable=False, help_text="When the person was added to the organisation: until they sign in after it, its managers see only what was entered", null=True, verbose_name="added"),
        ),
        migrations.AddField(
            model_name="membership",
            name="first_name_entered",
            field=models.CharField(
                default="",
                help_text="As the manager who added the person typed it",
                max_length=150,
                verbose_name="first name",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="membership",
            name="last_name_entered",
            field=models.CharField(
                default="",
                help_text="As the manager who added the person typed it",
                max_length=150,
                verbose_name="last name",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="membership",
            name="email_entered",
            field=models.EmailField(
                default="",
                help_text="As the manager who added the person typed it",
                max_length=254,
                verbose_name="email address",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="added_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                help_text="When the person was added to the organisation: until they sign in after it, its managers see only what was entered",
                verbose_name="added",
            ),
        ),
    ]
