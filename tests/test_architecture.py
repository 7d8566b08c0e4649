"""The house rules that keep children's data behind the access policy (DESIGN.md §4)."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def python_files(pattern: str):
    return [p for p in ROOT.glob(pattern) if ".venv" not in p.parts and "node_modules" not in p.parts]


# DESIGN.md §4: core <- children, providers, terms <- placements <- attendance <- casework <- insight, inspection <- survey
LAYERS = [{"core"}, {"children", "providers", "terms"}, {"placements"}, {"attendance"}, {"casework"}]
LAYERS += [{"insight", "inspection"}, {"survey"}]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}
# The synthetic borough and the benchmarks sit on top of everything and nothing imports them.
TOOLS = {"demo", "bench"}
DOMAIN_APPS = set(LAYER_OF) - {"core"} | TOOLS


def test_every_app_of_the_project_has_its_place_in_the_layers():
    ours = {c.name for c in apps.get_app_configs() if Path(c.path) == ROOT / c.name}
    assert ours - TOOLS <= set(LAYER_OF), f"place each app in LAYERS (DESIGN.md §4): {ours - TOOLS - set(LAYER_OF)}"


def view_modules():
    """Every module that renders pages: views.py, a views package, and core's *_views.py."""
    return python_files("*/views.py") + python_files("*/views/*.py") + python_files("*/*_views.py")


def test_views_never_query_models_directly():
    assert any(p.name == "account_views.py" for p in view_modules())
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in view_modules()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert not offenders, f"views must ask selectors, not Model.objects: {offenders}"


# The access policy names these models and no others: each one is a way to a child, and a new one
# is a change to who sees what, to be reviewed as such.
ACCESS_POLICY_MODELS = {
    "attendance.AttendanceMark",
    # The monthly rollup of the marks: scoped exactly as they are (attendance_months_visible_to).
    "attendance.AttendanceMonth",
    "casework.DestinationCheck",
    "casework.Panel",
    "casework.Referral",
    "casework.Review",
    "children.Child",
    "children.Involvement",
    "inspection.TrackedChild",
    "casework.PlacementVisit",
    "casework.PlacementExit",
    "casework.ReintegrationAttempt",
    "placements.Placement",
    # Not a way to a child: a quality-assurance visit is about a setting; the policy says who shares it.
    "providers.QAVisit",
    "terms.Calendar",
    "terms.SettingCalendar",
}


