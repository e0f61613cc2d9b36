"""The one translation layer for everything `serah` says to a person.

``t(key, **params)`` looks ``key`` up in the merged catalogue and formats it
with ``params`` (``str.format`` fields). Catalogues are plain dicts, one
module per area in ``cli/i18n/catalog/<area>.py``, each exporting
``MESSAGES = {key: {"id": ..., "en": ...}}``. Areas are discovered, not
listed, so an engineer adding a command adds a catalogue module without
editing anyone else's file.

Language choice, first match wins: ``set_lang()`` (the ``--lang`` option),
``SERAH_LANG``, the locale (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``:
a value starting with ``id`` means Indonesian), else Indonesian, because the
people who sign handovers are Indonesian election staff.

Numbers are formatted per language too (``22.036`` vs ``22,036``): a figure
read aloud over a radio link must look the way the listener writes it.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import string

LANGS = ("id", "en")
DEFAULT = "id"

_lang: str | None = None
_catalog: dict[str, dict[str, str]] | None = None


def detect(env=None) -> str:
    """The language from the environment alone (no ``--lang``)."""
    env = os.environ if env is None else env
    chosen = env.get("SERAH_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            # The first locale variable that is set decides, as in POSIX.
            if value.lower().startswith("id"):
                return "id"
            if value in ("C", "POSIX") or value.startswith("C."):
                return DEFAULT
            return "en"
    return DEFAULT


def set_lang(lang: str | None) -> None:
    """Force a language (``None`` goes back to the environment)."""
    global _lang
    if lang is not None and lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    _lang = lang


def get_lang() -> str:
    return _lang or detect()


def messages() -> dict[str, dict[str, str]]:
    """All messages from every module of ``cli.i18n.catalog``, merged once."""
    global _catalog
    if _catalog is None:
        _catalog = load_areas()[0]
    return _catalog


def load_areas() -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """Merge the area modules; also say which areas define each key.

    The second value lets the test suite catch one key defined by two areas
    (the later one would silently win here).
    """
    package = importlib.import_module(__name__ + ".catalog")

    merged: dict[str, dict[str, str]] = {}
    owners: dict[str, list[str]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for key, texts in getattr(module, "MESSAGES", {}).items():
            merged[key] = texts
            owners.setdefault(key, []).append(info.name)
    return merged, owners


def has(key: str) -> bool:
    return key in messages()


# SPEC 2.2: characters that forge or hide terminal output (controls, bidi formatting).
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every control and bidirectional formatting character
    written as an escape (``\\x1b``, ``\\n``, ``\\u202e``): text from a
    record or a file can then neither add a line nor hide or reorder one."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def t(key: str, /, **params) -> str:
    """Translate ``key`` into the current language, formatting ``params``.

    A missing key or language gives the key itself (visible, never a crash);
    tests/unit/test_i18n.py makes sure that never ships. Integers in ``params``
    are formatted with the language's thousands separator.
    """
    lang = get_lang()
    texts = messages().get(key)
    if texts is None:
        return key if not params else f"{key} {params}"
    text = texts.get(lang) or texts.get(DEFAULT) or key
    if not params:
        return text
    shown = {name: (num(value, lang) if type(value) is int else visible(value) if type(value) is str else value)
             for name, value in params.items()}
    try:
        return string.Formatter().vformat(text, (), _Missing(shown))
    except (ValueError, IndexError):
        return text


class _Missing(dict):
    """Leave ``{name}`` visible instead of raising when a param is missing."""

    def __missing__(self, name):
        return "{" + name + "}"


def num(value: int, lang: str | None = None) -> str:
    """``22036`` -> ``22.036`` (id) or ``22,036`` (en)."""
    text = f"{value:,}"
    return text.replace(",", ".") if (lang or get_lang()) == "id" else text


def dec(value: float, digits: int = 1, lang: str | None = None) -> str:
    """``7.74`` -> ``7,7`` (id) or ``7.7`` (en)."""
    text = f"{value:,.{digits}f}"
    if (lang or get_lang()) == "id":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
