"""GOV.UK components are written once, in templates/govuk/, and a tag's colour comes from its meaning (issue 10, item 9)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from core.templatetags.govuk import TAGS
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory

ROOT = Path(settings.BASE_DIR)


def render(source: str, **context) -> str:
    request = RequestFactory().get("/register/", {"sort": "name", "page": "2"})
    return Template(source).render(RequestContext(request, context))


# Tags -----------------------------------------------------------------------------------------


def test_a_tag_takes_its_colour_and_words_from_its_meaning():
    assert render('{% tag "looked_after" %}') == '<strong class="govuk-tag govuk-tag--purple">Looked after</strong>'
    assert render('{% tag "child_protection" %}') == (
        '<strong class="govuk-tag govuk-tag--red">Child protection plan</strong>'
    )


def test_a_tag_may_say_more_in_its_meanings_colour():
    html = render('{% tag "ended" "Ended" day %}', day="3 Mar 2026")
    assert html == '<strong class="govuk-tag govuk-tag--grey">Ended 3 Mar 2026</strong>'
    assert render("{% tag kind words %}", kind="registers_disagree", words="Home school says at AP") == (
        '<strong class="govuk-tag govuk-tag--orange">Home school says at AP</strong>'
    )


def test_blue_is_govuk_frontends_default_tag_with_no_modifier():
    assert render('{% tag "ehc_plan" %}') == '<strong class="govuk-tag">EHC plan</strong>'


def test_words_are_escaped():
    assert "&lt;b&gt;" in render('{% tag "planned" words %}', words="<b>")


def test_a_meaning_without_a_colour_is_refused():
    with pytest.raises(TemplateSyntaxError, match="give the meaning a colour in TAGS"):
        render('{% tag "purple" %}')
    with pytest.raises(TemplateSyntaxError, match="needs its words"):
        render('{% tag "no_mark" %}')


def govuk_frontend_tag_colours() -> set[str]:
    """The tag colours of the installed GOV.UK Frontend, less those it deprecates; blue is its default tag."""
    scss = (ROOT / "node_modules/govuk-frontend/dist/govuk/components/tag/_mixin.scss").read_text()
    current = scss.split("@deprecated")[0]
    return set(re.findall(r"\.govuk-tag--([a-z-]+)\s*\{", current)) - {"turquoise", "pink"} | {"blue"}


def test_every_colour_is_one_govuk_frontend_draws():
    colours = govuk_frontend_tag_colours()
    assert {"green", "grey", "red"} <= colours
    assert {meaning: tag.colour for meaning, tag in TAGS.items() if tag.colour not in colours} == {}


def test_every_code_a_page_tags_by_its_value_has_a_colour():
    from attendance.models import Alert
    from casework.models import ReferralStatus
    from placements.models import PlacementStatus

    codes = set(Alert.Kind.values) | set(PlacementStatus.values) | set(ReferralStatus.values) | {"severe", "persistent"}
    assert codes - set(TAGS) == set()


def template_files():
    return [
        p
        for p in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in p.parts and "node_modules" not in p.parts and "static_build" not in p.parts
    ]


def test_every_meaning_a_template_names_has_a_colour():
    named = {
        (path.relative_to(ROOT).as_posix(), meaning)
        for path in template_files()
        for meaning in re.findall(r"{%\s*tag\s+\"(\w+)\"", path.read_text())
    }
    assert named, "no template names a tag's meaning"
    assert {(path, meaning) for path, meaning in named if meaning not in TAGS} == set()


@pytest.mark.django_db
def test_a_meaning_has_one_colour_on_every_page(client, area, la_officer, school):
    """A looked-after child is tagged alike on the record, the register and the alerts."""
    from attendance.models import Alert

    child = ChildFactory(area=area, home_school=school, looked_after=True, looked_after_by=area)
    placement = PlacementFactory(child=child, provider=ProviderFactory(organisation__area=area), commissioner=school)
    Alert.objects.create(child=child, placement=placement, kind=Alert.Kind.NO_MARK, date=placement.start_date)
    client.force_login(la_officer)
    looked_after = '<strong class="govuk-tag govuk-tag--purple">Looked after</strong>'
    for url in (child.get_absolute_url(), reverse("register"), reverse("alerts")):
        assert looked_after in client.get(url).content.decode(), url


# Summary list ---------------------------------------------------------------------------------


def test_a_summary_list_has_a_row_per_key():
    html = render(
        '{% summary_list %}{% summary_row "Name" %}<a href="/x">{{ name }}</a>{% endsummary_row %}'
        '{% if False %}{% summary_row "Hidden" %}no{% endsummary_row %}{% endif %}'
        "{% for k, v in pairs %}{% summary_row k %}{{ v }}{% endsummary_row %}{% endfor %}{% endsummary_list %}",
        name="Riley & Sam",
        pairs=[("Sex", "Female")],
    )
    assert html.startswith('<dl class="govuk-summary-list">')
    assert (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt>'
        '<dd class="govuk-summary-list__value"><a href="/x">Riley &amp; Sam</a></dd></div>'
    ) in html
    assert '<dt class="govuk-summary-list__key">Sex</dt><dd class="govuk-summary-list__value">Female</dd>' in html
    assert "Hidden" not in html


def test_a_summary_rows_action_link_says_what_it_changes_to_a_screen_reader():
    html = render(
        '{% summary_list classes="govuk-summary-list--no-border" %}'
        '{% summary_row "Date of birth" href="/edit/" hidden="date of birth" %}8 February 2012{% endsummary_row %}'
        '{% summary_row "Sex" %}Male{% endsummary_row %}'
        '{% summary_row "Inspector" %}a@b.c{% summary_actions %}<form><button>Remove</button></form>{% endsummary_row %}'
        "{% endsummary_list %}"
    )
    assert 'class="govuk-summary-list govuk-summary-list--no-border"' in html
    assert (
        '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="/edit/">Change'
        '<span class="govuk-visually-hidden"> date of birth</span></a></dd>'
    ) in html
    assert (
        '<div class="govuk-summary-list__row govuk-summary-list__row--no-actions"><dt class="govuk-summary-list__key">Sex'
        in html
    )
    assert '<dd class="govuk-summary-list__actions"><form><button>Remove</button></form></dd>' in html


def test_a_summary_list_holds_only_rows():
    with pytest.raises(TemplateSyntaxError, match="Only {% summary_row %}"):
        render('{% summary_list %}<div class="govuk-summary-list__row"></div>{% endsummary_list %}')
    with pytest.raises(TemplateSyntaxError, match="goes inside {% summary_list %}"):
        render('{% summary_row "Name" %}x{% endsummary_row %}')


def test_an_empty_summary_list_is_not_drawn():
    assert (
        render(
            "{% summary_list %}{% for x in xs %}{% summary_row x %}x{% endsummary_row %}{% endfor %}{% endsummary_list %}",
            xs=[],
        )
        == ""
    )


# Table ----------------------------------------------------------------------------------------


def test_a_table_has_its_caption_head_rows_and_foot():
    html = render(
        '{% table classes="app-table--compact" %}'
        '{% caption classes="govuk-visually-hidden" %}Hours of {{ name }}{% endcaption %}'
        "{% th %}Setting{% endth %}{% th numeric %}Hours{% endth %}"
        "{% for s, h in rows %}{% tr data_home_school=True %}{% th %}{{ s }}{% endth %}{% td numeric %}{{ h }}{% endtd %}{% endtr %}"
        "{% empty %}{% tr %}{% td colspan=2 %}None{% endtd %}{% endtr %}{% endfor %}"
        '{% tr foot %}{% th %}All{% endth %}{% td numeric data_total="yes" %}3{% endtd %}{% endtr %}'
        "{% endtable %}",
        name="Riley",
        rows=[("PRU", 3)],
    )
    assert html.startswith('<table class="govuk-table app-table--compact">')
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Hours of Riley</caption>' in html
    assert (
        '<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Setting</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Hours</th></tr>'
    ) in html
    assert (
        '<tr class="govuk-table__row" data-home-school><th scope="row" class="govuk-table__header">PRU</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td></tr>'
    ) in html
    assert '<tfoot>\n    <tr class="govuk-table__row"><th scope="row" class="govuk-table__header">All</th>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-total="yes">3</td>' in html
    spanning = render(
        '{% table %}{% caption %}C{% endcaption %}{% th colspan=2 data_x="a&b" %}Both{% endth %}'
        '{% tr data_y="1" %}{% td %}a{% endtd %}{% td %}b{% endtd %}{% endtr %}{% endtable %}'
    )
    assert '<th scope="col" class="govuk-table__header" data-x="a&amp;b" colspan="2">Both</th>' in spanning
    assert '<tr class="govuk-table__row" data-y="1">' in spanning
    empty = render(
        "{% table %}{% caption %}C{% endcaption %}{% for r in rows %}{% tr %}{% td %}{{ r }}{% endtd %}{% endtr %}"
        "{% empty %}{% tr %}{% td colspan=2 %}None{% endtd %}{% endtr %}{% endfor %}{% endtable %}",
        rows=[],
    )
    assert '<td class="govuk-table__cell" colspan="2">None</td>' in empty
    assert "<thead" not in empty
    assert "<tfoot" not in empty


def test_a_sortable_column_says_how_it_is_sorted():
    html = render(
        '{% table sorted=sort %}{% caption %}C{% endcaption %}{% th sort="name" %}Name{% endth %}{% th sort="age" %}Age{% endth %}{% endtable %}',
        sort="name",
    )
    assert (
        '<th scope="col" class="govuk-table__header" aria-sort="ascending"><a class="govuk-link" href="?sort=-name">'
        'Name<span class="govuk-visually-hidden"> (sort descending)</span></a></th>'
    ) in html
    assert (
        'aria-sort="none"><a class="govuk-link" href="?sort=age">Age<span class="govuk-visually-hidden"> (sort ascending)</span>'
        in html
    )
    descending = render(
        '{% table sorted="-name" %}{% caption %}C{% endcaption %}{% th sort="name" %}Name{% endth %}{% endtable %}'
    )
    assert 'aria-sort="descending"><a class="govuk-link" href="?sort=name">' in descending


def test_a_table_needs_a_caption_and_cells_in_their_place():
    with pytest.raises(TemplateSyntaxError, match="needs a {% caption %}"):
        Template("{% table %}{% th %}x{% endth %}{% endtable %}")
    with pytest.raises(TemplateSyntaxError, match="{% td %} goes inside {% tr %}"):
        render("{% table %}{% caption %}C{% endcaption %}{% td %}x{% endtd %}{% endtable %}")
    with pytest.raises(TemplateSyntaxError, match="does not take nmeric"):
        Template("{% td nmeric %}x{% endtd %}")
    with pytest.raises(TemplateSyntaxError, match="takes no colour="):
        Template('{% td colour="red" %}x{% endtd %}')
    with pytest.raises(TemplateSyntaxError, match="Only {% th %} and {% td %}"):
        render("{% table %}{% caption %}C{% endcaption %}{% tr %}<td>x</td>{% endtr %}{% endtable %}")


# Notification banner --------------------------------------------------------------------------


def test_a_notification_banner_is_a_region_named_by_its_title():
    html = render(
        '{% notification_banner title_id="twice-title" %}<p class="govuk-notification-banner__heading">{{ n }} to settle</p>'
        "{% endnotification_banner %}",
        n=2,
    )
    assert html.startswith(
        '<div class="govuk-notification-banner" role="region" aria-labelledby="twice-title" data-module="govuk-notification-banner">'
    )
    assert '<h2 class="govuk-notification-banner__title" id="twice-title">Important</h2>' in html
    assert '<p class="govuk-notification-banner__heading">2 to settle</p>' in html


def test_a_success_banner_is_announced():
    html = render(
        '{% notification_banner type="success" text=message %}{% endnotification_banner %}', message="Saved <all>"
    )
    assert 'class="govuk-notification-banner govuk-notification-banner--success" role="alert"' in html
    assert 'id="govuk-notification-banner-title">Success</h2>' in html
    assert '<p class="govuk-notification-banner__heading">Saved &lt;all&gt;</p>' in html


# No template hand-writes a component ----------------------------------------------------------

# The classes that make each component, written only by its partial in templates/govuk/.
COMPONENT_CLASSES = {
    "govuk-summary-list",
    "govuk-summary-list__row",
    "govuk-tag",
    "govuk-table",
    "govuk-table__row",
    "govuk-table__header",
    "govuk-table__cell",
    "govuk-notification-banner",
}
HAND_WRITTEN: dict[str, str] = {}


def hand_written(source: str) -> set[str]:
    """The component classes and elements a template writes itself."""
    found = {
        name
        for classes in re.findall(r'\bclass="([^"]*)"', source)
        for name in classes.split()
        if name in COMPONENT_CLASSES or name.startswith("govuk-tag--")
    }
    return found | {f"<{element}>" for element in re.findall(r"<(table|tr|th|td|dl)\b", source)}


def test_no_template_hand_writes_a_summary_list_table_tag_or_banner():
    """Use {% summary_list %}, {% table %}, {% tag %} and {% notification_banner %} (core/templatetags/govuk.py)."""
    partials = ROOT / "templates" / "govuk"
    writers = {
        path.relative_to(ROOT).as_posix(): hand_written(path.read_text())
        for path in template_files()
        if partials not in path.parents
    }
    offenders = {path: sorted(found) for path, found in writers.items() if found and path not in HAND_WRITTEN}
    assert offenders == {}
    assert {path for path in HAND_WRITTEN if not writers.get(path)} == set(), "no longer an exception: take it off"


def test_the_check_sees_what_it_looks_for():
    assert hand_written('<div class="govuk-summary-list__row">') == {"govuk-summary-list__row"}
    assert hand_written('<strong class="govuk-tag govuk-tag--red">') == {"govuk-tag", "govuk-tag--red"}
    assert hand_written("<table><tr><td>") == {"<table>", "<tr>", "<td>"}
    assert hand_written('{% caption classes="govuk-table__caption--m" %}{% tag "open" %}') == set()
