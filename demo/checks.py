"""Providers' safeguarding and compliance checks (issue 13, item 3).

Every provider has each check of the code set, seen over the last year by the LA's officer, the policies of the
provider-manager's own setting recorded by the setting itself. Each provider has an earlier public liability check
a year before, so the history shows. By position, not by the borough's random generator (so that adding them changes
nothing else the borough holds): every fourth provider's public liability insurance expires within three weeks,
every fifth has its first aid check expired, every sixth a fire risk assessment seen with concerns, and the last
provider, new to the area, has only three checks recorded and its single central record's DBS entries not provided.
"""

from datetime import date, timedelta

from core.codes import code_set
from core.models import Membership, User
from providers.models import CheckOutcome, ProviderCheck, Registration, check_default_expiry

EVIDENCE = {
    "registration_status": "Roll and timetables seen: no child educated full time; under the legal test, does not need to register",
    "scr_identity": "Single central record seen: identity checked for all staff; passports for a sample of five",
    "scr_right_to_work": "Right-to-work column complete; share codes for two staff seen",
    "scr_qualifications": "Qualified teacher status recorded for every teacher; TRN checked for three",
    "scr_enhanced_dbs_barred": "Enhanced DBS with children's barred list for every member of staff; certificate numbers and dates on the record",
    "scr_s128": "Section 128 check recorded for the head of centre and the business manager",
    "scr_prohibition_teaching": "Teaching Regulation Agency check recorded for everyone who teaches",
    "scr_medical_fitness": "Fitness questionnaire held for each member of staff",
    "scr_agency_staff": "Letters from the supply agency confirming its checks, for two staff",
    "safeguarding_policy": "Safeguarding and child protection policy, reviewed in September, signed by the proprietor",
    "dsl": "Training certificates of the lead and the deputy seen",
    "insurance_employers_liability": "Certificate of employer's liability insurance displayed: £10m cover",
    "insurance_public_liability": "Public liability schedule: £5m cover",
    "insurance_professional_indemnity": "Professional indemnity schedule: £1m cover",
    "health_safety_policy": "Health and safety policy, with the named responsible person",
    "risk_assessments": "Site and activity risk assessments; two individual risk assessments sampled",
    "first_aid": "Two first aiders with current certificates; first aid book and incident log seen",
    "fire_safety": "Fire risk assessment and the termly fire drill log",
    "admissions_attendance_policy": "Admissions policy; attendance taken each session and absence reported to the commissioner by 10am",
    "behaviour_policy": "Behaviour policy with reasonable force section; incident log seen",
    "data_protection": "Data protection policy; ICO registration number checked on the public register",
}
LEADS = [("Jo Whitfield", "Amir Khan"), ("Priya Desai", "Tom Becker"), ("Grace Okafor", "Liam Walsh")]
# What the setting keeps itself, when its own office manager records.
OWN_RECORD = {"safeguarding_policy", "health_safety_policy", "behaviour_policy", "data_protection", "first_aid"}
NEW_PROVIDER_CHECKS = ("registration_status", "safeguarding_policy", "health_safety_policy")


def _check(provider, code: str, seen_on: date, recorder: User, organisation, **fields) -> ProviderCheck:
    names = {}
    if code == "dsl":
        lead, deputy = LEADS[provider.pk % len(LEADS)]
        names = {
            "dsl_name": lead,
            "dsl_trained_on": seen_on - timedelta(days=120),
            "deputy_name": deputy,
            "deputy_trained_on": seen_on - timedelta(days=60),
        }
    outcome = fields.pop("outcome", CheckOutcome.SATISFACTORY)
    expires_on = fields.pop("expires_on", None) or check_default_expiry(
        check_type=code,
        seen_on=seen_on,
        dsl_trained_on=names.get("dsl_trained_on"),
        deputy_trained_on=names.get("deputy_trained_on"),
    )
    return ProviderCheck(
        provider=provider,
        check_type=code,
        outcome=outcome,
        evidence=fields.pop("evidence", EVIDENCE[code]) if outcome != CheckOutcome.NOT_PROVIDED else "",
        seen_by=f"{recorder.get_full_name()}, {organisation.name}",
        seen_on=seen_on,
        expires_on=expires_on,
        recorded_by=recorder,
        recorded_for=organisation,
        **names,
        **fields,
    )


def checks_build(*, today: date, providers: list, officer: User, manager: User) -> list[ProviderCheck]:
    """Each provider's checks, oldest first."""
    la = Membership.objects.get(user=officer).organisation
    own = Membership.objects.get(user=manager).organisation
    checks = []
    ordered = sorted(providers, key=lambda p: p.pk)
    for n, provider in enumerate(ordered):
        if provider is ordered[-1]:
            for k, code in enumerate(NEW_PROVIDER_CHECKS):
                checks.append(_check(provider, code, today - timedelta(days=10 + k), officer, la))
            checks.append(
                _check(
                    provider,
                    "scr_enhanced_dbs_barred",
                    today - timedelta(days=9),
                    officer,
                    la,
                    outcome=CheckOutcome.NOT_PROVIDED,
                    notes="The single central record had no DBS entries for the two sessional tutors: asked for by Friday",
                )
            )
            continue
        for k, code in enumerate(code_set("provider_check_type")):
            seen_on = today - timedelta(days=20 + (7 * n + 13 * k) % 300)
            recorder, organisation = (
                (manager, own) if provider.organisation_id == own.pk and code in OWN_RECORD else (officer, la)
            )
            fields = {}
            if code == "insurance_public_liability":
                checks.append(
                    _check(provider, code, seen_on - timedelta(days=365), officer, la, evidence="Last year's schedule")
                )
                if n % 4 == 1:
                    seen_on, fields["expires_on"] = today - timedelta(days=350), today + timedelta(days=5 + n % 15)
            if code == "first_aid" and n % 5 == 2:
                seen_on = today - timedelta(days=385)
            if code == "fire_safety" and n % 6 == 3:
                fields |= {
                    "outcome": CheckOutcome.CONCERNS,
                    "notes": "Fire door to the workshop wedged open; the drill log has no entry this term",
                }
            if (
                code in ("scr_agency_staff", "scr_s128")
                and provider.registration == Registration.INDEPENDENT_UNREGISTERED
            ):
                fields |= {
                    "outcome": CheckOutcome.NOT_APPLICABLE,
                    "evidence": "No agency staff and no management post the check covers: staff list and payroll seen",
                }
            checks.append(_check(provider, code, seen_on, recorder, organisation, **fields))
    return checks
