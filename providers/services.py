"""Writes to the provider directory. The LA keeps it; each write is audited."""

import json
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.access import (
    QA_STRAND_SECTORS,
    check_confirmation_commissioners,
    may_change_qa_visit,
    may_decide_provider_approval,
    may_import_establishments,
    may_keep_provider_directory,
    may_keep_qa_framework,
    may_mark_qa_action_done,
    may_record_provider_check,
    may_set_check_expiry_days,
    qa_strand_organisation,
    qa_visiting_organisation,
)
from core.areas import area_settings_save
from core.audit import audit_record
from core.codes import code_set
from core.documents import document_read
from core.geo import postcode_location
from core.models import Area, AuditAction, Organisation, OrganisationKind, UploadedList, User
from core.required import is_blank, missing
from providers.models import (
    ApprovalModel,
    ApprovalStatus,
    CheckOutcome,
    Provider,
    ProviderApproval,
    ProviderCheck,
    ProviderContact,
    ProviderSite,
    QAAction,
    QACriterion,
    QAFramework,
    QAFrameworkVersion,
    QARating,
    QARatingPoint,
    QASignal,
    QAStrand,
    QAStrandSector,
    QATheme,
    QAVersionStatus,
    QAVisit,
    QAVisitFor,
    Registration,
    check_default_expiry,
    check_type_info,
    next_area_reference,
)

ORGANISATION_FIELDS = ("name", "urn")


def _check_registration(provider: Provider, urn: str) -> None:
    """How a setting is identified follows from its registration, as the AP census records it."""
    errors = {}
    if provider.registration == Registration.INDEPENDENT_UNREGISTERED:
        if urn:
            errors["urn"] = "An unregistered setting has no URN; choose a registered status or leave the URN blank"
        if not provider.ukprn and not provider.ap_setting_type:
            errors["ap_setting_type"] = "For a setting with no URN or UKPRN, select its AP setting type"
    else:
        if not urn:
            errors["urn"] = "Enter the setting's URN from Get Information about Schools"
        if not provider.gias_establishment_type:
            errors["gias_establishment_type"] = (
                "Select the setting's establishment type in Get Information about Schools"
            )
    if errors:
        raise ValidationError(errors)


def _save(*, user: User, provider: Provider, organisation: Organisation, data: dict, action: AuditAction) -> Provider:
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    for name in ORGANISATION_FIELDS:
        setattr(organisation, name, data.pop(name))
    for name, value in data.items():
        setattr(provider, name, value)
    _check_registration(provider, organisation.urn)
    _place(provider)
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        provider.organisation = organisation
        provider.full_clean()
        provider.save()
        audit_record(user=user, action=action, object_type="provider", object_id=provider.public_id)
    return provider


def provider_create(*, user: User, data: dict) -> Provider:
    """Add a setting to the area's directory."""
    area = user.primary_organisation.area
    organisation = Organisation(kind=OrganisationKind.AP_PROVIDER, area=area)
    return _save(
        user=user, provider=Provider(), organisation=organisation, data=dict(data), action=AuditAction.PROVIDER_CREATED
    )


def provider_update(*, user: User, provider: Provider, data: dict) -> Provider:
    """Change a setting's details; the history keeps the old values."""
    return _save(
        user=user,
        provider=provider,
        organisation=provider.organisation,
        data=dict(data),
        action=AuditAction.PROVIDER_CHANGED,
    )


APPROVAL_REQUIRED = {
    "status": "Choose the provider's approval",
    "approval_model": "Choose how the area came to it",
    "reason": "Enter why: for approval with conditions, the conditions",
    "decided_on": "Enter the date it was decided",
}


