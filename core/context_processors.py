from django.conf import settings
from django.urls import reverse

from core.access import is_inspector, is_la_officer, may_manage_accounts
from core.tokens import api_organisation_for


def navigation(request):
    """The service navigation, with the current section marked."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    if settings.TWO_FACTOR_REQUIRED and not request.user.is_verified():
        # Until the code is given, every page but the code's own leads back to it.
        return {"current_organisation": request.user.primary_organisation}
    path = request.path
    items = [
        ("Dashboard", reverse("dashboard"), path == "/"),
        ("Register", reverse("register"), path.startswith("/register") or path.startswith("/children")),
        ("Providers", reverse("provider_list"), path.startswith("/providers")),
        ("Attendance", reverse("attendance_home"), path.startswith("/attendance")),
        ("Referrals", reverse("referral_list"), path.startswith("/referrals")),
    ]
    if is_la_officer(request.user):
        items.append(("Panels", reverse("panel_list"), path.startswith("/panels")))
        items.append(("Inspections", reverse("inspection_list"), path.startswith(("/inspections", "/surveys"))))
    elif is_inspector(request.user):
        items = [("Inspections", reverse("inspection_list"), path.startswith(("/inspections", "/surveys")))]
    return {
        "navigation": [{"text": t, "href": h, "current": c} for t, h, c in items],
        "current_organisation": request.user.primary_organisation,
        "manages_accounts": may_manage_accounts(request.user),
        # The area's school calendars are set once a year: beside Accounts, not in the navigation.
        "keeps_calendars": is_la_officer(request.user),
        "api_keys": bool(api_organisation_for(user=request.user)),
    }
