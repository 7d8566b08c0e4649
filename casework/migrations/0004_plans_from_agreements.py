"""Each commissioning agreement becomes its placement's personalised plan with one objective (issue 11).

intended outcomes -> the objective; how progress is measured -> its measure; the planned end -> its date;
the exit plan -> the reintegration plan; agreed on and by are kept. What an agreement never held (the
objective's baseline, what the family was told) stays blank, for the plan page to ask for.
"""

from django.db import migrations


def agreements_to_plans(apps, schema_editor):
    Agreement = apps.get_model("placements", "CommissioningAgreement")
    Plan = apps.get_model("casework", "PersonalisedPlan")
    Objective = apps.get_model("casework", "PlanObjective")
    for agreement in Agreement.objects.select_related("placement").iterator():
        plan = Plan.objects.create(
            placement_id=agreement.placement_id,
            reintegration_plan=agreement.exit_plan,
            agreed_on=agreement.agreed_on,
            agreed_by_id=agreement.agreed_by_id,
        )
        Objective.objects.create(
            plan=plan,
            position=1,
            description=agreement.intended_outcomes,
            measure=agreement.success_criteria,
            target_date=agreement.placement.planned_end_date,
        )


def plans_to_agreements(apps, schema_editor):
    """Back again, objectives joined into the agreement's two texts."""
    Agreement = apps.get_model("placements", "CommissioningAgreement")
    Plan = apps.get_model("casework", "PersonalisedPlan")
    for plan in Plan.objects.prefetch_related("objectives").iterator(chunk_size=500):
        objectives = sorted(plan.objectives.all(), key=lambda o: (o.position, o.pk))
        Agreement.objects.create(
            placement_id=plan.placement_id,
            intended_outcomes="\n".join(o.description for o in objectives) or "-",
            success_criteria="\n".join(o.measure for o in objectives) or "-",
            exit_plan=plan.reintegration_plan,
            agreed_on=plan.agreed_on,
            agreed_by_id=plan.agreed_by_id,
        )
    Plan.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_personalised_plan"),
        ("placements", "0007_uploaded_list_summary"),
    ]

    operations = [migrations.RunPython(agreements_to_plans, plans_to_agreements)]
