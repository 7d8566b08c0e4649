"""People's accounts: who may add them, what roles they may hold, and the link that sets a password.

A local authority member who may manage accounts looks after every organisation of the
area (inspectors' accounts included); anyone else who may, their own organisation only.
Only the local authority gives the permission to produce inspection returns.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.access import managed_organisations, may_manage_person
from core.audit import audit_record
from core.models import ROLES_BY_KIND, AuditAction, Membership, Organisation, OrganisationKind, User


def _manages_for_la(user: User, organisation: Organisation) -> bool:
    return user.memberships.filter(
        may_manage_accounts=True,
        organisation__kind=OrganisationKind.LOCAL_AUTHORITY,
        organisation__area_id=organisation.area_id,
    ).exists()


def memberships_managed_by(*, user: User) -> QuerySet:
    return (
        Membership.objects.filter(organisation__in=managed_organisations(user=user))
        .select_related("user", "organisation")
        # By the names managers entered: the account's own would place someone not yet signed in by a name not shown.
        .order_by("organisation__name", "last_name_entered", "first_name_entered", "pk")
    )


def membership_get_for_manager(*, user: User, public_id) -> Membership:
    """The person's membership of an organisation this manager looks after; "not found" otherwise."""
    membership = memberships_managed_by(user=user).filter(user__public_id=public_id).first()
    if membership is None:
        raise Http404("Not found")
    return membership


