"""The area's settings: who sees what, and when placements are reviewed."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core.access import may_set_record_access, may_set_review_intervals
from core.areas import area_record_access_update, area_review_intervals_update
from core.forms import GovukModelForm, run_service
from core.models import Area


class RecordAccessForm(GovukModelForm):
    class Meta:
        model = Area
        fields = ["provider_access_days"]
        labels = {"provider_access_days": "Days a setting keeps sight of a placement after it ends"}
        widgets = {"provider_access_days": forms.NumberInput(attrs={"class": "govuk-input--width-3"})}
        error_messages = {
            "provider_access_days": {
                "required": "Enter a number of days, from 0 to 365",
                "invalid": "Enter a whole number of days, like 30",
                "max_value": "Enter a number of days from 0 to 365",
                "min_value": "Enter a number of days from 0 to 365",
            }
        }


def record_access(request):
    area = request.user.primary_organisation.area if request.user.primary_organisation else None
    if area is None or not may_set_record_access(user=request.user, area_id=area.pk):
        raise Http404("Not found")
    form = RecordAccessForm(request.POST or None, instance=area)
    saved = request.method == "POST" and run_service(
        form, lambda data: area_record_access_update(user=request.user, area=area, data=data)
    )
    if saved:
        messages.success(request, "Saved: settings see an ended placement for the days you set.")
        return redirect("account_list")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "What a setting sees after a placement ends",
            "caption": area.name,
            "back_url": reverse("account_list"),
        },
    )


class ReviewIntervalsForm(GovukModelForm):
    class Meta:
        model = Area
        fields = ["first_review_weeks", "second_review_weeks", "review_every_half_terms"]
        labels = {
            "first_review_weeks": "School weeks from the start to the first review",
            "second_review_weeks": "School weeks from the start to a dual-registered placement's second review",
            "review_every_half_terms": "At least one review every how many half terms",
        }
        widgets = {name: forms.NumberInput(attrs={"class": "govuk-input--width-3"}) for name in fields}
        error_messages = {
            name: {
                "required": "Enter a whole number",
                "invalid": "Enter a whole number, like 6",
                "max_value": f"Enter a number up to {high}",
                "min_value": f"Enter a number from {low}",
            }
            for name, low, high in (
                ("first_review_weeks", 1, 39),
                ("second_review_weeks", 2, 39),
                ("review_every_half_terms", 1, 6),
            )
        }


def review_intervals(request):
    """When the area's placements are reviewed: school weeks are counted on each setting's calendar."""
    area = request.user.primary_organisation.area if request.user.primary_organisation else None
    if area is None or not may_set_review_intervals(user=request.user, area_id=area.pk):
        raise Http404("Not found")
    form = ReviewIntervalsForm(request.POST or None, instance=area)
    saved = request.method == "POST" and run_service(
        form, lambda data: area_review_intervals_update(user=request.user, area=area, data=data)
    )
    if saved:
        messages.success(request, "Saved: reviews fall due at the intervals you set.")
        return redirect("reviews_overdue")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "When placements are reviewed",
            "caption": area.name,
            "back_url": reverse("reviews_overdue"),
        },
    )
