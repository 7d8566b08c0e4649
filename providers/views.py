from django.http import Http404
from django.shortcuts import render

from providers.models import Provider
from providers.selectors import provider_get, provider_placements, providers_for


def provider_list(request):
    return render(request, "providers/provider_list.html", {"providers": providers_for(user=request.user)})


def provider_detail(request, public_id):
    try:
        provider = provider_get(user=request.user, public_id=public_id)
    except Provider.DoesNotExist as missing:
        raise Http404("No provider found.") from missing
    placements = provider_placements(user=request.user, provider=provider)
    return render(request, "providers/provider_detail.html", {"provider": provider, "placements": placements})
