"""Template helpers for GOV.UK components; built in to every template.

Each component's markup is written once, as forms' is: in a partial in templates/govuk/ (a
summary list, a table with its caption and head, a notification banner), which the tags below
fill with what they gather from the page, or, for what a page may draw hundreds of times (a
tag, a table's body cells), in one format string here. A tag's colour comes from its meaning,
through TAGS below, never from the page.
"""

from typing import NamedTuple

from django import template
from django.template.base import token_kwargs
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from core.codes import label

register = template.Library()


class Tag(NamedTuple):
    colour: str  # a GOV.UK Frontend tag colour; "blue" is its default tag, with no modifier class
    words: str  # what the tag says unless the page says more; "" where the page always names it


# The one place a meaning gets its colour, so that it looks the same on every page. A page names
# the meaning ({% tag "looked_after" %}), or passes the value the code holds where the meaning is
# a code ({% tag placement.status %}, {% tag alert.kind alert.get_kind_display %}).
TAGS: dict[str, Tag] = {
    # What is known about a child: the same colour wherever the child is named.
    "looked_after": Tag("purple", "Looked after"),
    "child_protection": Tag("red", "Child protection plan"),
    "child_in_need": Tag("orange", "Child in need"),
    "known_to_youth_justice": Tag("yellow", "Known to youth justice"),
    "on_dynamic_support_register": Tag("magenta", "Dynamic support register"),
    "ehc_plan": Tag("blue", "EHC plan"),
    "ehc_assessment": Tag("blue", "EHC assessment"),
    "permanent_exclusion": Tag("red", "Permanent exclusion"),
    # Attendance: the bands of attendance.rules.absence_band, and the kinds of attendance.models.Alert.
    "severe": Tag("red", "Severe absence"),
    "persistent": Tag("orange", "Persistent absence"),
    "no_register": Tag("red", "No register"),
    "no_mark": Tag("red", ""),
    "unexplained_absence": Tag("red", ""),
    "registers_disagree": Tag("orange", ""),
    "missed_tuition": Tag("red", ""),
    "corrected": Tag("green", "Since corrected"),
    # About a setting.
    "unregistered": Tag("orange", "Unregistered"),
    "out_of_area": Tag("yellow", "Out of area"),
    # The area's approval of a setting: providers.models.ApprovalStatus, or none decided.
    "approved": Tag("green", "Approved"),
    "approved_with_conditions": Tag("teal", "Approved with conditions"),
    "under_review": Tag("yellow", "Under review"),
    "suspended": Tag("red", "Suspended"),
    "not_approved": Tag("red", "Not approved"),
    "approval_not_decided": Tag("grey", "Not decided"),
    "area_default": Tag("blue", "Area default"),
    "not_in_term": Tag("orange", "Not in a term"),
    "no_plan": Tag("red", "No plan recorded"),
    "no_local_provider": Tag("red", "No provider in the area"),
    # Arrangements past the dates they were agreed for.
    "past_planned_end": Tag("red", "Past its planned end"),
    "past_time_limit": Tag("red", "Past its time limit"),
    "review_overdue": Tag("orange", "Review overdue"),
    "review_held_late": Tag("yellow", "Held late"),
    "part_time_timetable": Tag("yellow", "Part-time timetable"),
    # Where something stands: green in force or done, yellow to come, grey over or not in force.
    # Placements' statuses are placements.models.PlacementStatus.
    "active": Tag("green", "Active"),
    "planned": Tag("yellow", "Planned"),
    "ended": Tag("grey", "Ended"),
    "open": Tag("green", "Open"),
    "not_open": Tag("grey", "Not open"),
    "not_open_yet": Tag("grey", "Not open yet"),
    "closed": Tag("grey", "Closed"),
    "revoked": Tag("grey", "Revoked"),
    "stopped": Tag("grey", "Stopped"),
    "answered": Tag("green", "Answered"),
    "nothing_recorded": Tag("grey", "Nothing recorded"),
    # Referrals' statuses are casework.models.ReferralStatus; fast-tracked ones go ahead of the queue.
    "draft": Tag("grey", "Draft"),
    "sent": Tag("yellow", "Awaiting a panel"),
    "decided": Tag("green", "Decided"),
    "withdrawn": Tag("grey", "Withdrawn"),
    "fast_tracked": Tag("red", "Fast-tracked"),
    # A panel, or its decision, without a sector it needs ("without_" and casework.models.Sector's value).
    "without_health": Tag("orange", "Without health"),
    "without_social_care": Tag("orange", "Without social care"),
    # Progress on an objective at a review: casework.models.ProgressStatus.
    "met": Tag("green", "Met"),
    "on_track": Tag("blue", "On track"),
    "not_on_track": Tag("red", "Not on track"),
    # Destinations after AP: a check's state, NEET at the last check, casework.destinations.Sustained's values.
    "check_due": Tag("yellow", "Due"),
    "check_overdue": Tag("orange", "Overdue"),
    "neet": Tag("red", "NEET"),
    "education_or_training": Tag("green", "Sustained"),
    "employment": Tag("green", "Sustained"),
    "not_sustained": Tag("red", "Not sustained"),
    "not_yet_known": Tag("grey", "Not yet known"),
    # A provider's safeguarding and compliance checks: providers.models.CheckStatus.
    "check_missing": Tag("red", "Missing"),
    "check_expired": Tag("red", "Expired"),
    "check_concerns": Tag("orange", "Concerns"),
    "check_expiring": Tag("yellow", "Expiring"),
    "check_valid": Tag("green", "Valid"),
    "check_not_applicable": Tag("grey", "Does not apply"),
    # Quality assurance of providers: a point of the area's rating scale by what it means (providers.models.QASignal),
    # in the area's own words; a visit or an action past its date.
    "published": Tag("green", "Published"),
    "qa_green": Tag("green", ""),
    "qa_amber": Tag("orange", ""),
    "qa_red": Tag("red", ""),
    "qa_never_visited": Tag("red", "Never visited"),
    "qa_visit_overdue": Tag("orange", "Visit overdue"),
    "qa_action_overdue": Tag("red", "Overdue"),
    "qa_action_done": Tag("green", "Done"),
    "qa_action_open": Tag("yellow", "Open"),
}


