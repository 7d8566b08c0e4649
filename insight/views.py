from django.core.paginator import Paginator
from django.shortcuts import render

from attendance.selectors import alerts_visible_to
from core.access import may_add_child
from insight.selectors import STANDINGS, ChildSearch, children_found
from placements.selectors import dashboard_counts

PAGE_SIZE = 50


def dashboard(request):
    context = dashboard_counts(user=request.user)
    context["open_alerts"] = alerts_visible_to(user=request.user).count()
    return render(request, "insight/dashboard.html", context)


def child_list(request):
    search = ChildSearch.from_params(request.GET)
    page = Paginator(children_found(user=request.user, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insight/child_list.html",
        {
            "page": page,
            "search": search,
            "standings": STANDINGS,
            "can_add_child": may_add_child(request.user),
        },
    )
