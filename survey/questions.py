"""What the stakeholder survey asks each audience, in plain words that are translated.

The questions live here as data, not in the database: a response stores each question's
key and the answer's key, so the wording can be corrected (or translated) without
changing what earlier answers meant. Every string is marked for translation; the
catalogues are in `locale/`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The answers every question offers, by key. The middle answer reads differently to a
# child ("A bit") and to an adult ("Partly"), but means the same in the results.
ANSWER_KEYS = ("yes", "partly", "no", "not_sure")


@dataclass(frozen=True)
class Question:
    key: str
    text: Promise
    hint: Promise | str = ""


@dataclass(frozen=True)
class Audience:
    """One of the three groups the guidance says the survey is for, with its own link."""

    key: str
    slug: str
    name: Promise
    heading: Promise
    intro: Promise
    group_question: Promise
    groups: tuple[tuple[str, Promise], ...]
    answers: tuple[tuple[str, Promise], ...]
    questions: tuple[Question, ...]


CHILD_ANSWERS = (
    ("yes", _("Yes")),
    ("partly", _("A bit")),
    ("no", _("No")),
    ("not_sure", _("I'm not sure")),
)
ADULT_ANSWERS = (
    ("yes", _("Yes")),
    ("partly", _("Partly")),
    ("no", _("No")),
    ("not_sure", _("Don't know")),
)
IN_AP_GROUPS = (
    ("now", pgettext_lazy("in AP", "Now")),
    ("left", pgettext_lazy("in AP", "In the last 6 months, but not now")),
)

YOUNG_PEOPLE = Audience(
    key="young_person",
    slug="young-people",
    name=_("Children and young people"),
    heading=_("Tell us what you think about your alternative provision"),
    intro=_(
        "Alternative provision, or AP, is where you learn when you are not at your usual school. "
        "It might be a centre, a tutor at home or in hospital, or a team that helps you in your school."
    ),
    group_question=_("When did you go to AP?"),
    groups=IN_AP_GROUPS,
    answers=CHILD_ANSWERS,
    questions=(
        Question("safe", _("Do you feel safe at your AP?")),
        Question("learning", _("Do the adults at your AP help you to learn?")),
        Question("asked", _("Before you started, did someone ask you what you thought about going to AP?")),
        Question(
            "support",
            _("Do you get help with things you find hard?"),
            _("For example, your feelings, your health, or reading and writing."),
        ),
        Question("like", _("Do you like going to your AP?")),
        Question("next", _("Do you know what will happen next, after AP?")),
    ),
)

PARENTS_CARERS = Audience(
    key="parent_carer",
    slug="parents-carers",
    name=_("Parents and carers"),
    heading=_("Tell us what you think about your child's alternative provision"),
    intro=_(
        "Alternative provision, or AP, is education for children who are not at their usual school. "
        "It might be a pupil referral unit, another setting, tuition at home or in hospital, "
        "or outreach support in school."
    ),
    group_question=_("When was your child in AP?"),
    groups=IN_AP_GROUPS,
    answers=ADULT_ANSWERS,
    questions=(
        Question("involved", _("Were you involved in the decision to place your child in AP?")),
        Question("aims", _("Do you know what your child's AP place is meant to achieve?")),
        Question("safe", _("Is your child safe at their AP?")),
        Question("told", _("Does the AP tell you quickly when your child does not arrive?")),
        Question("needs", _("Are your child's needs being met, including any health needs?")),
        Question("next", _("Do you know the plan for when your child's AP place ends?")),
        Question("helping", _("Overall, is the AP place helping your child?")),
    ),
)

SETTINGS_SERVICES = Audience(
    key="setting",
    slug="settings",
    name=_("Schools, settings and services"),
    heading=_("Tell us what you think about alternative provision in this area"),
    intro=_(
        "This survey is for people who work in alternative provision, or who arrange it or work with it: "
        "schools, AP settings, health, social care and the local authority."
    ),
    group_question=_("Where do you work?"),
    groups=(
        ("ap_setting", _("An alternative provision setting")),
        ("school", _("A school")),
        ("health", _("A health service")),
        ("social_care", _("Social care")),
        ("local_authority", _("The local authority")),
        ("other", _("Somewhere else")),
    ),
    answers=ADULT_ANSWERS,
    questions=(
        Question("referral", _("When a child is referred, do you get enough information to meet their needs?")),
        Question("aims", _("Do AP places have clear aims, a timeframe and a plan for how they end?")),
        Question(
            "sharing",
            _(
                "Is information about children's attendance and progress shared quickly between schools, AP and the local authority?"
            ),
        ),
        Question("concerns", _("Do you know who to contact when you are worried about a child in AP?")),
        Question("transition", _("Do children get the support they need when they move into or out of AP?")),
        Question("quality", _("Does the area check the quality of AP, and act when it is not good enough?")),
    ),
)

AUDIENCES = (YOUNG_PEOPLE, PARENTS_CARERS, SETTINGS_SERVICES)
BY_KEY = {a.key: a for a in AUDIENCES}
BY_SLUG = {a.slug: a for a in AUDIENCES}

COMMENT_LABEL = _("Is there anything else you want to tell us?")
COMMENT_HINT = _("You do not have to answer this. Please do not write your name or anyone else's name.")