def _partial(context, name: str, values: dict) -> str:
    """Render a component's partial with only what the component was given (and the request)."""
    return context.template.engine.get_template(name).render(context.new(values))


def _html(nodelist, context) -> str:
    """What a page wrote between a component's tags: rendered by the template engine, so escaped already."""
    return mark_safe(nodelist.render(context).strip())  # noqa: S308


def _parse(parser, token, *, positional: int = 0, flags=(), keywords=(), attributes=False):
    """A tag's bits: up to `positional` expressions, bare `flags`, and `keywords`=expressions.
    With `attributes`, data_x=... and aria_x=... keywords become HTML attributes data-x and aria-x."""
    name, *bits = token.split_contents()
    args, kwargs, on = [], {}, set()
    for bit in bits:
        kwarg = token_kwargs([bit], parser)
        if kwarg:
            (key,) = kwarg
            if key not in keywords and not (attributes and key.startswith(("data_", "aria_"))):
                raise template.TemplateSyntaxError(f"{{% {name} %}} takes no {key}=")
            kwargs.update(kwarg)
        elif bit in flags:
            on.add(bit)
        elif len(args) < positional:
            args.append(parser.compile_filter(bit))
        else:
            raise template.TemplateSyntaxError(f"{{% {name} %}} does not take {bit}")
    return name, args, kwargs, on


class Block(NamedTuple):
    name: str
    args: list
    kwargs: dict
    flags: set
    nodelist: template.NodeList


def _block(parser, token, **options) -> Block:
    """A block tag's bits (see _parse) and what lies between it and its end tag."""
    name, args, kwargs, flags = _parse(parser, token, **options)
    nodelist = parser.parse((f"end{name}",))
    parser.delete_first_token()
    return Block(name, args, kwargs, flags, nodelist)


class BlockNode(template.Node):
    def __init__(self, block: Block):
        self.nodelist, self.kwargs, self.flags = block.nodelist, block.kwargs, block.flags


def _resolve(kwargs: dict, context) -> dict:
    return {key: value.resolve(context) for key, value in kwargs.items()}


