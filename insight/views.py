from django.shortcuts import render

from placements.selectors import dashboard_counts


def dashboard(request):
    return render(request, "insight/dashboard.html", dashboard_counts(user=request.user))
