"""The translation layer: complete catalogues, every key used exists, both languages."""

from __future__ import annotations

import re
import string
import subprocess
import sys

import click
import pytest

from cli import i18n
from cli.base import TOption
from cli.main import cli
from support import REPO_ROOT

CLI_DIR = REPO_ROOT / "cli"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages():
    for key, texts in i18n.messages().items():
        for lang in i18n.LANGS:
            assert isinstance(texts.get(lang), str) and texts[lang].strip(), f"{key}: no {lang} text"


def test_no_key_is_defined_by_two_areas():
    _, owners = i18n.load_areas()
    twice = {key: areas for key, areas in owners.items() if len(areas) > 1}
    assert not twice


def test_both_languages_use_the_same_placeholders():
    for key, texts in i18n.messages().items():
        assert placeholders(texts["id"]) == placeholders(texts["en"]), key


# Keys built at run time from a family prefix and a known set of suffixes.
DYNAMIC = {
    "state.": ("held", "transit", "lost", "destroyed"),
    "role.": ("kpu", "printer", "ppk", "pps", "kpps", "escort", "witness"),
    "cond.": ("ok", "damaged", "wet", "missing", "opened"),
    "incident.": ("damage", "loss", "flood", "other"),
    "verify.severity.": ("error", "warning", "notice"),
    "demo.level.": ("kpu", "ppk", "pps", "kpps", "pps-return", "ppk-return", "kpu-return"),
    "demo.discrepancy.": ("qty", "seals", "condition"),
    "out.submit_": ("appended", "present"),
    # evidence bundle reports (cli/report)
    "report.outcome.": ("accepted", "refused", "open"),
    "report.state.": ("held", "transit", "lost", "destroyed"),
    "report.severity.": ("error", "warning", "notice"),
    "report.csv.": ("index", "record", "time_utc", "time_local", "type", "item", "author", "author_key", "released",
                    "received", "witnesses", "place", "site", "declared_qty", "observed_qty", "declared_seals",
                    "observed_seals", "condition", "note", "discrepancy", "findings"),
}
LITERAL = re.compile(r"""(?:\bt\(|\bCliError\(|\bhelp=|\bepilog=)\s*f?"([a-z][a-z0-9_.\-]*)["{]""")


def keys_used_in_code() -> set[str]:
    used = set()
    for path in CLI_DIR.rglob("*.py"):
        if "catalog" in path.parts:
            continue
        for match in LITERAL.finditer(path.read_text(encoding="utf-8")):
            used.add(match.group(1))
    return used


def test_every_key_used_in_code_exists():
    catalog = i18n.messages()
    used = keys_used_in_code()
    assert len(used) > 100  # the scan works
    missing = []
    for key in used:
        family = next((prefix for prefix in DYNAMIC if key == prefix), None)
        if family:
            missing += [family + s for s in DYNAMIC[family] if family + s not in catalog]
        elif key.endswith(".") or key.endswith("_"):
            # Another area's family (guarded by has() there): at least one member must exist.
            assert any(k.startswith(key) for k in catalog), f"no catalogue key starts with {key!r}"
        elif key not in catalog:
            missing.append(key)
    assert not missing, missing


def test_every_demo_level_and_phase_exists():
    from cli import demo

    catalog = i18n.messages()
    assert all(f"demo.level.{level}" in catalog for level in demo.LEVEL_ORDER)
    source = (CLI_DIR / "demo.py").read_text()
    for key in re.findall(r'"(demo\.phase\.[a-z]+)"', source):
        assert key in catalog, key


def walk(command, path=()):
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, name), path + (name,))


def test_every_command_and_option_has_translated_help():
    catalog = i18n.messages()
    seen = 0
    for path, command in walk(cli):
        key = command._help_key
        assert key in catalog, f"serah {' '.join(path)}: help key {key!r} missing"
        if path:
            assert key + ".short" in catalog, f"serah {' '.join(path)}: no short help"
            assert key == "cmd." + ".".join(path), f"help key {key!r} does not match the command path"
        for param in command.params:
            if isinstance(param, TOption) and param._help_key:
                assert param._help_key in catalog, f"serah {' '.join(path)} {param.opts}: {param._help_key!r}"
            elif isinstance(param, click.Option):
                assert param.help is None, f"{param.opts}: use cli.base.option so the help is translated"
        seen += 1
    assert seen >= 20


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_help_page_renders(lang):
    from click.testing import CliRunner

    for path, _command in walk(cli):
        result = CliRunner().invoke(cli, ["--lang", lang, *path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert ("Penggunaan:" if lang == "id" else "Usage:") in result.stdout
        assert "cmd." not in result.stdout and "opt." not in result.stdout  # no untranslated keys


def test_every_ledger_error_has_a_message_and_an_exit_code():
    from ledger import errors

    catalog = i18n.messages()
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.SerahError)]
    for cls in classes:
        if cls.__name__.startswith("_") or cls is errors.SerahError:
            continue
        assert "category" in cls.__dict__, f"{cls.__name__}: no category (exit status) of its own"
        if cls is errors.InvalidInput:
            continue
        key = f"error.{cls.code}"
        assert key in catalog, key
        allowed = placeholders(cls.template) | {"detail"}
        assert placeholders(catalog[key]["en"]) <= allowed, f"{key} uses params the ledger does not give"
    for code, template in errors.INVALID_INPUT_TEMPLATES.items():
        key = f"error.{code}"
        assert key in catalog, key
        assert placeholders(catalog[key]["en"]) <= placeholders(template) | {"detail"}, key


def test_every_verifier_finding_is_translated():
    messages = pytest.importorskip("verifier.messages")
    catalog = i18n.messages()
    for code, english in messages.ENGLISH.items():
        texts = catalog.get("finding." + code)
        assert texts and texts.get("id"), f"finding {code}: no Indonesian text in cli/i18n/catalog/verify.py"
        assert placeholders(texts["id"]) == placeholders(english), code


def test_language_detection():
    assert i18n.detect({}) == "id"
    assert i18n.detect({"SERAH_LANG": "en", "LANG": "id_ID.UTF-8"}) == "en"
    assert i18n.detect({"LANG": "id_ID.UTF-8"}) == "id"
    assert i18n.detect({"LANG": "en_US.UTF-8"}) == "en"
    assert i18n.detect({"LC_ALL": "id_ID", "LANG": "en_US"}) == "id"
    assert i18n.detect({"LANG": "C.UTF-8"}) == "id"
    assert i18n.detect({"SERAH_LANG": "fr", "LANG": "en_GB"}) == "en"


def test_numbers_follow_the_language():
    assert i18n.num(22036, "id") == "22.036" and i18n.num(22036, "en") == "22,036"
    assert i18n.dec(1234.56, 1, "id") == "1.234,6" and i18n.dec(1234.56, 1, "en") == "1,234.6"
    i18n.set_lang("en")
    try:
        assert i18n.t("demo.voters", n=22036).endswith("22,036")
        assert i18n.t("no.such.key") == "no.such.key"
        assert "{item}" in i18n.t("error.unknown_item", other=1)  # a missing param stays visible
    finally:
        i18n.set_lang(None)


def test_help_does_not_import_the_ledger():
    code = (
        "import sys\n"
        "from cli.main import cli\n"
        "cli.main(['--help'], standalone_mode=False)\n"
        "cli.main(['handover', 'accept', '--help'], standalone_mode=False)\n"
        "heavy = [m for m in ('eventsourcing', 'ledger.application', 'cryptography', 'msgpack') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=CLI_DIR.parent, check=True)
    assert "HEAVY []" in out.stdout, out.stdout
