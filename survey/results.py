"""Survey results, aggregated so that no group of fewer than 5 responses is ever shown apart."""

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


def _question_rows(audience, question, tallies, group_counts, shown_groups) -> list[Row]:
    """All responses, then each group that may be shown, then the hidden groups together if they reach the minimum."""
    keys = [key for key, _label in audience.answers]
    hidden = [g for g, n in shown_groups.items() if n is None and group_counts[g]]
    lines = [(EVERYONE, list(group_counts))]
    apart = [(str(label), [g]) for g, label in audience.groups if shown_groups[g]]
    lines += apart
    # When every group is hidden, "together" would only repeat everyone.
    if apart and hidden and sum(group_counts[g] for g in hidden) >= MINIMUM:
        lines.append((OTHER_GROUPS, hidden))
    rows = []
    for label, groups in lines:
        counts = [sum(tallies[(g, question.key, k)] for g in groups) for k in keys]
        answered = sum(counts)
        rows.append(Row(label, answered, [(n, _percent(n, answered)) for n in counts]))
    return rows


def survey_results_build(
    *, responses: list[dict], answers: list[dict], comments: list[tuple[str, str]]
) -> list[AudienceResult]:
    """Aggregate counted rows into what may be shown, audience by audience.

    `responses` are {audience, group, language, n}; `answers` are {audience, group,
    question, answer, n}; `comments` are (audience, text).
    """
    results = []
    for audience in AUDIENCES:
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
            shown_groups = suppress(dict(group_counts))
            result.groups = [(str(label), shown_groups[g]) for g, label in audience.groups]
            shown_languages = suppress(dict(language_counts))
            result.languages = [
                (get_language_info(code)["name"], shown_languages[code]) for code in sorted(language_counts)
            ]
            result.questions = [
                QuestionResult(str(q.text), _question_rows(audience, q, tallies, group_counts, shown_groups))
                for q in audience.questions
            ]
            texts = sorted(text for key, text in comments if key == audience.key)
            # Comments are shown without who wrote them, and only once there are enough of them.
            result.comments = texts if len(texts) >= MINIMUM else []
        results.append(result)
    return results
