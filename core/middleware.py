"""Rules that hold for every page: inspectors read only their inspection, every refusal is audited, and nothing
about a child is cached."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from core.access import deny, inspector_may_open, is_inspector
from core.audit import audit_record
from core.models import AuditAction


class InspectorMiddleware:
    """An inspector opens only the pages of their inspection, by GET, and is taken there from the start page.

    The list of pages is in the access policy; a page added later stays closed to inspectors until it is listed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            not user.is_authenticated
            or not is_inspector(user)
            or not getattr(view_func, "login_required", True)  # public pages: the survey, signing in
            or getattr(view_func, "two_factor_exempt", False)  # their own sign-in and sign-out
        ):
            return None
        url_name = request.resolver_match.url_name
        if url_name == "dashboard":
            return redirect("inspection_list")
        if inspector_may_open(url_name=url_name, method=request.method):
            return None
        deny(
            user=user,
            reason="Inspectors read their inspection's return and tracking packs, and change nothing.",
            object_type="page",
            object_id=url_name or "",
        )


class RefusalMiddleware:
    """A "not permitted" raised anywhere (a service's rule, a view's check) is answered 403 and audited once.

    "Not visible" needs nothing here: the access gateway audits it and answers 404 (core.access.refuse).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        unaudited = isinstance(exception, PermissionDenied) and not getattr(exception, "audited", False)
        if unaudited and request.user.is_authenticated:
            match = request.resolver_match
            audit_record(
                user=request.user,
                action=AuditAction.NOT_PERMITTED,
                object_type="page",
                object_id=(match.url_name if match else "") or "",
                detail={"reason": str(exception), "path": request.path[:200], "method": request.method},
            )
        return None


class NoStoreMiddleware:
    """Pages and downloads are never kept by a browser or a proxy: they hold children's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
