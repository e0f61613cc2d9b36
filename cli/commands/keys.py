"""``serah key new`` and ``serah key show``: a custodian's own key pair."""

from __future__ import annotations

import re
from pathlib import Path

import click

from cli import errors
from cli.base import Command, Group, option
from cli.context import MIN_PASSPHRASE, get_env, keys_dir, named_pub, passphrase, pub_beside
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option
from cli.output import emit, fields

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@click.group("key", cls=Group, help="cmd.key", lazy={})
def key():
    pass


@key.command("new", cls=Command, help="cmd.key.new")
@click.argument("name")
@option("--dir", "directory", metavar="DIR", help="opt.key_dir")
@option("--label", metavar="TEXT", help="opt.key_label")
@json_option
def new(name, directory, label):
    from ledger import keys

    if not NAME.match(name):
        raise CliError("error.bad_key_name", name=name)
    folder = Path(directory) if directory else keys_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{name}.key"
    if path.exists() or pub_beside(path) is not None:
        raise CliError("error.key_exists", errors.KEY, path=str(path))
    secret = passphrase(name, confirm=True)
    if len(secret) < MIN_PASSPHRASE:
        raise CliError("error.short_passphrase", errors.KEY, n=MIN_PASSPHRASE)
    signer = keys.generate()
    keys.save(signer, path, secret, name=label or name)
    del secret
    info = describe(signer.public, label or name)
    info["key_file"] = str(path)
    info["public_file"] = str(pub_beside(path))
    env = get_env()
    emit(env, info, lambda: click.echo(_human(info, created=True)))


@key.command("upgrade", cls=Command, help="cmd.key.upgrade")
@click.argument("who", metavar="NAME|FILE")
@json_option
def upgrade(who):
    """Old key files (PKCS#8, PBKDF2 with 2,048 iterations) still open; this
    rewrites one in the SPEC 7.2 format (scrypt), same key, same passphrase."""
    from ledger import keys

    path = keys_dir() / f"{who}.key" if NAME.match(who) and not Path(who).is_file() else Path(who)
    if not path.is_file():
        raise CliError("error.key_missing", errors.KEY, path=str(path))
    if keys.is_current(path):
        info = {"key_file": str(path), "upgraded": False}
        emit(get_env(), info, lambda: click.echo(t("key.upgrade_current", path=str(path))))
        return
    signer = keys.upgrade(path, passphrase(path.stem))
    info = {"key_file": str(path), "upgraded": True, "fingerprint": signer.fingerprint}
    emit(get_env(), info, lambda: click.echo(t("key.upgraded", path=str(path), fingerprint=signer.fingerprint)))


@key.command("show", cls=Command, help="cmd.key.show")
@click.argument("who", metavar="NAME|FILE")
@option("--note-name", metavar="NAME", help="opt.note_name")
@option("--for-witness", "as_witness", is_flag=True, help="opt.note_witness", aliases=("--witness",))
@json_option
def show(who, note_name, as_witness):
    from ledger import keys

    if as_witness and not note_name:
        raise CliError("error.witness_needs_note_name")
    pub = named_pub(who)
    name = who
    if pub is None:
        path = Path(who)
        if not path.is_file():
            raise CliError("error.key_missing", errors.KEY, path=who)
        name = path.name.split(".")[0]
        pub = pub_beside(path) if path.suffix == ".key" else path
        if pub is None:
            raise CliError("error.pub_missing", errors.KEY, path=who)
    public = keys.read_public(pub)
    words = pub.read_text("utf-8").split()
    label = " ".join(words[2:]) if len(words) > 2 and words[0] == "serah-ed25519" else name
    info = describe(public, label)
    if note_name is not None:
        info.update(note_key(public, note_name, as_witness))
    info["public_file"] = str(pub)
    emit(get_env(), info, lambda: click.echo(_human(info)))


def note_key(public: bytes, note_name: str, witness: bool) -> dict:
    """The key as a C2SP verifier key (``name+keyhash+base64key``, SPEC
    10.2) under an explicit signed-note name: type 0x01 for a log key (the
    name must be the ledger's genesis name), 0x04 for a witness."""
    from ledger.tlog.log import log_verifier_key, witness_verifier_key
    from ledger.tlog.note import NoteError

    try:
        vkey = (witness_verifier_key if witness else log_verifier_key)(note_name, public)
    except NoteError:
        raise CliError("error.bad_note_name", name=note_name) from None
    return {"verifier_key": vkey, "note_name": note_name, "verifier_key_type": "witness" if witness else "log"}


def describe(public: bytes, name: str) -> dict:
    """Public key, fingerprint and (when the name allows) a C2SP verifier key."""
    import base64

    from ledger import keys

    info: dict[str, str | None] = {
        "name": name,
        "public_key": base64.b64encode(public).decode(),
        "public_key_hex": public.hex(),
        "fingerprint": keys.fingerprint(public),
        "pub_line": keys.public_line(public, name),
    }
    try:
        from ledger.tlog.note import format_verifier_key

        # signed-note key name: the key name with spaces removed
        info["verifier_key"] = format_verifier_key("".join(name.split()) or "serah", 0x01, public)
    except Exception:  # noqa: BLE001 - optional extra; skip when the name does not fit
        info["verifier_key"] = None
    return info


def _human(info: dict, created: bool = False) -> str:
    rows = [
        (t("key.name"), info["name"]),
        (t("key.public"), info["public_key"]),
        (t("key.fingerprint"), info["fingerprint"]),
    ]
    if info.get("verifier_key"):
        kind = info.get("verifier_key_type")
        rows.append((t("key.verifier_key_" + kind) if kind else t("key.verifier_key"), info["verifier_key"]))
    if info.get("key_file"):
        rows.append((t("key.key_file"), info["key_file"]))
    rows.append((t("key.public_file"), info["public_file"]))
    text = fields(rows)
    if created:
        text = t("key.created") + "\n" + text + "\n" + t("key.created_hint")
    return text
