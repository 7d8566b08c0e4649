"""The fields a service requires: which are left empty, in the words that ask for each."""


def is_blank(value) -> bool:
    """Nothing given: None, or a string of only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def missing(data: dict, required: dict[str, str]) -> dict[str, list[str]]:
    """Each required field left blank in `data`, with its message, as a ValidationError's dict wants them."""
    return {name: [message] for name, message in required.items() if is_blank(data.get(name))}
