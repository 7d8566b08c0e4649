"""The area's settings of who sees what."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core.access import may_set_record_access
from core.areas import area_record_access_update
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