def provider_approval_record(*, user: User, provider: Provider, data: dict) -> ProviderApproval:
    """Record the area's decision on a provider's approval (approved, with conditions, under review, suspended,
    not approved), with how it was reached, why, when, and when it is looked at again.

    The LA may. A decision is never changed: a new one is recorded, and the earlier ones are its history.
    """
    if not may_decide_provider_approval(user):
        raise PermissionDenied("Only the local authority decides a provider's approval.")
    errors = missing(data, APPROVAL_REQUIRED)
    if data.get("status") and data["status"] not in ApprovalStatus.values:
        errors.setdefault("status", []).append("Choose the provider's approval from the list")
    if data.get("approval_model") and data["approval_model"] not in ApprovalModel.values:
        errors.setdefault("approval_model", []).append("Choose how the area came to it from the list")
    decided_on, review_by = data.get("decided_on"), data.get("review_by")
    if decided_on and decided_on > date.today():
        errors.setdefault("decided_on", []).append("The date decided must be today or in the past")
    if decided_on and review_by and review_by <= decided_on:
        errors.setdefault("review_by", []).append("The review date must be after the date decided")
    if errors:
        raise ValidationError(errors)
    approval = ProviderApproval(
        provider=provider,
        status=data["status"],
        approval_model=data["approval_model"],
        reason=data["reason"].strip(),
        decided_on=decided_on,
        review_by=review_by,
        decided_by=user,
    )
    approval.full_clean()
    with transaction.atomic():
        approval.save()
        audit_record(
            user=user,
            action=AuditAction.PROVIDER_APPROVAL_DECIDED,
            object_type="provider",
            object_id=provider.public_id,
            detail={"status": approval.status, "approval_model": approval.approval_model},
        )
    return approval


# Safeguarding and compliance checks (issue 13, item 3).

# What a check's evidence may be: documents and the photographs or scans of certificates.
CHECK_EVIDENCE_TYPES = {".pdf", ".docx", ".doc", ".odt", ".rtf", ".jpg", ".jpeg", ".png"}
CHECK_REQUIRED = {
    "check_type": "Choose the check",
    "outcome": "Choose what was found",
    "seen_by": "Enter who saw the evidence, with their role",
    "seen_on": "Enter the date the evidence was seen",
}
NAMED_PEOPLE_REQUIRED = {
    "dsl_name": "Enter the name of the designated safeguarding lead",
    "dsl_trained_on": "Enter the date of the lead's latest safeguarding lead training",
    "deputy_name": "Enter the name of the deputy designated safeguarding lead",
    "deputy_trained_on": "Enter the date of the deputy's latest safeguarding lead training",
}


def _check_errors(data: dict, today: date) -> dict:
    errors = missing(data, CHECK_REQUIRED)
    check_type, outcome, seen_on = data.get("check_type"), data.get("outcome"), data.get("seen_on")
    if check_type and check_type not in code_set("provider_check_type"):
        errors.setdefault("check_type", []).append("Choose the check from the list")
        check_type = None
    if outcome and outcome not in CheckOutcome.values:
        errors.setdefault("outcome", []).append("Choose what was found from the list")
    if outcome == CheckOutcome.NOT_APPLICABLE and check_type and check_type_info(check_type)["may_not_apply"] != "Y":
        errors.setdefault("outcome", []).append(
            "Every setting needs this check: choose seen and satisfactory, seen with concerns, or not provided"
        )
    if outcome and outcome != CheckOutcome.NOT_PROVIDED and is_blank(data.get("evidence")):
        errors.setdefault("evidence", []).append("Enter the evidence seen: what it was and what it showed")
    if seen_on and seen_on > today:
        errors.setdefault("seen_on", []).append("The date seen must be today or in the past")
    seen = outcome in (CheckOutcome.SATISFACTORY, CheckOutcome.CONCERNS)
    if check_type and seen and check_type_info(check_type)["names_people"] == "Y":
        for name, message in missing(data, NAMED_PEOPLE_REQUIRED).items():
            errors.setdefault(name, []).extend(message)
    for name, who in (("dsl_trained_on", "The lead's"), ("deputy_trained_on", "The deputy's")):
        trained_on = data.get(name)
        if trained_on and trained_on > today:
            errors.setdefault(name, []).append(f"{who} training date must be today or in the past")
        elif trained_on and seen_on and not data.get("expires_on") and check_type:
            months = int(check_type_info(check_type)["valid_months"])
            if trained_on + relativedelta(months=months) <= seen_on:
                errors.setdefault(name, []).append(
                    f"{who} training was more than {months} months before the date seen: "
                    "the training must be renewed (Keeping children safe in education: at least every two years)"
                )
    expires_on = data.get("expires_on")
    if expires_on and seen_on and expires_on <= seen_on:
        errors.setdefault("expires_on", []).append("The expiry date must be after the date seen")
    return errors