def _check(actor: User, organisation: Organisation, role: str, may_export_returns: bool) -> None:
    if not managed_organisations(user=actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied("This person cannot manage accounts of that organisation.")
    if role not in ROLES_BY_KIND[organisation.kind]:
        allowed = ", ".join(Membership.Role(r).label for r in ROLES_BY_KIND[organisation.kind])
        raise ValidationError({"role": f"Someone at {organisation.name} can be: {allowed}."})
    if may_export_returns and organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        raise ValidationError({"may_export_returns": "Only local authority staff may produce inspection returns."})
    if may_export_returns and not _manages_for_la(actor, organisation):
        raise ValidationError({"may_export_returns": "Only the local authority gives this permission."})


def _send_link(membership: Membership, template: str) -> None:
    user = membership.user
    link = settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    context = {
        "user": user,
        "organisation": membership.organisation,
        "link": link,
        "username": user.username,
        "days": days,
    }
    body = render_to_string(template, context)
    transaction.on_commit(
        lambda: send_mail("Your AP Oversight account", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )


def _username_check(email: str) -> None:
    """A new account's username is its address: checked alike for every address before anything else, so that
    an address refused as a username says nothing about whether it already has an account."""
    try:
        User._meta.get_field("username").clean(email, None)
    except ValidationError as problem:
        too_long = any(error.code == "max_length" for error in problem.error_list)
        raise ValidationError(
            {
                "email": "Enter an address of at most 150 characters: it becomes their username"
                if too_long
                else "Enter an address with only letters, numbers and . _ + - before the @: it becomes their username"
            }
        ) from problem


def _membership_create(
    *,
    user: User,
    person: User,
    organisation: Organisation,
    role: str,
    data: dict,
    email: str,
    existing_account: bool = False,
) -> Membership:
    """The membership with its permissions, what the manager entered, and its audit event; the caller holds the transaction."""
    membership = Membership.objects.create(
        user=person,
        organisation=organisation,
        role=role,
        may_export_returns=data.get("may_export_returns", False),
        may_manage_accounts=data.get("may_manage_accounts", False),
        first_name_entered=data["first_name"],
        last_name_entered=data["last_name"],
        email_entered=email,
    )
    detail = {"organisation": organisation.name, "role": role} | (
        {"existing_account": True} if existing_account else {}
    )
    audit_record(
        user=user, action=AuditAction.ACCOUNT_CREATED, object_type="user", object_id=person.public_id, detail=detail
    )
    return membership


def _membership_add(
    *, user: User, person: User, organisation: Organisation, role: str, data: dict, email: str
) -> Membership:
    with transaction.atomic():
        membership = _membership_create(
            user=user,
            person=person,
            organisation=organisation,
            role=role,
            data=data,
            email=email,
            existing_account=True,
        )
        body = render_to_string("core/email/account_added.txt", {"user": person, "organisation": organisation})
        transaction.on_commit(
            lambda: send_mail("Your AP Oversight account", body, settings.DEFAULT_FROM_EMAIL, [person.email])
        )
    return membership


def account_create(*, user: User, data: dict) -> Membership:
    """Add a person to an organisation; they get an email with a link to set their password.

    Their username is their email address. Whether an address already has an account elsewhere must
    not show to the manager: such a person is added to the organisation as a new membership of the
    account they have, and told so by email, with no link to set a password (the account stays theirs:
    a manager of one of their organisations cannot stop it or reset its app, see may_manage_person).
    Only an address already in the organisation itself is refused, which its manager can see anyway.
    Until the person signs in, the manager's pages show of either only what the manager entered
    (Membership.signed_in_since_added). An account that nobody ever signed in to and that belongs to no
    organisation (added, then removed before signing in: membership_remove) is made anew, like a new one.
    """
    organisation, role = data["organisation"], data["role"]
    _check(user, organisation, role, data.get("may_export_returns", False))
    email = data["email"].strip().lower()
    _username_check(email)
    existing = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).first()
    if existing is not None and existing.memberships.filter(organisation=organisation).exists():
        raise ValidationError({"email": f"This person already has an account for {organisation.name}."})
    never_used = existing is not None and existing.last_login is None and not existing.memberships.exists()
    if existing is not None and not never_used:
        return _membership_add(user=user, person=existing, organisation=organisation, role=role, data=data, email=email)
    with transaction.atomic():
        person = existing or User(username=email, email=email)
        person.first_name, person.last_name, person.is_active = data["first_name"], data["last_name"], True
        person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save()
        membership = _membership_create(
            user=user, person=person, organisation=organisation, role=role, data=data, email=email
        )
        _send_link(membership, "core/email/account_created.txt")
    return membership


def account_change(*, user: User, membership: Membership, data: dict) -> Membership:
    """Change a person's role and permissions in one organisation. Nobody takes away their own right to manage."""
    _check(user, membership.organisation, data["role"], data.get("may_export_returns", False))
    if membership.user_id == user.pk and not data.get("may_manage_accounts", False):
        raise ValidationError({"may_manage_accounts": "You cannot take away your own permission to manage accounts."})
    before = {f: getattr(membership, f) for f in ("role", "may_export_returns", "may_manage_accounts")}
    after = {f: data.get(f, False) for f in before}
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(**after)
        audit_record(
            user=user,
            action=AuditAction.ACCOUNT_CHANGED,
            object_type="user",
            object_id=membership.user.public_id,
            detail={"organisation": membership.organisation.name, "before": before, "after": after},
        )
    membership.refresh_from_db()
    return membership


def account_set_active(*, user: User, membership: Membership, active: bool) -> None:
    """Stop a person signing in, or let them again: only a manager of every organisation they belong to.

    Not someone who has not signed in since they were added: whether the account is stopped, or is
    anyone else's to stop, would show whether the address had an account. They are removed instead.
    """
    person = membership.user
    if person.pk == user.pk:
        raise ValidationError("You cannot stop your own account.")
    if not membership.signed_in_since_added:
        raise ValidationError(
            f"They have not signed in since they were added. To take them off, remove them from {membership.organisation.name}."
        )
    if not may_manage_person(user=user, person=person):
        raise ValidationError(
            "This person also works for an organisation you do not manage. Ask the local authority to stop the account."
        )
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(is_active=active)
        action = AuditAction.ACCOUNT_REACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED
        audit_record(user=user, action=action, object_type="user", object_id=person.public_id)
    person.is_active = active


def account_link_send(*, user: User, membership: Membership) -> None:
    """Send a new link to set a password, for someone who never used theirs or has forgotten it.

    Sent alike to anyone who has not signed in since they were added, a new account or one that had an
    address already (whose owner keeps their password unless they use the link): the manager cannot
    tell the two apart. Someone who has signed in since, and whose account is stopped, gets none.
    """
    if membership.signed_in_since_added and not membership.user.is_active:
        raise ValidationError("This account is stopped. Let the person sign in again first.")
    with transaction.atomic():
        audit_record(
            user=user, action=AuditAction.ACCOUNT_LINK_SENT, object_type="user", object_id=membership.user.public_id
        )
        _send_link(membership, "core/email/password_link.txt")


def membership_remove(*, user: User, membership: Membership) -> None:
    """Take off someone who has not signed in since they were added: added by mistake, or not joining after all.

    Their place in this organisation goes, alike for a new account and one the address had already. An
    account left with no organisation is stopped too (a link it was sent no longer signs anyone in), and is
    made anew if the address is added again; an account that has other organisations stays as it is.
    Someone who has signed in since is stopped instead (account_set_active), by whoever may.
    """
    person = membership.user
    if person.pk == user.pk:
        raise ValidationError("You cannot remove yourself.")
    if membership.signed_in_since_added:
        raise ValidationError("They have signed in since they were added: stop the account instead.")
    with transaction.atomic():
        membership.delete()
        alone = not person.memberships.exists()
        if alone:
            User.objects.filter(pk=person.pk).update(is_active=False)
        audit_record(
            user=user,
            action=AuditAction.ACCOUNT_REMOVED,
            object_type="user",
            object_id=person.public_id,
            detail={"organisation": membership.organisation.name, "account_stopped": alone},
        )


SYSTEM_USERNAME = "ap-oversight-system"


def system_actor() -> User:
    """Who acts for scheduled work (the daily attendance check), so that its writes are audited like a person's.

    The account can never sign in: it has no password, no organisation, and is stopped.
    """
    actor, _created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "AP Oversight", "last_name": "(scheduled check)", "is_active": False},
    )
    if actor.has_usable_password():
        actor.set_unusable_password()
        actor.save(update_fields=["password"])
    return actor