def _attributes(values: dict, **more) -> str:
    """data_x / aria_x keywords as HTML attributes; True is a bare attribute, False or None none."""
    attrs = {key.replace("_", "-"): value for key, value in values.items() if key.startswith(("data_", "aria_"))}
    attrs.update(more)
    return mark_safe(  # noqa: S308 - names ours, values escaped
        "".join(
            f" {name}" if value is True else f' {name}="{escape(value)}"'
            for name, value in attrs.items()
            if value is not False and value is not None
        )
    )


def _nothing_else(name: str, inside: str, output: str) -> None:
    if output.strip():
        raise template.TemplateSyntaxError(f"Only {inside} goes inside {{% {name} %}}, not {output.strip()[:60]!r}")


# Tag ------------------------------------------------------------------------------------------


# A tag, as GOV.UK Frontend's tag template draws it; here, not in a partial, because a page may
# draw a hundred (the register) and the template engine would add about 25 µs to each.
TAG = '<strong class="govuk-tag{}">{}</strong>'


def tag_html(meaning: str, *words) -> str:
    """A tag of that meaning's colour, saying the words (else the meaning's usual words)."""
    try:
        style = TAGS[meaning]
    except KeyError:
        raise template.TemplateSyntaxError(
            f"No tag colour for {meaning!r}: give the meaning a colour in TAGS, core/templatetags/govuk.py"
        ) from None
    text = " ".join(str(word) for word in words if word not in (None, "")) or style.words
    if not text:
        raise template.TemplateSyntaxError(f"The tag {meaning!r} needs its words")
    colour = "" if style.colour == "blue" else f" govuk-tag--{style.colour}"
    return mark_safe(TAG.format(colour, conditional_escape(text)))  # noqa: S308 - the words escaped, the colour ours


class TagNode(template.Node):
    def __init__(self, bits):
        self.bits = bits
        # A tag named by literals only ({% tag "looked_after" %}) is drawn once, when the template is read.
        literal = all(not isinstance(bit.var, template.Variable) and not bit.filters for bit in bits)
        self.html = tag_html(*(bit.var for bit in bits)) if literal else None

    def render(self, context):
        return self.html or tag_html(*(bit.resolve(context) for bit in self.bits))


@register.tag
def tag(parser, token):
    """A GOV.UK tag: `{% tag "looked_after" %}`, `{% tag placement.status %}`, or with words of its
    own, `{% tag "ended" "Ended" day|date:"j M Y" %}`. Its colour is its meaning's, in TAGS."""
    name, *bits = token.split_contents()
    if not bits:
        raise template.TemplateSyntaxError(f"{{% {name} %}} needs a meaning")
    return TagNode([parser.compile_filter(bit) for bit in bits])


# Summary list ---------------------------------------------------------------------------------


class SummaryListNode(BlockNode):
    def render(self, context):
        rows = []
        with context.push(_govuk_summary_rows=rows):
            _nothing_else("summary_list", "{% summary_row %}", self.nodelist.render(context))
        if not rows:
            return ""
        return _partial(
            context,
            "govuk/summary_list.html",
            {
                **_resolve(self.kwargs, context),
                "rows": rows,
                "any_actions": any(row["action"] or row["actions"] for row in rows),
            },
        )


class SummaryRowNode(template.Node):
    child_nodelists = ("value", "actions")

    def __init__(self, key, kwargs, value, actions):
        self.key, self.kwargs, self.value, self.actions = key, kwargs, value, actions

    def render(self, context):
        rows = context.get("_govuk_summary_rows")
        if rows is None:
            raise template.TemplateSyntaxError("{% summary_row %} goes inside {% summary_list %}")
        options = _resolve(self.kwargs, context)
        action = None
        if options.get("href"):
            action = {"href": options["href"], "text": options.get("action", "Change"), "hidden": options.get("hidden")}
        rows.append(
            {
                "key": self.key.resolve(context),
                "value": _html(self.value, context),
                "action": action,
                "actions": _html(self.actions, context) if self.actions else "",
            }
        )
        return ""


