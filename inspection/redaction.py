"""What a tracking pack must not say about who the child is.

The pack names the child by the inspection's pseudonym only. Free text written for the
record (a pen portrait, an agreement's exit plan, a plan's title) may name the child or
the schools that would identify them; the pack says "the child", "the home school" or "a
previous school" instead.
"""

import re
from dataclasses import dataclass

# Words that say what kind of school a name is, not which: "Priestley High School" is also written "Priestley High".
GENERIC = {"school", "academy", "college", "primary", "secondary", "high", "junior", "infant", "infants"}
GENERIC |= {"community", "cofe", "c of e", "rc", "catholic", "church", "of", "england", "the", "and", "free"}


def _short_forms(name: str) -> list[str]:
    """A school's name and the shorter ways people write it, down to its distinctive words."""
    words = name.split()
    forms = [name]
    while len(words) > 1 and words[-1].lower() in GENERIC:
        words = words[:-1]
        if any(w.lower() not in GENERIC for w in words):
            forms.append(" ".join(words))
    return forms


@dataclass(frozen=True)
class Redaction:
    replacements: tuple[tuple[re.Pattern, str], ...]
    do_not_call_in_templates = True  # it is called on text by the `redact` filter, never by the template itself

    @classmethod
    def for_child(cls, child, *, pseudonym: str) -> "Redaction":
        """The child's names, their home school and every school that excluded them."""
        words = {child.first_name: pseudonym, child.last_name: pseudonym}
        schools = {e.school.name: "a previous school" for e in child.exclusions.all() if e.school_id}
        if child.home_school_id:
            schools[child.home_school.name] = "the home school"
        words |= {form: said for name, said in schools.items() for form in _short_forms(name)}
        # Longest first, so that "Brookvale CofE Primary School" goes before a name inside it.
        ordered = sorted((w for w in words if w and w.strip()), key=len, reverse=True)
        return cls(tuple((re.compile(rf"(?<!\w){re.escape(w)}(?!\w)", re.IGNORECASE), words[w]) for w in ordered))

    def __call__(self, text: str) -> str:
        for pattern, replacement in self.replacements:
            text = pattern.sub(replacement, text)
        return text