def provider_check_record(
    *, user: User, provider: Provider, data: dict, upload=None, today: date | None = None
) -> ProviderCheck:
    """Record a check of a provider: what was seen, by whom, when, with what outcome, and when it expires.

    The LA of the area or the provider itself may. The evidence must be described unless it was not provided; a
    file, if given, is read as every uploaded document is (core.documents). Without an expiry date the kind's
    validity (core/reference/provider_check_types.csv) sets it. A check is never changed: made again, it is a new
    record, and the latest counts.
    """
    if not may_record_provider_check(user=user, provider=provider):
        raise PermissionDenied("Only the local authority or the provider itself records the provider's checks.")
    today = today or date.today()
    errors = _check_errors(data, today)
    filename, content = "", b""
    if upload is not None:
        try:
            filename, content = document_read(
                upload, allowed=CHECK_EVIDENCE_TYPES, described="a PDF, Word, OpenDocument, RTF, JPEG or PNG file"
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                errors.setdefault(name, []).extend(problems)
    if errors:
        raise ValidationError(errors)
    names = check_type_info(data["check_type"])["names_people"] == "Y"
    check = ProviderCheck(
        provider=provider,
        check_type=data["check_type"],
        outcome=data["outcome"],
        evidence=(data.get("evidence") or "").strip(),
        filename=filename,
        content=content,
        dsl_name=(data.get("dsl_name") or "").strip() if names else "",
        dsl_trained_on=data.get("dsl_trained_on") if names else None,
        deputy_name=(data.get("deputy_name") or "").strip() if names else "",
        deputy_trained_on=data.get("deputy_trained_on") if names else None,
        seen_by=data["seen_by"].strip(),
        seen_on=data["seen_on"],
        expires_on=data.get("expires_on")
        or check_default_expiry(
            check_type=data["check_type"],
            seen_on=data["seen_on"],
            dsl_trained_on=data.get("dsl_trained_on") if names else None,
            deputy_trained_on=data.get("deputy_trained_on") if names else None,
        ),
        notes=(data.get("notes") or "").strip(),
        recorded_by=user,
        recorded_for=_recording_organisation(user, provider),
    )
    check.full_clean()
    with transaction.atomic():
        check.save()
        audit_record(
            user=user,
            action=AuditAction.PROVIDER_CHECK_RECORDED,
            object_type="provider",
            object_id=provider.public_id,
            detail={
                "check": str(check.public_id),
                "check_type": check.check_type,
                "outcome": check.outcome,
                "expires_on": check.expires_on.isoformat(),
                "evidence_file": bool(filename),
            },
        )
    return check


def _recording_organisation(user: User, provider: Provider) -> Organisation:
    """The provider when its own staff record; else the LA of the area."""
    for organisation in user.organisations:
        if organisation.pk == provider.organisation_id:
            return organisation
    return next(
        o
        for o in user.organisations
        if o.kind == OrganisationKind.LOCAL_AUTHORITY and o.area_id == provider.organisation.area_id
    )


def check_confirmation_produce(
    *, user: User, provider: Provider, commissioner: Organisation, html: str, as_pdf: bool
) -> bytes | None:
    """Produce a provider's written confirmation of checks for one commissioner, as a printable page or a PDF.

    Only for a commissioner check_confirmation_commissioners allows this user. Every production is audited, with
    the gaps it showed (a required check missing, expired or of concern): the document says so on its face.
    """
    allowed = check_confirmation_commissioners(user=user, provider=provider)
    if not allowed.filter(pk=commissioner.pk).exists():
        raise PermissionDenied("You may produce a confirmation of checks only for a commissioner you act for.")
    body = None
    if as_pdf:
        # WeasyPrint takes about a second to import: loaded when a PDF is asked for, not by every process.
        from core.pdf import pdf_from_html

        body = pdf_from_html(html)
    with transaction.atomic():
        audit_record(
            user=user,
            action=AuditAction.CHECK_CONFIRMATION_PRODUCED,
            object_type="provider",
            object_id=provider.public_id,
            detail={"commissioner": str(commissioner.public_id), "format": "pdf" if as_pdf else "html"},
        )
    return body


def area_check_expiry_days_update(*, user: User, area, data: dict):
    """How many days ahead the area lists a provider's check as expiring: its LA."""
    if not may_set_check_expiry_days(user=user, area_id=area.pk):
        raise PermissionDenied("Only the local authority sets when checks are listed as expiring.")
    return area_settings_save(user=user, area=area, data=data, action=AuditAction.CHECK_EXPIRY_DAYS_CHANGED)


# Quality assurance (issue 13, item 4): the area's framework, versioned, and the visits made against it.

# Where an area's framework starts: the four DfE standards for non-school AP, with a three-point scale.
QA_FRAMEWORK_SEED = Path(__file__).resolve().parent / "reference" / "qa_framework_dfe_2025.json"


def _seed() -> dict:
    return json.loads(QA_FRAMEWORK_SEED.read_text(encoding="utf-8"))


def qa_framework_ensure(*, area: Area) -> QAFramework:
    """The area's quality-assurance framework; an area without one gets version 1, published, from the DfE
    standards the first time anyone asks, so that it is there from the first day the area uses the service."""
    try:
        return area.qa_framework
    except QAFramework.DoesNotExist:
        pass
    seed = _seed()
    with transaction.atomic():
        framework, created = QAFramework.objects.get_or_create(area=area, defaults={"name": seed["name"]})
        if not created:
            return framework
        version = QAFrameworkVersion.objects.create(
            framework=framework, number=1, status=QAVersionStatus.PUBLISHED, published_on=date.today()
        )
        QARatingPoint.objects.bulk_create(
            QARatingPoint(version=version, position=n, label=p["label"], guidance=p["guidance"], signal=p["signal"])
            for n, p in enumerate(seed["scale"], start=1)
        )
        for n, theme in enumerate(seed["themes"], start=1):
            saved = QATheme.objects.create(
                version=version, position=n, title=theme["title"], description=theme["description"]
            )
            QACriterion.objects.bulk_create(
                QACriterion(theme=saved, position=m, text=c["text"], guidance=c["guidance"])
                for m, c in enumerate(theme["criteria"], start=1)
            )
    return framework


def _refuse_unless_keeper(user: User) -> None:
    if not may_keep_qa_framework(user):
        raise PermissionDenied("Only the local authority keeps the area's quality-assurance framework.")


def _draft_only(version: QAFrameworkVersion) -> None:
    """A published version never changes: the visits made against it keep what it asked."""
    if not version.is_draft:
        raise ValidationError(
            f"Version {version.number} is published and cannot change: start a new draft from it and publish that"
        )


def _audit_framework(user: User, framework: QAFramework, action: AuditAction, **detail) -> None:
    audit_record(user=user, action=action, object_type="qa_framework", object_id=framework.public_id, detail=detail)


def qa_framework_settings_update(*, user: User, framework: QAFramework, data: dict) -> QAFramework:
    """The framework's name and how often each provider with children placed is visited (at least yearly)."""
    _refuse_unless_keeper(user)
    errors = missing(data, {"name": "Enter the framework's name"})
    months = data.get("visit_interval_months")
    if months is None:
        errors["visit_interval_months"] = ["Enter how many months between visits, from 1 to 12"]
    elif not 1 <= months <= 12:
        errors["visit_interval_months"] = ["Visit at least once a year: enter a number of months from 1 to 12"]
    if errors:
        raise ValidationError(errors)
    framework.name = data["name"].strip()
    framework.visit_interval_months = months
    framework.full_clean()
    with transaction.atomic():
        framework.save()
        _audit_framework(user, framework, AuditAction.QA_FRAMEWORK_CHANGED, visit_interval_months=months)
    return framework


def qa_version_copy(*, version: QAFrameworkVersion) -> QAFrameworkVersion:
    """A new draft, the next number, copying a version's scale, themes and criteria. Not audited: qa_draft_start
    is the person's act; the demo's generated framework calls this directly."""
    draft = QAFrameworkVersion.objects.create(framework=version.framework, number=version.number + 1)
    QARatingPoint.objects.bulk_create(
        QARatingPoint(version=draft, position=p.position, label=p.label, guidance=p.guidance, signal=p.signal)
        for p in version.points.all()
    )
    for theme in version.themes.prefetch_related("criteria"):
        copy = QATheme.objects.create(
            version=draft, position=theme.position, title=theme.title, description=theme.description
        )
        QACriterion.objects.bulk_create(
            QACriterion(theme=copy, position=c.position, text=c.text, guidance=c.guidance) for c in theme.criteria.all()
        )
    return draft


def qa_draft_start(*, user: User, framework: QAFramework) -> QAFrameworkVersion:
    """A new draft version, a copy of the latest version (themes, criteria and scale), to change and publish."""
    _refuse_unless_keeper(user)
    latest = framework.versions.order_by("-number").first()
    if latest.is_draft:
        raise ValidationError(f"Version {latest.number} is already a draft: change it or publish it")
    with transaction.atomic():
        draft = qa_version_copy(version=latest)
        _audit_framework(user, framework, AuditAction.QA_FRAMEWORK_CHANGED, draft=draft.number)
    return draft


CRITERION_REQUIRED = {"text": "Enter the criterion: what the visit rates"}


def qa_criterion_save(*, user: User, theme: QATheme, data: dict, criterion: QACriterion | None = None) -> QACriterion:
    """Add a criterion to a theme of the draft, or change one of its criteria."""
    _refuse_unless_keeper(user)
    _draft_only(theme.version)
    errors = missing(data, CRITERION_REQUIRED)
    if errors:
        raise ValidationError(errors)
    if criterion is None:
        last = theme.criteria.order_by("-position").values_list("position", flat=True).first() or 0
        criterion = QACriterion(theme=theme, position=last + 1)
    criterion.text = data["text"].strip()
    criterion.guidance = (data.get("guidance") or "").strip()
    criterion.full_clean()
    with transaction.atomic():
        criterion.save()
        _audit_framework(user, theme.version.framework, AuditAction.QA_FRAMEWORK_CHANGED, criterion=criterion.text)
    return criterion


def qa_criterion_remove(*, user: User, criterion: QACriterion) -> None:
    """Take a criterion out of the draft; the published versions keep theirs."""
    _refuse_unless_keeper(user)
    version = criterion.theme.version
    _draft_only(version)
    with transaction.atomic():
        criterion.delete()
        _audit_framework(user, version.framework, AuditAction.QA_FRAMEWORK_CHANGED, removed=criterion.text)


POINT_REQUIRED = {"label": "Enter the point's name, like Meets", "guidance": "Enter when to give this rating"}


def qa_rating_point_save(*, user: User, point: QARatingPoint, data: dict) -> QARatingPoint:
    """Change what a point of the draft's rating scale is called and when to give it."""
    _refuse_unless_keeper(user)
    _draft_only(point.version)
    errors = missing(data, POINT_REQUIRED)
    if data.get("signal") not in QASignal.values:
        errors["signal"] = ["Choose what the point means for oversight: green, amber or red"]
    label = (data.get("label") or "").strip()
    if label and point.version.points.exclude(pk=point.pk).filter(label__iexact=label).exists():
        errors.setdefault("label", []).append("Another point of the scale has this name: give each its own")
    if errors:
        raise ValidationError(errors)
    point.label, point.guidance, point.signal = label, data["guidance"].strip(), data["signal"]
    with transaction.atomic():
        point.save()
        _audit_framework(user, point.version.framework, AuditAction.QA_FRAMEWORK_CHANGED, point=point.label)
    return point


def qa_version_publish(*, user: User, version: QAFrameworkVersion) -> QAFrameworkVersion:
    """Publish the draft: new visits use it from now; visits already made keep the version they used."""
    _refuse_unless_keeper(user)
    _draft_only(version)
    if not QACriterion.objects.filter(theme__version=version).exists():
        raise ValidationError("The draft has no criteria: add at least one before publishing it")
    version.status, version.published_on, version.published_by = QAVersionStatus.PUBLISHED, date.today(), user
    with transaction.atomic():
        version.save()
        _audit_framework(user, version.framework, AuditAction.QA_FRAMEWORK_PUBLISHED, version=version.number)
    return version


def qa_next_visit_due(*, visited_on: date, interval_months: int) -> date:
    """The latest date the next visit may be: the area's interval after this one."""
    return visited_on + relativedelta(months=interval_months)


VISIT_REQUIRED = {
    "visited_on": "Enter the date of the visit",
    "for_whom": "Choose for whom the visit was made",
    "education": "Enter what the visit found about education",
    "safeguarding": "Enter what the visit found about safeguarding",
    "strengths": "Enter the provider's strengths the visit found",
    "children_views": "Enter the children's views the visit gathered, or why none were",
    "overall": "Choose the overall judgement",
    "overall_summary": "Enter why: the overall judgement in words",
}


def qa_visit_record(*, user: User, provider: Provider, data: dict) -> QAVisit:
    """Record a quality-assurance visit against the area's latest published framework: every criterion rated on
    its scale with the evidence seen, the education and safeguarding strands, strengths, the children's views,
    an overall judgement, and the next visit (by default, and at the latest, the area's interval after this one).

    The LA of the provider's area records the area's visit; a school placing a child there may record its own.
    """
    organisation = qa_visiting_organisation(user=user, provider=provider)
    if organisation is None:
        raise PermissionDenied("Only the local authority, or a school placing children here, records a visit.")
    framework = qa_framework_ensure(area=provider.organisation.area)
    version = framework.versions.filter(status=QAVersionStatus.PUBLISHED).order_by("-number").first()
    points = {p.pk: p for p in version.points.all()}
    criteria = list(QACriterion.objects.filter(theme__version=version).select_related("theme"))
    errors = missing(data, VISIT_REQUIRED)
    if not data.get("visitors") and is_blank(data.get("other_visitors")):
        errors["visitors"] = ["Choose who visited, or name the others who did"]
    if any(v not in QAVisitFor.values for v in data.get("for_whom") or []):
        errors.setdefault("for_whom", []).append("Choose for whom the visit was made from the list")
    visited_on, next_on = data.get("visited_on"), data.get("next_visit_on")
    if visited_on and visited_on > date.today():
        errors.setdefault("visited_on", []).append("The date of the visit must be today or in the past")
    if visited_on:
        latest = qa_next_visit_due(visited_on=visited_on, interval_months=framework.visit_interval_months)
        if next_on and next_on <= visited_on:
            errors.setdefault("next_visit_on", []).append("The next visit must be after this one")
        elif next_on and next_on > latest:
            errors.setdefault("next_visit_on", []).append(
                f"The area visits at least every {framework.visit_interval_months} months: "
                f"the next visit must be by {latest.day} {latest:%B %Y}"
            )
        next_on = next_on or latest
    overall = data.get("overall")
    if overall and _point_pk(overall) not in points:
        errors.setdefault("overall", []).append("Choose the overall judgement from the area's scale")
    ratings = data.get("ratings") or {}
    for criterion in criteria:
        given = ratings.get(criterion.pk) or {}
        number = f"{criterion.theme.position}.{criterion.position}"
        if _point_pk(given.get("point")) not in points:
            errors[f"rating_{criterion.pk}"] = [f"Choose a rating for {number}: {criterion.text}"]
        if is_blank(given.get("evidence")):
            errors[f"evidence_{criterion.pk}"] = [f"Enter the evidence seen for {number}"]
    if errors:
        raise ValidationError(errors)
    visit = QAVisit(
        provider=provider,
        version=version,
        organisation=organisation,
        visited_on=visited_on,
        other_visitors=(data.get("other_visitors") or "").strip(),
        for_whom=[v for v in QAVisitFor.values if v in data["for_whom"]],
        strengths=data["strengths"].strip(),
        children_views=data["children_views"].strip(),
        overall=points[_point_pk(overall)],
        overall_summary=data["overall_summary"].strip(),
        next_visit_on=next_on,
        recorded_by=user,
    )
    with transaction.atomic():
        visit.save()
        visit.visitors.set(data.get("visitors") or [])
        QARating.objects.bulk_create(
            QARating(
                visit=visit,
                criterion=c,
                point=points[_point_pk(ratings[c.pk]["point"])],
                evidence=ratings[c.pk]["evidence"].strip(),
            )
            for c in criteria
        )
        QAStrand.objects.bulk_create(
            QAStrand(
                visit=visit, sector=sector, findings=data[sector].strip(), organisation=organisation, recorded_by=user
            )
            for sector in (QAStrandSector.EDUCATION, QAStrandSector.SAFEGUARDING)
        )
        audit_record(
            user=user,
            action=AuditAction.QA_VISIT_RECORDED,
            object_type="provider",
            object_id=provider.public_id,
            detail={"visit": str(visit.public_id), "version": version.number, "overall": visit.overall.label},
        )
    return visit


def _point_pk(value) -> int | None:
    """A rating point chosen on a form: its id, or None for anything that is not one."""
    if isinstance(value, QARatingPoint):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def qa_strand_add(*, user: User, visit: QAVisit, data: dict) -> QAStrand:
    """Health's or social care's strand of a visit, added to the same record by a practitioner of the area."""
    organisation = qa_strand_organisation(user=user, visit=visit)
    if organisation is None:
        raise PermissionDenied("Only health or social care of the area add a strand to a visit.")
    sector = QA_STRAND_SECTORS[organisation.kind]
    if visit.strands.filter(sector=sector).exists():
        raise ValidationError(
            {"findings": f"The {QAStrandSector(sector).label.lower()} strand of this visit is already recorded"}
        )
    errors = missing(data, {"findings": f"Enter what {QAStrandSector(sector).label.lower()} found"})
    if errors:
        raise ValidationError(errors)
    strand = QAStrand(
        visit=visit, sector=sector, findings=data["findings"].strip(), organisation=organisation, recorded_by=user
    )
    with transaction.atomic():
        strand.save()
        audit_record(
            user=user,
            action=AuditAction.QA_STRAND_ADDED,
            object_type="qa_visit",
            object_id=visit.public_id,
            detail={"sector": sector},
        )
    return strand


ACTION_REQUIRED = {
    "text": "Enter the action",
    "owner": "Enter who carries it out",
    "due_on": "Enter the date it is due by",
}


def qa_action_add(*, user: User, visit: QAVisit, data: dict) -> QAAction:
    """An action the visit agreed, with its owner and the date it is due by: the organisation whose visit it is."""
    if not may_change_qa_visit(user=user, visit=visit):
        raise PermissionDenied("Only the organisation that made the visit adds its actions.")
    errors = missing(data, ACTION_REQUIRED)
    if data.get("due_on") and data["due_on"] < visit.visited_on:
        errors.setdefault("due_on", []).append("The due date must be on or after the date of the visit")
    if errors:
        raise ValidationError(errors)
    action = QAAction(
        visit=visit, text=data["text"].strip(), owner=data["owner"].strip(), due_on=data["due_on"], recorded_by=user
    )
    with transaction.atomic():
        action.save()
        audit_record(user=user, action=AuditAction.QA_ACTION_ADDED, object_type="qa_visit", object_id=visit.public_id)
    return action


def qa_action_done(*, user: User, action: QAAction, data: dict) -> QAAction:
    """Say an action is done, and when: the organisation that made the visit, or the provider carrying it out."""
    if not may_mark_qa_action_done(user=user, action=action):
        raise PermissionDenied("Only the visiting organisation or the provider says an action is done.")
    done_on = data.get("done_on")
    errors = missing(data, {"done_on": "Enter the date the action was done"})
    if action.done_on:
        errors.setdefault("done_on", []).append("This action is already done")
    if done_on and done_on > date.today():
        errors.setdefault("done_on", []).append("The date done must be today or in the past")
    if done_on and done_on < action.visit.visited_on:
        errors.setdefault("done_on", []).append("The date done must be on or after the date of the visit")
    if errors:
        raise ValidationError(errors)
    action.done_on, action.done_by = done_on, user
    with transaction.atomic():
        action.save()
        audit_record(user=user, action=AuditAction.QA_ACTION_DONE, object_type="qa_action", object_id=action.public_id)
    return action


def _place(provider: Provider) -> None:
    """Where the main site is, for the directory's distances: its postcode district's centre, when the postcode is
    new or nothing placed it yet (a GIAS import places a setting by its own easting and northing)."""
    if provider.pk and provider.latitude is not None:
        before = Provider.objects.filter(pk=provider.pk).values_list("postcode", flat=True).first()
        if before == provider.postcode:
            return
    provider.latitude, provider.longitude = postcode_location(provider.postcode) or (None, None)


DIRECTORY_FIELDS = ("key_stages", "qualifications", "qualified_teachers", "cost_per_day", "cost_per_session")


def provider_directory_update(*, user: User, provider: Provider, data: dict) -> Provider:
    """Change what the directory shows of a provider's offer: key stages, qualifications, qualified teachers, costs,
    and the school whose AP it is when it runs on a school's site but not under the school's URN. The LA may."""
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    school = data.get("school_site_of")
    if school is not None and (
        school.kind != OrganisationKind.SCHOOL or school.area_id != provider.organisation.area_id
    ):
        raise ValidationError({"school_site_of": "Choose a school of the area"})
    for name in DIRECTORY_FIELDS:
        setattr(provider, name, data.get(name))
    provider.key_stages = list(data.get("key_stages") or [])
    provider.qualifications = list(data.get("qualifications") or [])
    provider.school_site_of = school
    provider.full_clean()
    with transaction.atomic():
        provider.save()
        audit_record(
            user=user,
            action=AuditAction.PROVIDER_DIRECTORY_CHANGED,
            object_type="provider",
            object_id=provider.public_id,
        )
    return provider


def provider_site_save(*, user: User, provider: Provider, data: dict, site: ProviderSite | None = None) -> ProviderSite:
    """Add another site of a provider, or change one, placed by its postcode for the directory's distances. The LA
    may."""
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    adding = site is None
    site = site or ProviderSite(provider=provider)
    site.name, site.address, site.postcode = data["name"].strip(), data["address"].strip(), data["postcode"]
    site.latitude, site.longitude = postcode_location(site.postcode) or (None, None)
    site.full_clean()
    with transaction.atomic():
        site.save()
        _directory_audit(
            user, provider, AuditAction.PROVIDER_SITE_ADDED if adding else AuditAction.PROVIDER_SITE_CHANGED, site=site
        )
    return site


def provider_contact_save(
    *, user: User, provider: Provider, data: dict, contact: ProviderContact | None = None
) -> ProviderContact:
    """Add someone to speak to at a provider, or change what is kept of them, with an email address or a phone
    number or both. The LA may."""
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    if not (data.get("email") or "").strip() and not (data.get("phone") or "").strip():
        raise ValidationError({"email": "Enter an email address or a phone number, or both"})
    adding = contact is None
    contact = contact or ProviderContact(provider=provider)
    contact.name, contact.role = data["name"].strip(), data["role"].strip()
    contact.email, contact.phone = (data.get("email") or "").strip(), (data.get("phone") or "").strip()
    contact.full_clean()
    with transaction.atomic():
        contact.save()
        action = AuditAction.PROVIDER_CONTACT_ADDED if adding else AuditAction.PROVIDER_CONTACT_CHANGED
        _directory_audit(user, provider, action, contact=contact)
    return contact


def provider_site_remove(*, user: User, site: ProviderSite) -> None:
    """Take a site the provider no longer uses off the directory. The LA may."""
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    with transaction.atomic():
        _directory_audit(user, site.provider, AuditAction.PROVIDER_SITE_CHANGED, site=site, removed=True)
        site.delete()


def provider_contact_remove(*, user: User, contact: ProviderContact) -> None:
    """Take someone who has left, or moved on, off a provider's contacts. The LA may."""
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    with transaction.atomic():
        _directory_audit(user, contact.provider, AuditAction.PROVIDER_CONTACT_CHANGED, contact=contact, removed=True)
        contact.delete()


def _directory_audit(user: User, provider: Provider, action: AuditAction, removed: bool = False, **record) -> None:
    ((kind, thing),) = record.items()
    detail = {kind: str(thing.public_id)} | ({"removed": str(thing)} if removed else {})
    audit_record(user=user, action=action, object_type="provider", object_id=provider.public_id, detail=detail)


def gias_import_write(*, user: User, upload: UploadedList, plan) -> None:
    """Write a checked GIAS extract: the settings it adds (their organisation, then the provider, each given the
    area's next reference) and the ones it brings up to date, in bulk, with their history and one audit event.

    A file that changes nothing writes nothing: no history, no event."""
    if not may_import_establishments(user):
        raise PermissionDenied("Only the local authority imports settings from Get Information about Schools.")
    if not (plan.new or plan.changed):
        return
    with transaction.atomic():
        if plan.organisations_changed:
            Organisation.objects.bulk_update(plan.organisations_changed, ["name"], batch_size=500)
        for fields in {tuple(sorted(set(changed) - {"organisation"})) for _record, changed in plan.changed}:
            group = [p for p, changed in plan.changed if tuple(sorted(set(changed) - {"organisation"})) == fields]
            if not fields:
                continue
            bulk_update_with_history(group, Provider, list(fields), batch_size=500, default_user=user)
        organisations = Organisation.objects.bulk_create([p.organisation for p in plan.new], batch_size=500)
        la_code = upload.area.la_code
        reference = next_area_reference(la_code, Provider.objects)
        number = int(reference.rsplit("-", 1)[1])
        for offset, (provider, organisation) in enumerate(zip(plan.new, organisations, strict=True)):
            provider.organisation = organisation
            provider.area_reference = f"AP-{la_code}-{number + offset:03d}"
        bulk_create_with_history(plan.new, Provider, batch_size=500, default_user=user)
        audit_record(
            user=user,
            action=AuditAction.GIAS_IMPORTED,
            object_type="gias_import",
            object_id=upload.public_id,
            detail={"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged},
        )