@register.tag
def summary_list(parser, token):
    """A GOV.UK summary list of `{% summary_row %}`s: `{% summary_list classes="govuk-summary-list--no-border" %}`."""
    return SummaryListNode(_block(parser, token, keywords=("classes",)))


@register.tag
def summary_row(parser, token):
    """One row: `{% summary_row "Key" %}value{% endsummary_row %}`. An action link, its words made
    plain to a screen reader: `href=url action="Change" hidden="date of birth"`. Other actions (a
    form's button) after `{% summary_actions %}`, before `{% endsummary_row %}`."""
    name, args, kwargs, _ = _parse(parser, token, positional=1, keywords=("href", "action", "hidden"))
    if not args:
        raise template.TemplateSyntaxError(f"{{% {name} %}} needs its key")
    value = parser.parse(("summary_actions", "endsummary_row"))
    actions = None
    if parser.next_token().contents == "summary_actions":
        actions = parser.parse(("endsummary_row",))
        parser.delete_first_token()
    return SummaryRowNode(args[0], kwargs, value, actions)


# Table ----------------------------------------------------------------------------------------


class TableNode(BlockNode):
    def render(self, context):
        options = _resolve(self.kwargs, context)
        table = {"caption": None, "head": [], "rows": [], "foot": [], "sorted": options.pop("sorted", None)}
        with context.push(_govuk_table=table, _govuk_row=None):
            _nothing_else("table", "{% caption %}, {% th %} and {% tr %}", self.nodelist.render(context))
        return _partial(context, "govuk/table.html", {**options, **table})


class CaptionNode(BlockNode):
    def render(self, context):
        context["_govuk_table"]["caption"] = {**_resolve(self.kwargs, context), "html": _html(self.nodelist, context)}
        return ""


class RowNode(BlockNode):
    def render(self, context):
        row = {"cells": [], "attrs": _attributes(_resolve(self.kwargs, context)) if self.kwargs else ""}
        with context.push(_govuk_row=row):
            _nothing_else("tr", "{% th %} and {% td %}", self.nodelist.render(context))
        row["cells"] = mark_safe("".join(row["cells"]))  # noqa: S308 - each cell of escaped or safe parts
        context["_govuk_table"]["foot" if "foot" in self.flags else "rows"].append(row)
        return ""


# A body's cell, as GOV.UK Frontend's table template draws it. Here, not in the partial: the
# register draws 350 a page, and the template engine would add about 20 µs to each.
BODY_CELL = {
    "th": '<th scope="row" class="govuk-table__header{}"{}>{}</th>',
    "td": '<td class="govuk-table__cell{}"{}>{}</td>',
}
NUMERIC = {"th": " govuk-table__header--numeric", "td": " govuk-table__cell--numeric"}


class CellNode(BlockNode):
    def __init__(self, block: Block):
        super().__init__(block)
        self.name = block.name
        self.numeric = NUMERIC[self.name] if "numeric" in block.flags else ""

    def render(self, context):
        row = context.get("_govuk_row")
        options = _resolve(self.kwargs, context) if self.kwargs else {}
        classes = self.numeric + (f" {escape(options['classes'])}" if options.get("classes") else "")
        attrs = _attributes(options, colspan=options.get("colspan"), rowspan=options.get("rowspan")) if options else ""
        # What the page wrote is escaped already; the row marks the cells it joins safe.
        html = self.nodelist.render(context).strip()
        if row is not None:
            row["cells"].append(BODY_CELL[self.name].format(classes, attrs, html))
            return ""
        table = context.get("_govuk_table")
        if table is None or self.name == "td":
            raise template.TemplateSyntaxError(f"{{% {self.name} %}} goes inside {{% {'tr' if table else 'table'} %}}")
        cell = {"classes": classes, "attrs": attrs, "html": mark_safe(html), "sort": None}  # noqa: S308
        if options.get("sort"):
            key, current = options["sort"], table["sorted"]
            cell["sort"] = {
                "aria": "ascending" if current == key else "descending" if current == f"-{key}" else "none",
                "next": f"-{key}" if current == key else key,
                "direction": "descending" if current == key else "ascending",
            }
        table["head"].append(cell)
        return ""


