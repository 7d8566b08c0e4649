"""A model's constraints, tested in Python against records not yet saved.

Django checks a constraint with a query for each record (`Model.validate_constraints`),
which is right for a form and far too slow for a file of thousands of rows. Here the
same constraint objects, from the model's `Meta.constraints`, are evaluated in memory,
so that the rule is still written once, in the model. The database checks them again
when the records are written.

Only what the models' conditions use is understood: field lookups `exact`, `isnull`,
`in`, `lt`, `lte`, `gt`, `gte`, with a value or `F("other_field")`, combined with AND, OR
and NOT. Anything else raises `NotImplementedError`, so a new kind of condition fails
its tests rather than passing unchecked. As in SQL, a comparison with an empty (NULL)
value is unknown, and a constraint whose condition is unknown holds.
"""

import operator
from collections.abc import Iterable

from django.db.models import CheckConstraint, F, Q, UniqueConstraint

_COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def condition_holds(instance, condition: Q) -> bool:
    """Whether a record meets a constraint's condition; unknown (NULL) counts as met, as in a CHECK."""
    return _truth(instance, condition) is not False


def check_constraint_errors(instance) -> dict[str, list[str]]:
    """The check constraints a record breaks, keyed by the field each names in its violation code."""
    errors: dict[str, list[str]] = {}
    for constraint in instance._meta.constraints:
        if isinstance(constraint, CheckConstraint) and not condition_holds(instance, constraint.condition):
            errors.setdefault(constraint.violation_error_code or "", []).append(
                str(constraint.get_violation_error_message())
            )
    return errors


def conditional_unique_clashes(instances: Iterable) -> list[tuple[UniqueConstraint, list]]:
    """Groups of records that a partial unique constraint (one with a condition) forbids together."""
    instances = list(instances)
    if not instances:
        return []
    clashes = []
    for constraint in instances[0]._meta.constraints:
        if not isinstance(constraint, UniqueConstraint) or constraint.condition is None or not constraint.fields:
            continue
        groups: dict[tuple, list] = {}
        for instance in instances:
            if _truth(instance, constraint.condition) is True:
                key = tuple(_field_value(instance, name) for name in constraint.fields)
                if None not in key:  # empty values never clash in a unique index
                    groups.setdefault(key, []).append(instance)
        clashes += [(constraint, group) for group in groups.values() if len(group) > 1]
    return clashes


def _truth(instance, node) -> bool | None:
    """SQL's three-valued truth of a condition for one record: True, False or None (unknown)."""
    if isinstance(node, Q):
        results = [_truth(instance, child) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in results else None if None in results else True
        elif node.connector == Q.OR:
            result = True if True in results else None if None in results else False
        else:
            raise NotImplementedError(f"{node.connector} conditions are not evaluated in memory")
        return result if result is None or not node.negated else not result
    if not isinstance(node, tuple):
        raise NotImplementedError(f"{node!r} is not evaluated in memory")
    lookup, expected = node
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    actual = _field_value(instance, name)
    if isinstance(expected, F):
        expected = _field_value(instance, expected.name)
    if kind == "isnull":
        return (actual is None) == bool(expected)
    if kind == "exact" and expected is None:
        return actual is None  # Django reads field=None as field IS NULL
    if actual is None:
        return None
    if kind == "in":
        return actual in expected
    if kind not in _COMPARISONS:
        raise NotImplementedError(f"The lookup {lookup!r} is not evaluated in memory")
    if expected is None:
        return None
    return _COMPARISONS[kind](actual, expected)


def _field_value(instance, name: str):
    # A foreign key is compared by its id, as the database compares it.
    return getattr(instance, instance._meta.get_field(name).attname)
