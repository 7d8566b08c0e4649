from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from attendance.forms import PeriodForm
from attendance.periods import period_from
from attendance.selectors import alerts_visible_to, attendance_by_child_page, provider_for, school_for
from attendance.views.registers import provider_home
from casework.selectors.panels import referral_queue_summary
from children.selectors import children_recorded_twice
from core.access import is_la_officer, may_add_child, may_see_sufficiency, may_settle_recorded_twice
from core.areas import area_oversight_settings_update
from core.forms import run_service
from insight.exports import register_csv_response
from insight.forms import OversightSettingsForm
from insight.oversight import FLAG_BY_KEY, Reads, dashboard_with_flags, flag_page, flags_for
from insight.selectors import (
    STANDINGS,
    ChildSearch,
    attendance_by_provider,
    attendance_by_provision_type,
    attendance_year_start,
    children_found,
    dashboard_counts,
    register_attendance,
    registers_missing,
)
from insight.sufficiency import sufficiency_for
from placements.forms import RegisterFilterForm
from placements.register import DIMENSION_BY_KEY
from placements.selectors import SORTS, RegisterQuery, register_children, register_choices, told_by_schools_counts
from providers.selectors import own_checks_expiring_count


def dashboard(request):
    if is_la_officer(request.user):
        context = dashboard_with_flags(Reads(user=request.user, today=date.today()))
    else:
        context = dashboard_counts(user=request.user)
    context["open_alerts"] = alerts_visible_to(user=request.user).count()
    context["recorded_twice"] = _recorded_twice_count(request.user)
    context["told"] = told_by_schools_counts(user=request.user, today=context["today"])
    context["queue"] = referral_queue_summary(user=request.user)
    # A provider's own staff are told when its safeguarding and compliance checks run out (issue 13, item 3).
    provider = provider_for(user=request.user)
    if provider is not None:
        context["own_checks"] = (provider, own_checks_expiring_count(provider=provider, today=context["today"]))
    return render(request, "insight/dashboard.html", context)


def oversight_flag(request, flag):
    """The children behind one oversight flag, for the LA of the area."""
    flag = FLAG_BY_KEY.get(flag)
    if flag is None or not is_la_officer(request.user) or flag not in flags_for(request.user.primary_organisation.area):
        raise Http404("Not found")
    page, rows = flag_page(
        user=request.user,
        flag=flag,
        today=date.today(),
        page_number=request.GET.get("page"),
        per_page=settings.REGISTER_PAGE_SIZE,
    )
    return render(request, "insight/oversight_flag.html", {"flag": flag, "page": page, "rows": rows})


def oversight_settings(request):
    if not is_la_officer(request.user):
        raise Http404("Not found")
    area = request.user.primary_organisation.area
    form = OversightSettingsForm(request.POST or None, instance=area)
    saved = request.method == "POST" and run_service(
        form, lambda data: area_oversight_settings_update(user=request.user, area=area, data=data)
    )
    if saved:
        messages.success(request, "The oversight flags' settings are saved.")
        return redirect("dashboard")
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "The oversight flags", "caption": area.name, "back_url": reverse("dashboard")},
    )


def child_list(request):
    search = ChildSearch.from_params(request.GET)
    page = Paginator(children_found(user=request.user, search=search), settings.REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "insight/child_list.html",
        {
            "page": page,
            "search": search,
            "standings": STANDINGS,
            "can_add_child": may_add_child(request.user),
            "recorded_twice": _recorded_twice_count(request.user),
        },
    )


def _recorded_twice_count(user) -> int:
    """For the LA, how many children a school added under a UPN the area already held."""
    if not may_settle_recorded_twice(user=user, area_id=user.primary_organisation.area_id):
        return 0
    return children_recorded_twice(user=user).count()


def register(request):
    """The register of children in AP, with each child's attendance at their current placement."""
    today = date.today()
    query = RegisterQuery.from_params(request.GET)
    children = register_children(user=request.user, query=query, today=today)
    page = Paginator(children, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    choices = register_choices(user=request.user)
    form = RegisterFilterForm(request.GET or None, initial={"period": query.period}, choices=choices)
    chosen = [
        (DIMENSION_BY_KEY[key].label, [dict(DIMENSION_BY_KEY[key].choices()).get(v, v) for v in values])
        for key, values in query.filters.items()
    ]
    return render(
        request,
        "placements/register.html",
        {
            "page": page,
            "form": form,
            "query": query,
            "chosen": choices.chosen(query) + chosen,
            "sort_options": SORTS,
            "today": today,
            "rows": register_attendance(user=request.user, children=page, today=today),
            "attendance_since": attendance_year_start(today),
            "can_add_child": may_add_child(request.user),
        },
    )


def register_export(request):
    query = RegisterQuery.from_params(request.GET)
    return register_csv_response(user=request.user, query=query)


def attendance_home(request):
    """A setting's staff upload and keep their register; everyone else reads the overview."""
    if provider_for(user=request.user):
        return provider_home(request)
    return attendance_overview(request)


def attendance_overview(request):
    """Attendance across the settings the user may see: by child, by setting or by type of provision."""
    today = date.today()
    organisation = request.user.primary_organisation
    if organisation is None:
        raise Http404("Not found")
    period, period_problems = period_from(request.GET, area=organisation.area, today=today)
    view = request.GET.get("by", "child")
    context = {
        "period": period,
        "period_problems": period_problems,
        "period_form": PeriodForm(request.GET or None, initial={"period": period.key}),
        "by": view,
        "views": [("child", "By child"), ("provider", "By setting"), ("type", "By type of provision")],
        "today": today,
        "is_school": school_for(user=request.user) is not None,
    }
    page_number, per_page = request.GET.get("page"), settings.REGISTER_PAGE_SIZE
    if view == "provider":
        lines = Paginator(attendance_by_provider(user=request.user, period=period), per_page).get_page(page_number)
    elif view == "type":
        lines = Paginator(attendance_by_provision_type(user=request.user, period=period), per_page).get_page(
            page_number
        )
    else:
        # A borough has a line for every placement: the database sorts and pages them, and only a page is built.
        lines = attendance_by_child_page(
            user=request.user, period=period, today=today, page_number=page_number, per_page=per_page
        )
    context["lines"] = lines
    if is_la_officer(request.user):
        context["missing_day"], context["missing"] = registers_missing(user=request.user, today=today)
    return render(request, "insight/attendance_overview.html", context)


def sufficiency(request):
    """The area's demand for AP against the places its directory offers, for the LA to plan."""
    if not may_see_sufficiency(request.user):
        raise Http404("Not found")
    return render(request, "insight/sufficiency.html", {"s": sufficiency_for(user=request.user, today=date.today())})