def test_the_access_policy_names_only_the_models_it_is_known_to():
    named = {
        node.args[0].value
        for node in ast.walk(ast.parse((ROOT / "core" / "access.py").read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "_model"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert named == ACCESS_POLICY_MODELS


def test_core_imports_no_domain_app():
    offenders = []
    for path in python_files("core/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in DOMAIN_APPS]
    assert not offenders


def test_apps_import_only_from_their_own_layer_or_below():
    """A read that crosses domains (the register with attendance, its CSV) lives up in insight, never down."""
    offenders = []
    for app, level in LAYER_OF.items():
        for path in python_files(f"{app}/**/*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                offenders += [
                    f"{path.relative_to(ROOT)}: {n}"
                    for n in names
                    if LAYER_OF.get(n.split(".")[0], -1) > level or n.split(".")[0] in TOOLS
                ]
    assert not offenders, f"an app imports from a layer above it: {offenders}"


# Every read of child data starts from the access gateway (core.access: children_visible_to,
# placements_visible_to, marks_visible_to, child_get_for_user...). These reads start from a model
# instead, each for the reason given; a new one fails here until it starts from the gateway or is
# added with its reason.
CHILD_DATA_MODELS = {
    "Child",
    "Placement",
    "AttendanceMark",
    "AttendanceMonth",
    "HomeSchoolMark",
    "Alert",
    "Involvement",
    "PenPortrait",
    "ChildDocument",
    "Exclusion",
    "TrackedChild",
    "TuitionSession",
    "PartTimeTimetable",
    "Referral",
    "ReferralContribution",
    "AgendaItem",
    "Decision",
    "PersonalisedPlan",
    "PlanObjective",
    "Review",
    "ObjectiveProgress",
    "NextReview",
    "PlacementVisit",
    "DestinationCheck",
    "PlacementExit",
    "ReintegrationAttempt",
}
SCOPED = "filtered by a record already read through the gateway"
SETTING = "the setting's own register, after can_record_attendance let the user act for it"
CHECK = "a write-side check inside a service: nothing read is shown"
SYSTEM = "the daily check, run by the system for the whole area, not for a person"
PREFETCH = "a prefetch or annotation on a query that starts from the gateway"
MODEL_READS = {
    "attendance/alerts.py:_raise_for_area": SYSTEM,
    "attendance/alerts.py:_registers_disagree": SYSTEM,
    "attendance/alerts.py:_create_new": SYSTEM,
    "attendance/alerts.py:alerts_with_corrections": SCOPED + " (alerts_visible_to)",
    "attendance/exports.py:template_placements": SETTING,
    "attendance/exports.py:template_rows": SETTING,
    "attendance/hours.py:week_hours": SCOPED + " (the child's visible placements)",
    "attendance/hours.py:tuition_summary": SCOPED + " (the placement)",
    "attendance/ingest.py:__init__": SETTING,
    "attendance/ingest.py:_stored": SETTING,
    "attendance/selectors.py:alerts_visible_to": SCOPED + " (placements_visible_to)",
    "attendance/selectors.py:home_school_register": SCOPED + " (the placements of the school's pupils)",
    "attendance/selectors.py:home_school_marks_of": SCOPED + " (the child, after may_see_home_school_marks)",
    "attendance/services.py:home_school_marks_record": CHECK,
    "attendance/services.py:_missed_tuition_alert": CHECK,
    "casework/selectors/referrals.py:record_between": SCOPED
    + " (a referral's or a review's child; both weigh every setting's register and the home school's)",
    "children/selectors.py:child_record": PREFETCH,
    "children/selectors.py:_limited_record": PREFETCH,
    "children/selectors.py:involvement_get_for_user": SCOPED + " (child_object_get_for_user)",
    "children/selectors.py:child_document_get": SCOPED + " (child_object_get_for_user)",
    "children/services.py:_earlier_records": CHECK + " (a UPN's earlier record, never named to the user)",
    "children/services.py:_settle_upn": CHECK,
    "children/services.py:child_update": CHECK,
    "core/access.py:child_record_get_for_user": "the gateway itself",
    "core/access.py:review_get_for_user": "the gateway itself (a refusal names the child)",
    "insight/oversight.py:out_of_area_unseen": PREFETCH
    + " (whether a visible placement was reviewed or visited this half term: nothing of it is shown)",
    "insight/oversight.py:timetables_overdue": SCOPED + " (children_visible_to)",
    "insight/oversight.py:without_education": SCOPED + " (children_visible_to)",
    "insight/oversight.py:no_placement_since": PREFETCH
    + " (whether a visible gap's child has a placement since, seen or not: nothing of it is shown)",
    "inspection/selectors.py:tracked_children": SCOPED + " (the inspection)",
    "inspection/selectors.py:tracking_pack_read": SCOPED + " (the inspection, then child_record)",
    "inspection/services.py:tracked_child_add": CHECK,
    "placements/imports.py:stored_placements": SCOPED + " (the file's children, read through children_visible_to)",
    "placements/services.py:_overlapping": CHECK,
    "placements/services.py:placement_update": CHECK,
    "placements/selectors.py:part_time_timetable_get_for_user": SCOPED + " (child_object_get_for_user)",
    "placements/selectors.py:told_by_schools": SCOPED + " (children_visible_to)",
    "casework/selectors/plans.py:plan_of": SCOPED + " (the placement)",
    "casework/selectors/plans.py:decision_get_for_user": SCOPED + " (referrals_visible_to; a refusal names the child)",
    "casework/selectors/destinations.py:_left_ap": PREFETCH
    + " (whether a later placement of a visible leaving's child exists, seen or not: nothing of it is shown)",
    "casework/selectors/destinations.py:neet_at_latest_check": PREFETCH
    + " (whether a later check of a visible check's leaving exists: nothing of it is shown)",
    "casework/selectors/referrals.py:referral_read": PREFETCH + " (referral_get_for_user, then its relations)",
    "casework/selectors/panels.py:referral_queue": PREFETCH + " (the LA's queue, referrals_visible_to)",
    "casework/selectors/panels.py:panel_agenda": SCOPED + " (the panel, after panel_get_for_user)",
    "casework/services/referrals.py:_locked": CHECK + " (the referral read through the gateway, locked to change)",
    "casework/services/referrals.py:referral_contribute": CHECK,
    "casework/services/panels.py:_agenda_refusal": CHECK,
    "casework/services/panels.py:agenda_add": CHECK,
    "casework/services/panels.py:agenda_remove": CHECK,
    "casework/services/panels.py:_decision_refusal": CHECK,
    "casework/services/panels.py:decision_record": CHECK,
    "casework/services/plans.py:personalised_plan_record": CHECK,
    "casework/models.py:objectives_due_refresh": SYSTEM
    + " (a plan's last objective date, kept as objectives are written)",
    "casework/services/reviews.py:review_record": CHECK + " (the last review, to count from it)",
    "casework/services/exits.py:placement_exit_record": CHECK
    + " (the placement's exit, read through the gateway, to change)",
    "casework/services/next_reviews.py:next_reviews_refresh": SYSTEM
    + " (each placement's next review due, worked out when what it depends on is written)",
    "casework/services/next_reviews.py:next_reviews_fill": SYSTEM + " (after an upgrade)",
}


def test_reads_of_child_data_start_from_the_access_gateway_or_are_listed_with_their_reason():
    found = set()
    for path in python_files("*/**/*.py"):
        if {"tests", "migrations", "demo", "bench"} & set(path.parts):
            continue
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == "objects"
                    and getattr(node.value, "id", "") in CHILD_DATA_MODELS
                ):
                    found.add(f"{path.relative_to(ROOT)}:{function.name}")
    assert found - set(MODEL_READS) == set(), "start these reads from core.access, or list them with a reason"
    assert set(MODEL_READS) - found == set(), "these no longer read from a model: take them off the list"
