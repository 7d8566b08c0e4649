"""Survey results, aggregated so that no group of fewer than 5 responses is ever shown apart.

Results are published in releases (survey.SurveyRelease), so that nobody can read off one
or a few people's answers by reading the results before and after they answered. This
module holds the one rule for both: `suppress` (which groups may be shown apart) and
`release_plan` (which answers the next release adds).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import get_language_info

from survey.questions import AUDIENCES, Audience

MINIMUM = 5
# Staff read the results in English.
EVERYONE = "Everyone"
OTHER_GROUPS = "Other groups, together"


def suppress(counts: dict[str, int], minimum: int = MINIMUM) -> dict[str, int | None]:
    """Each group's count, or None where it must not be shown.

    A group of 1 to minimum-1 responses is hidden. So that a hidden group cannot be
    worked out by taking the shown ones from the total, the smallest shown groups are
    hidden too until the hidden ones add up to at least `minimum` (or none are left).
    Empty groups reveal no one and are shown as 0.
    """
    hidden = {k for k, n in counts.items() if 0 < n < minimum}
    shown = sorted((k for k, n in counts.items() if n >= minimum), key=lambda k: (counts[k], k))
    while 0 < sum(counts[k] for k in hidden) < minimum and shown:
        hidden.add(shown.pop(0))
    return {k: (None if k in hidden else n) for k, n in counts.items()}


@dataclass(frozen=True)
class ReleasePlan:
    """What the next release of one audience's results does: the groups shown apart and pooled after it, and
    the groups whose waiting answers it adds (all of them)."""

    apart: frozenset[str]
    pooled: frozenset[str]
    release: frozenset[str]


def release_plan(
    *, apart: set[str], pooled: set[str], waiting: dict[str, int], first: bool, minimum: int = MINIMUM
) -> ReleasePlan:
    """The next release of an audience, from the groups shown apart and pooled so far and the answers waiting per group.

    - The first release comes once the audience has `minimum` answers. `suppress` decides
      then which groups are shown apart; the others are pooled ("Other groups, together"),
      with the next smallest where a small one could be worked out from the total.
    - A group is never moved: shown apart stays apart, pooled stays pooled, so one more
      answer can never unhide a pooled group.
    - A group shown apart (or the pool) takes its waiting answers only once there are at
      least `minimum` of them: every published figure of a group moves by 0 or by at least
      `minimum` answers, and "everyone" is the sum of the groups.
    - A group with no answers at the first release waits: with `minimum` answers of its
      own it is shown apart; fewer join the pool when the pool takes its next answers.
    """
    waiting = {g: n for g, n in waiting.items() if n > 0}
    none = ReleasePlan(frozenset(apart), frozenset(pooled), frozenset())
    if first:
        if sum(waiting.values()) < minimum:
            return none
        shown = suppress(waiting, minimum)
        new_apart = {g for g, n in shown.items() if n is not None}
        new_pooled = set(waiting) - new_apart
        return ReleasePlan(frozenset(new_apart), frozenset(new_pooled), frozenset(waiting))
    apart, pooled = set(apart), set(pooled)
    release = {g for g in apart if waiting.get(g, 0) >= minimum}
    new = {g for g in waiting if g not in apart and g not in pooled}
    for g in new:
        if waiting[g] >= minimum:
            apart.add(g)
            release.add(g)
    small = {g for g in new if g not in apart}
    pool = (pooled | small) & set(waiting)
    if sum(waiting[g] for g in pool) >= minimum:
        pooled |= small
        release |= pool
    return ReleasePlan(frozenset(apart), frozenset(pooled), frozenset(release))


def published_counts(*, apart: set[str], pooled: set[str], released: dict[str, int]) -> dict[str, int]:
    """The figures of counts a release publishes: each group shown apart, the pool, and everyone."""
    figures = {g: released.get(g, 0) for g in apart}
    figures[OTHER_GROUPS] = sum(released.get(g, 0) for g in pooled)
    figures[EVERYONE] = sum(released.values())
    return figures


@dataclass
class Row:
    """A line of a results table: a group's number of responses and how it answered one question."""

    label: str
    responses: int | None
    answers: list[tuple[int, int]] = field(default_factory=list)  # (count, percentage) per answer


@dataclass
class QuestionResult:
    text: str
    rows: list[Row]


@dataclass
class AudienceResult:
    audience: Audience
    responses: int
    shown: bool
    groups: list[tuple[str, int | None]] = field(default_factory=list)
    languages: list[tuple[str, int | None]] = field(default_factory=list)
    questions: list[QuestionResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def answer_labels(self) -> list[str]:
        return [str(label) for _key, label in self.audience.answers]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _question_rows(audience, question, tallies, group_counts, apart, pooled) -> list[Row]:
    """Everyone, then each group shown apart, then the pooled groups together (when some are shown apart)."""
    keys = [key for key, _label in audience.answers]
    lines = [(EVERYONE, list(group_counts))]
    lines += [(str(label), [g]) for g, label in audience.groups if g in apart]
    # When no group is shown apart, "together" would only repeat everyone.
    if apart and sum(group_counts[g] for g in pooled):
        lines.append((OTHER_GROUPS, sorted(pooled)))
    rows = []
    for label, groups in lines:
        counts = [sum(tallies[(g, question.key, k)] for g in groups) for k in keys]
        answered = sum(counts)
        rows.append(Row(label, answered, [(n, _percent(n, answered)) for n in counts]))
    return rows


def _in_fives(n: int | None, minimum: int = MINIMUM) -> int | None:
    """A count shown as "n or more", in steps of `minimum`, so that it moves only by whole steps."""
    return None if n is None else n - n % minimum


def survey_results_build(
    *,
    responses: list[dict],
    answers: list[dict],
    comments: list[tuple[str, str]],
    groupings: dict[str, tuple[set[str], set[str]]],
) -> list[AudienceResult]:
    """Aggregate released answers into what may be shown, audience by audience.

    Everything given is released already. `responses` are {audience, group, language, n};
    `answers` are {audience, group, question, answer, n}; `comments` are (audience, text);
    `groupings` are each audience's groups shown apart and pooled, after its last release.
    """
    results = []
    for audience in AUDIENCES:
        apart, pooled = groupings.get(audience.key, (set(), set()))
        group_counts = Counter({g: 0 for g, _label in audience.groups})
        language_counts: Counter = Counter()
        for r in responses:
            if r["audience"] == audience.key:
                group_counts[r["group"]] += r["n"]
                language_counts[r["language"]] += r["n"]
        total = sum(group_counts.values())
        result = AudienceResult(audience=audience, responses=total, shown=total >= MINIMUM)
        if result.shown:
            tallies: defaultdict = defaultdict(int)
            for a in answers:
                if a["audience"] == audience.key:
                    tallies[(a["group"], a["question"], a["answer"])] += a["n"]
            result.groups = [(str(label), group_counts[g] if g in apart else None) for g, label in audience.groups]
            # Languages cut across the groups, so they are shown in steps of 5 ("10 or more").
            shown_languages = suppress(dict(language_counts))
            result.languages = [
                (get_language_info(code)["name"], _in_fives(shown_languages[code])) for code in sorted(language_counts)
            ]
            result.questions = [
                QuestionResult(str(q.text), _question_rows(audience, q, tallies, group_counts, apart, pooled))
                for q in audience.questions
            ]
            texts = sorted(text for key, text in comments if key == audience.key)
            # Comments are shown without who wrote them, and only once there are enough of them.
            result.comments = texts if len(texts) >= MINIMUM else []
        results.append(result)
    return results
