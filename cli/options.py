"""Options shared by many commands: ``--json`` and the user's key.

They may be given globally (``serah --as kpps1 ...``) or on the command
(``serah handover accept FILE --as kpps1``); the command's value wins.
"""

from __future__ import annotations

from cli.base import option
from cli.context import get_env


def _store(attribute):
    def callback(ctx, param, value):
        if value:
            setattr(get_env(ctx), attribute, value)
        return value

    return callback


def json_option(f):
    return option("--json", "_json", is_flag=True, expose_value=False, callback=_store("json"), help="opt.json")(f)


def key_options(f):
    f = option(
        "--as", "_as", metavar="NAME", expose_value=False, callback=_store("as_name"), help="opt.as"
    )(f)
    f = option(
        "--key", "_key", metavar="FILE", expose_value=False, callback=_store("key"), help="opt.key"
    )(f)
    return f


def split_values(values) -> list[str]:
    """``--seals A,B --seals C`` -> ``[A, B, C]``."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def pairs(values, name: str) -> dict[str, str]:
    """``ITEM=VALUE`` options into a dict; a value without ``=`` is a usage error."""
    from cli.errors import CliError

    out = {}
    for value in values or ():
        item, sep, rest = value.partition("=")
        if not sep or not item.strip():
            raise CliError("error.pair_expected", option=name, value=value)
        out[item.strip()] = rest.strip()
    return out


