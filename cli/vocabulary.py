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

CONDITIONS = ("ok", "damaged", "wet", "missing", "opened")
INCIDENT_KINDS = ("damage", "loss", "flood", "other")


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
