"""Copy each placement's ending (why, where the child went, the post-16 activity) into casework.PlacementExit.

Every placement with an end date, an end reason or a destination gets one exit. The reason is copied as it is
(the same codes). The old destinations (placements' `destination_type`) map onto the new code set
(core/reference/destinations.csv) so:

    mainstream_school        -> home_school when the reason was "reintegrated", else another_mainstream
    special_school           -> special_school
    another_ap               -> another_ap
    post_16                  -> by the NCCIS activity named: employment (3xx) -> employment,
                                training (4xx) -> training, anything else or none -> post_16_education
    neet                     -> neet
    elective_home_education  -> other, "Elective home education" kept in destination_detail
    moved_away               -> moved_away
    unknown                  -> other, "Not known (copied from the placement)" kept in destination_detail
    (empty)                  -> empty: the destination was never recorded

The post-16 activity is copied as it is. An exit copied here has no transition plan, named support or recorder
(nobody recorded them); no reintegration attempt is made for it (the school and the outcomes are not known).
Reversing it puts the reason, the destination (mapped back: home_school and another_mainstream ->
mainstream_school, post_16_education, employment and training -> post_16, other -> unknown, or
elective_home_education when its detail says so) and the activity back on the placement.
"""

from django.db import migrations

EHE_DETAIL = "Elective home education"
UNKNOWN_DETAIL = "Not known (copied from the placement)"
SAME = {"special_school", "another_ap", "neet", "moved_away"}


def new_destination(old: str, reason: str, activity: str) -> tuple[str, str]:
    """(destination, destination_detail) for a placement's old destination."""
    if old == "mainstream_school":
        return ("home_school" if reason == "reintegrated" else "another_mainstream"), ""
    if old == "post_16":
        if activity.startswith("3"):
            return "employment", ""
        if activity.startswith("4"):
            return "training", ""
        return "post_16_education", ""
    if old == "elective_home_education":
        return "other", EHE_DETAIL
    if old == "unknown":
        return "other", UNKNOWN_DETAIL
    if old in SAME:
        return old, ""
    return "", ""


def old_destination(new: str, detail: str) -> str:
    if new in ("home_school", "another_mainstream"):
        return "mainstream_school"
    if new in ("post_16_education", "employment", "training"):
        return "post_16"
    if new == "other":
        return "elective_home_education" if detail == EHE_DETAIL else "unknown"
    return new


def copy_exits(apps, schema_editor):
    Placement = apps.get_model("placements", "Placement")
    PlacementExit = apps.get_model("casework", "PlacementExit")
    ended = Placement.objects.exclude(end_date__isnull=True, end_reason="", destination_type="").values_list(
        "pk", "end_reason", "destination_type", "destination_post16_activity"
    )
    exits = []
    for pk, reason, old, activity in ended.iterator(chunk_size=2000):
        destination, detail = new_destination(old, reason, activity or "")
        exits.append(
            PlacementExit(
                placement_id=pk,
                reason=reason,
                destination=destination,
                destination_detail=detail,
                post16_activity=activity or "",
            )
        )
    PlacementExit.objects.bulk_create(exits, batch_size=2000)


def copy_back(apps, schema_editor):
    Placement = apps.get_model("placements", "Placement")
    PlacementExit = apps.get_model("casework", "PlacementExit")
    for exit_ in PlacementExit.objects.iterator(chunk_size=2000):
        Placement.objects.filter(pk=exit_.placement_id).update(
            end_reason=exit_.reason,
            destination_type=old_destination(exit_.destination, exit_.destination_detail),
            destination_post16_activity=exit_.post16_activity,
        )
    PlacementExit.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0010_exits_and_reintegration"),
        # Still has the fields copied from (placements 0011 removes them).
        ("placements", "0010_remove_commissioning_agreement"),
    ]

    operations = [migrations.RunPython(copy_exits, copy_back)]
