from django.shortcuts import render

from attendance.selectors import alerts_visible_to
from placements.selectors import dashboard_counts


def dashboard(request):
    context = dashboard_counts(user=request.user)
    context["open_alerts"] = alerts_visible_to(user=request.user).count()
    return render(request, "insight/dashboard.html", context)
