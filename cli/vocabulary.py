"""SPEC values (record types, conditions, incident kinds, item kinds, roles)
shown and typed in the user's language.

The ledger stores ``damaged``; a KPPS reads and may type ``rusak``. Both
directions use the entries of ``cli/i18n/catalog/vocabulary.py`` (in both
languages, whatever the current one), so a word shown is always a word
accepted, and the SPEC value itself is always accepted too.
"""

from __future__ import annotations

from cli.errors import CliError
from cli.i18n import has, messages, t
from ledger.vocabulary import CONDITIONS, INCIDENT_KINDS


def word(group: str, value: str | None) -> str:
    """``word("condition", "damaged")`` -> ``rusak`` (Indonesian) or ``damaged``."""
    if value is None:
        return "-"
    key = f"{group}.{value}"
    return t(key) if has(key) else str(value)


def parse(group: str, typed: str, choices: tuple[str, ...], error: str = "error.bad_choice") -> str:
    """The SPEC value for ``typed`` (a SPEC value or its word in either
    language, any case); anything else is one usage error listing the
    words of the current language."""
    text = " ".join(typed.split()).lower()
    catalog = messages()
    for value in choices:
        entry = catalog.get(f"{group}.{value}", {})
        if text == value or text in (w.lower() for w in entry.values()):
            return value
    raise CliError(error, value=typed, expected=", ".join(word(group, v) for v in choices))


def condition(typed: str) -> str:
    return parse("condition", typed, CONDITIONS, "error.bad_condition")


def incident_kind(typed: str) -> str:
    return parse("incident_kind", typed, INCIDENT_KINDS, "error.bad_incident_kind")


# Fields whose values are SPEC words with a translation (by record type
# where the same field name means two things: an incident's ``kind``).
_VALUE_GROUPS = {"condition": "condition", "role": "role_name"}


def value_word(field: str, value, record_type: str | None = None):
    """A field's value as a person reads it: SPEC words translated, booleans
    as yes/no; other values unchanged."""
    if isinstance(value, bool):
        return word("word", "yes" if value else "no")
    if not isinstance(value, str):
        return value
    if field == "kind":
        return word("incident_kind" if record_type == "incident" else "item_kind", value)
    group = _VALUE_GROUPS.get(field)
    return word(group, value) if group else value


def field_name(field: str) -> str:
    return word("field", field)


def finding_param(code: str, name: str, value):
    """A verifier finding's parameter as a person reads it: the SPEC words
    it carries (a condition, an incident's kind, an item kind) translated."""
    if not isinstance(value, str):
        return value
    if name == "condition":
        return word("condition", value)
    if name == "kind":
        return word("incident_kind" if code == "incident" else "item_kind", value)
    if name == "role":
        return word("role_name", value)
    return value