@register.tag
def table(parser, token):
    """A GOV.UK table: a `{% caption %}`, head cells `{% th %}`, then rows `{% tr %}` of `{% th %}`
    (a row's header) and `{% td %}`. `classes=`; `sorted=` the sort in force, for head cells with `sort=`."""
    block = _block(parser, token, keywords=("classes", "sorted"))
    if not block.nodelist.get_nodes_by_type(CaptionNode):
        raise template.TemplateSyntaxError(
            "A {% table %} needs a {% caption %}, visually hidden if the heading says it"
        )
    return TableNode(block)


@register.tag
def caption(parser, token):
    """`{% caption classes="govuk-visually-hidden" %}What the table holds{% endcaption %}`"""
    return CaptionNode(_block(parser, token, keywords=("classes",)))


@register.tag
def tr(parser, token):
    """A row of the body; `{% tr foot %}` a row of the foot. data_x=... sets data-x."""
    return RowNode(_block(parser, token, flags=("foot",), attributes=True))


def _cell(parser, token, header: bool):
    keywords = ("classes", "colspan", "rowspan") + (("sort",) if header else ())
    return CellNode(_block(parser, token, flags=("numeric",), keywords=keywords, attributes=True))


@register.tag
def th(parser, token):
    """A header cell: of a column at the table's head, of its row inside `{% tr %}`. `numeric`,
    `classes=`, `colspan=`, data_x=...; at the head, `sort=` the key that sorts by this column."""
    return _cell(parser, token, header=True)


@register.tag
def td(parser, token):
    """A cell: `numeric`, `classes=`, `colspan=`, `rowspan=`, data_x=..."""
    return _cell(parser, token, header=False)


# Notification banner --------------------------------------------------------------------------


class NotificationBannerNode(BlockNode):
    def render(self, context):
        options = _resolve(self.kwargs, context)
        success = options.get("type") == "success"
        return _partial(
            context,
            "govuk/notification_banner.html",
            {
                "success": success,
                "title": options.get("title") or ("Success" if success else "Important"),
                # A success is announced; any other banner is a landmark to find (GOV.UK Frontend's defaults).
                "role": options.get("role") or ("alert" if success else "region"),
                "title_id": options.get("title_id") or "govuk-notification-banner-title",
                "text": options.get("text"),
                "html": _html(self.nodelist, context),
            },
        )


@register.tag
def notification_banner(parser, token):
    """A GOV.UK notification banner. `text=` one line, or paragraphs between the tags (each
    `govuk-notification-banner__heading`, links `govuk-notification-banner__link`). `type="success"`;
    `title=` (else "Important" or "Success"); `title_id=`, unique on the page; `role=`."""
    return NotificationBannerNode(_block(parser, token, keywords=("text", "type", "title", "title_id", "role")))


# Others ---------------------------------------------------------------------------------------


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(form, formset=None):
    """One summary for a form and, when the page has one beside it, a formset: `{% error_summary form objectives %}`."""
    forms = [f for f in [form, *(formset.forms if formset is not None else [])] if hasattr(f, "errors")]
    return {
        "forms": forms,
        "non_form_errors": formset.non_form_errors() if formset is not None else [],
        "any_errors": any(f.errors for f in forms) or (formset is not None and formset.non_form_errors()),
    }


@register.filter
def code_label(code: str, code_set_name: str) -> str:
    """The label of a DfE code: `{{ child.ethnicity|code_label:"ethnicity" }}`."""
    return label(code_set_name, code)


@register.simple_tag(takes_context=True)
def redacted(context, text) -> str:
    """Free text, its line breaks kept; on a page with a `redaction` (a tracking pack), what would identify a child taken out."""
    redaction = context.get("redaction")
    return linebreaksbr(redaction(str(text)) if redaction else text, autoescape=True)


@register.filter
def yes_no(value) -> str:
    return "Yes" if value else "No"


@register.filter
def page_numbers(page) -> list[int | None]:
    """GOV.UK pagination: first, last and the pages either side of this one; None is a gap."""
    last = page.paginator.num_pages
    wanted = sorted({1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1)))
    numbers: list[int | None] = []
    for n in wanted:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers
