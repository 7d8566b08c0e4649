"""Pages of the referral: the list, finding the child, the draft, checking and sending, withdrawing, fast-tracking."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from casework.forms import ContributionForm, FastTrackForm, FindChildForm, ReferralForm, SendForm, WithdrawForm
from casework.selectors.referrals import (
    LISTS,
    children_with_upn,
    days_waiting,
    default_list,
    open_referral_of,
    referral_prefill,
    referral_read,
    referrals_listed,
)
from casework.services.referrals import (
    referral_actions,
    referral_change_refusal,
    referral_contribute,
    referral_fast_track,
    referral_missing,
    referral_send,
    referral_start,
    referral_update,
    referral_withdraw,
)
from core.access import (
    child_get_for_user,
    deny,
    may_add_child,
    may_change_referral,
    may_contribute_to_referral,
    may_refer,
    may_refer_any_child,
    may_run_panels,
    may_withdraw_referral,
    referral_get_for_user,
)
from core.forms import run_service


def referral_list(request):
    status = request.GET.get("status") or default_list(user=request.user)
    status = status if status in dict(LISTS) else "all"
    child_id = request.GET.get("child") or None
    try:
        referrals = referrals_listed(user=request.user, status=status, child_public_id=child_id)
        page = Paginator(referrals, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    except ValidationError:  # a child id that is not an id finds no referral
        page = Paginator([], settings.REGISTER_PAGE_SIZE).get_page(1)
    today = timezone.localdate()
    for referral in page.object_list:
        referral.days_waiting = days_waiting(referral, today)
    tabs = [
        {
            "key": key,
            "words": words,
            "current": key == status,
            "query": urlencode({"status": key, **({"child": child_id} if child_id else {})}),
        }
        for key, words in LISTS
    ]
    return render(
        request,
        "casework/referral_list.html",
        {
            "page": page,
            "status": status,
            "tabs": tabs,
            "child_id": child_id,
            "words": dict(LISTS)[status],
            "may_refer": may_refer_any_child(request.user),
        },
    )


def referral_find(request):
    """Who are you referring? A UPN among the children the user may see, or an offer to add the child first."""
    if not may_refer_any_child(request.user):
        deny(
            user=request.user,
            reason="An AP setting does not refer children: ask the child's school or the local authority.",
            object_type="page",
            object_id="referral_find",
        )
    form = FindChildForm(request.GET if "upn" in request.GET else None)
    children, upn = None, ""
    if form.is_valid():
        upn = form.cleaned_data["upn"]
        children = [
            (child, may_refer(user=request.user, child=child))
            for child in children_with_upn(user=request.user, upn=upn)
        ]
    add_url = None
    if upn and may_add_child(request.user):
        back = f"{reverse('referral_find')}?{urlencode({'upn': upn})}"
        add_url = f"{reverse('child_new')}?{urlencode({'upn': upn, 'next': back})}"
    return render(
        request,
        "casework/referral_find.html",
        {"form": form, "children": children, "upn": upn, "add_url": add_url},
    )


def referral_new(request, child_id):
    child = child_get_for_user(user=request.user, public_id=child_id)
    if not may_refer(user=request.user, child=child):
        deny(
            user=request.user,
            child=child,
            reason="A school refers its own pupils; health, social care and the virtual school the children they work with.",
        )
    already = open_referral_of(user=request.user, child=child)
    if already is not None:
        messages.info(request, "Your organisation already has a referral of this child open: here it is.")
        page = "referral_detail" if referral_change_refusal(already) else "referral_edit"
        return redirect(page, already.public_id)
    form = ReferralForm(request.POST or None, initial=referral_prefill(child=child))
    if request.method == "POST":
        referral = run_service(form, lambda data: referral_start(user=request.user, child=child, data=data))
        if referral:
            messages.success(request, "Draft referral saved. Check your answers before you send it.")
            return redirect("referral_send", referral.public_id)
    return _form_page(request, form, child=child, title="Refer to a panel", back_url=child.get_absolute_url())


def referral_edit(request, public_id):
    referral = referral_get_for_user(user=request.user, public_id=public_id)
    if not may_change_referral(user=request.user, referral=referral):
        deny(
            user=request.user,
            reason="Only the organisation that made the referral can change it.",
            child=referral.child,
            detail={"referral": str(referral.public_id)},
        )
    refusal = referral_change_refusal(referral)
    if refusal:
        messages.error(request, refusal)
        return redirect(referral)
    form = ReferralForm(request.POST or None, instance=referral)
    if request.method == "POST":
        saved = run_service(form, lambda data: referral_update(user=request.user, referral=referral, data=data))
        if saved:
            messages.success(request, "Draft referral saved.")
            return redirect("referral_send", saved.public_id)
    back = reverse("referral_send", args=[referral.public_id])
    return _form_page(request, form, child=referral.child, title="Change the draft referral", back_url=back)


def referral_send_page(request, public_id):
    """Check your answers, then send."""
    referral = referral_get_for_user(user=request.user, public_id=public_id)
    if not may_change_referral(user=request.user, referral=referral):
        deny(
            user=request.user,
            reason="Only the organisation that made the referral can send it.",
            child=referral.child,
            detail={"referral": str(referral.public_id)},
        )
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral_send(user=request.user, referral=referral)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Referral of {referral.child.full_name} sent to the local authority.")
            return redirect(referral)
    refusal = referral_change_refusal(referral)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect(referral)
    read = referral_read(user=request.user, public_id=public_id)
    return render(
        request,
        "casework/referral_send.html",
        {"read": read, "referral": read.referral, "form": form, "missing": referral_missing(read.referral)},
    )


def referral_detail(request, public_id):
    read = referral_read(user=request.user, public_id=public_id)
    referral = read.referral
    return render(
        request,
        "casework/referral_detail.html",
        {
            "read": read,
            "referral": referral,
            "may": referral_actions(user=request.user, referral=referral),
            "today": timezone.localdate(),
        },
    )


def referral_withdraw_page(request, public_id):
    return _referral_act(
        request,
        public_id,
        allowed=may_withdraw_referral,
        refusal="Only the organisation that made the referral or the local authority can withdraw it.",
        form_class=WithdrawForm,
        act=lambda referral, data: referral_withdraw(
            user=request.user, referral=referral, reason=data["withdrawal_reason"]
        ),
        done="Referral withdrawn.",
        title="Withdraw the referral",
        submit="Withdraw referral",
    )


def referral_fast_track_page(request, public_id):
    return _referral_act(
        request,
        public_id,
        allowed=lambda *, user, referral: may_run_panels(user=user, area_id=referral.child.area_id),
        refusal="Only the local authority can fast-track a referral.",
        form_class=FastTrackForm,
        act=lambda referral, data: referral_fast_track(
            user=request.user, referral=referral, reason=data["fast_track_reason"]
        ),
        done="Referral fast-tracked: it is now at the head of the queue.",
        title="Fast-track the referral",
        submit="Fast-track",
    )


def referral_contribute_page(request, public_id):
    return _referral_act(
        request,
        public_id,
        allowed=may_contribute_to_referral,
        refusal="Only health, social care or the virtual school, while involved with the child, can add to a referral.",
        form_class=ContributionForm,
        act=lambda referral, data: referral_contribute(user=request.user, referral=referral, text=data["text"]),
        done="Added to the referral. The panel will read it with the referral.",
        title="Add what you know for the panel",
        submit="Add to the referral",
    )


def _referral_act(request, public_id, *, allowed, refusal, form_class, act, done, title, submit):
    """One thing done to a sent referral through a short form: withdrawing, fast-tracking, adding to it."""
    referral = referral_get_for_user(user=request.user, public_id=public_id)
    if not allowed(user=request.user, referral=referral):
        deny(user=request.user, reason=refusal, child=referral.child, detail={"referral": str(referral.public_id)})
    form = form_class(request.POST or None)
    if request.method == "POST" and run_service(form, lambda data: act(referral, data)):
        messages.success(request, done)
        return redirect(referral)
    return _form_page(
        request, form, child=referral.child, title=title, back_url=referral.get_absolute_url(), submit=submit
    )


def _form_page(request, form, *, child, title, back_url, submit="Save and continue"):
    context = {"form": form, "title": title, "caption": child.full_name, "back_url": back_url, "submit": submit}
    return render(request, "form_page.html", context)
