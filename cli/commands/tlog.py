"""The transparency log (SPEC 10): ``serah checkpoint``, ``serah witness``, ``serah prove``.

KPU signs checkpoints of the ledger's Merkle tree with the log key;
Bawaslu witnesses cosign each one only after checking, with a consistency
proof fetched from the ledger, that it extends the last one they cosigned.
A refusal (rollback, split view, a ledger shorter than a checkpoint it
signed) is evidence against the log: it is one loud line, exit status 4,
and the refused note and proof are kept beside the witness's state file.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
from contextlib import contextmanager
from pathlib import Path

import click

from cli import errors
from cli.base import Command, Group, option
from cli.commands.common import input_file
from cli.context import get_env
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option, key_options
from cli.output import emit, fields, local_time, progress_enabled, table, warn


@contextmanager
def _log_errors():
    """The log service's refusals as one translated line, with the status of their category."""
    from ledger.tlog.log import LogError

    try:
        yield
    except LogError as error:
        params = {k: v for k, v in error.params.items()}
        raise CliError(f"error.{error.code}", int(error.category), **params) from None


def _log():
    from ledger.tlog.log import TransparencyLog

    log = TransparencyLog(get_env().ledger())
    if progress_enabled():
        log.catch_up(progress=lambda n: warn(t("tlog.catching_up", n=n)))
    return log


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _public_of_my_key() -> bytes:
    """The public key of ``--key``/``--as``, derived from the private key (never the .pub beside it)."""
    return get_env().my_public()


def _read_text(path: str) -> str:
    file = input_file(path)
    try:
        return file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise CliError("error.bad_note", errors.USAGE, detail=f"{path}: not UTF-8 text") from None


def _verifier_key_arg(value: str) -> str:
    """A verifier key given as text or as a file holding it (first non-empty line)."""
    path = Path(value)
    if "+" not in value or path.is_file():
        if not path.is_file():
            raise CliError("error.bad_verifier_key", errors.USAGE, key=value)
        lines = [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]
        value = lines[0] if lines else ""
    from ledger.tlog.note import NoteError, VerifierKey

    try:
        VerifierKey.parse(value)
    except NoteError:
        raise CliError("error.bad_verifier_key", errors.USAGE, key=value) from None
    return value


def _write_new(path: str, text: str, force: bool = False) -> None:
    """A note file, through :mod:`cli.outfile` (never over a file without --force, never the ledger)."""
    from cli import outfile

    outfile.write(path, text.encode("utf-8"), force=force, ledger=get_env().db)


def _checkpoint_json(cp, new: bool | None = None) -> dict:
    value = {
        "origin": cp.origin,
        "size": cp.size,
        "root": cp.root.hex(),
        "root_base64": _b64(cp.root),
        "log_key": cp.log_key,
        "created": cp.created,
        "note": cp.full_note,
        "cosignatures": [
            {"name": c.name, "witness_key": c.witness_key, "time": c.time, "added": c.added} for c in cp.cosignatures
        ],
    }
    if new is not None:
        value["new"] = new
    return value


def _cosigned_by(cp) -> str:
    return ", ".join(c.name for c in cp.cosignatures) or t("tlog.nobody")


def _show_checkpoint(cp) -> None:
    click.echo(fields([
        (t("tlog.origin"), cp.origin),
        (t("tlog.size"), cp.size),
        (t("tlog.root"), _b64(cp.root)),
        (t("tlog.signed_at"), local_time(cp.created)),
        (t("tlog.log_key"), cp.log_key),
        (t("tlog.cosigned_by"), _cosigned_by(cp)),
    ]))
    click.echo("")
    click.echo(cp.full_note, nl=False)


# --- serah checkpoint --------------------------------------------------------------------


@click.command("checkpoint", cls=Command, help="cmd.checkpoint")
@option("--show", is_flag=True, help="opt.cp_show")
@option("--list", "list_all", is_flag=True, help="opt.cp_list")
@option("--size", type=click.IntRange(min=0), metavar="N", help="opt.cp_size")
@option("-o", "--output", "out", metavar="FILE", help="opt.cp_out", aliases=("--out",))
@option("--verifier-key", "verifier_key", is_flag=True, help="opt.cp_verifier_key")
@option("--new-log-key", "new_key", is_flag=True, help="opt.cp_new_key")
@option("--force", is_flag=True, help="opt.force_output")
@key_options
@json_option
def checkpoint(show, list_all, size, out, verifier_key, new_key, force):
    from cli import outfile

    env = get_env()
    if out:
        outfile.check_target(out, force=force, ledger=env.db)  # before a checkpoint is signed and stored
    with _log_errors():
        log = _log()
        if verifier_key:
            from ledger.tlog.log import log_verifier_key

            vkey = log_verifier_key(log.origin, _public_of_my_key())
            emit(env, {"origin": log.origin, "verifier_key": vkey}, lambda: click.echo(vkey))
            return
        if list_all:
            found = log.checkpoints()
            rows = [[c.size, _b64(c.root), local_time(c.created), _cosigned_by(c)] for c in found]
            emit(env, [_checkpoint_json(c) for c in found], lambda: click.echo(
                table([t("tlog.size"), t("tlog.root"), t("tlog.signed_at"), t("tlog.cosigned_by")], rows)
                if rows else t("tlog.none")))
            return
        if show or size is not None:
            cp = log.checkpoint(size)
            if out:
                _write_new(out, cp.full_note, force)
            emit(env, _checkpoint_json(cp), lambda: _show_checkpoint(cp))
            return
        signer = env.signer()
        cp, new = log.sign_checkpoint(signer, new_key=new_key)
        if out:
            _write_new(out, cp.full_note, force)

    def human():
        click.echo(t("tlog.signed" if new else "tlog.unchanged", size=cp.size, root=_b64(cp.root)))
        if out:
            click.echo(t("tlog.written", path=out))
        else:
            click.echo("")
            click.echo(cp.full_note, nl=False)

    emit(env, _checkpoint_json(cp, new), human)


# --- serah witness ------------------------------------------------------------------------


@click.group("witness", cls=Group, help="cmd.witness", lazy={"serve": "cli.commands.witness_serve:serve"})
def witness():
    pass


def _keep_refusal(state: Path, note_text: str, proof: list[bytes], reason: str, detail: str) -> Path:
    """A witness SHOULD keep what it refused (SPEC 10.5): it is evidence against the log."""
    folder = Path(str(state) + ".refused")
    folder.mkdir(exist_ok=True)
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = folder / f"{stamp}-{reason}.json"
    path.write_text(json.dumps({"reason": reason, "detail": detail, "note": note_text,
                                "proof": [p.hex() for p in proof]}, indent=2) + "\n", encoding="utf-8")
    return path


@witness.command("cosign", cls=Command, help="cmd.witness.cosign")
@click.argument("checkpoint_file", metavar="CHECKPOINT_FILE")
@option("--state", "state", required=True, metavar="FILE", help="opt.witness_state")
@option("--note-name", "name", required=True, metavar="NAME", help="opt.witness_name", aliases=("--name",))
@option("--log", "log_key", required=True, metavar="VERIFIER_KEY|FILE", help="opt.witness_log")
@option("-o", "--output", "out", metavar="FILE", help="opt.witness_out", aliases=("--out",))
@option("--first-time", "first_time", is_flag=True, help="opt.witness_first_time")
@option("--force", is_flag=True, help="opt.force_output")
@key_options
@json_option
def cosign(checkpoint_file, state, name, log_key, out, first_time, force):
    from cli import outfile
    from ledger.tlog.log import BeyondLog, KeyWitness, cosign_checkpoint
    from ledger.tlog.note import Ed25519Verifier, NoteError, check_key_name
    from ledger.tlog.tree import EMPTY_ROOT
    from ledger.tlog.witness import (
        BadCheckpointError,
        NoStateError,
        RollbackError,
        SplitViewError,
        UnknownLogError,
    )

    env = get_env()
    if out:
        outfile.check_target(out, force=force, ledger=env.db)  # before the witness's state moves on
    note_text = _read_text(checkpoint_file)
    vkey = _verifier_key_arg(log_key)
    try:
        check_key_name(name)
        log_verifier = Ed25519Verifier.from_verifier_key(vkey)
    except NoteError:
        raise CliError("error.bad_witness_name", errors.USAGE, name=name) from None
    state_path = Path(state)
    if not state_path.parent.is_dir():
        raise CliError("error.file_missing", errors.USAGE, path=str(state_path.parent))
    signer = env.signer()
    witness_ = KeyWitness(name, signer, state_path, {log_verifier.name: log_verifier})
    witness_.first_time = first_time  # SPEC 10.5: never cosign from size 0 without the operator's word
    origin = note_text.split("\n", 1)[0]
    cosigned, _ = witness_.state.load().get(origin, (0, EMPTY_ROOT))
    proof: list[bytes] = []
    size = _claimed_size(note_text)

    def refuse(key: str, reason: str, why: str, status: int = errors.TAMPER, **params):
        kept = _keep_refusal(state_path, note_text, proof, reason, why)
        raise CliError(key, status, size=size, cosigned=cosigned, origin=origin, kept=str(kept), **params)

    try:
        with _log_errors():
            log = _log()
            try:
                result, proof = cosign_checkpoint(log, witness_, note_text)
            except BeyondLog as error:
                refuse("error.witness_beyond_log", "beyond_log", str(error), log=error.params.get("log"))
    except RollbackError as error:
        refuse("error.witness_rollback", "rollback", str(error))
    except SplitViewError as error:
        refuse("error.witness_split_view", "split_view", str(error))
    except BadCheckpointError as error:
        refuse("error.witness_bad_checkpoint", "bad_checkpoint", str(error), detail=str(error))
    except NoStateError:
        raise CliError("error.witness_no_state", errors.USAGE, origin=origin, state=str(state_path)) from None
    except UnknownLogError:
        raise CliError("error.witness_unknown_log", errors.USAGE, origin=origin, log=log_verifier.name) from None
    if out:
        _write_new(out, result, force)
    value = {"origin": origin, "size": size, "from_size": cosigned, "proof": [p.hex() for p in proof],
             "witness_key": witness_.verifier_key(), "note": result}

    def human():
        click.echo(t("tlog.cosigned", size=size, origin=origin, old=cosigned), err=bool(not out))
        if out:
            click.echo(t("tlog.written", path=out))
        else:
            click.echo(result, nl=False)

    emit(env, value, human)


def _claimed_size(note_text: str):
    lines = note_text.split("\n")
    return int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else lines[1] if len(lines) > 1 else "?"


@witness.command("add-cosignature", cls=Command, help="cmd.witness.add-cosignature")
@click.argument("note_file", metavar="COSIGNED_FILE")
@option("--witness-vkey", "witness_keys", multiple=True, metavar="VERIFIER_KEY|FILE", help="opt.witness_key_vkey",
        aliases=("--witness",))
@json_option
def add_cosignature(note_file, witness_keys):
    env = get_env()
    note_text = _read_text(note_file)
    keys = [_verifier_key_arg(k) for k in witness_keys]
    with _log_errors():
        log = _log()
        added = log.add_cosignatures(note_text, keys)
    value = [{"size": c.size, "name": c.name, "witness_key": c.witness_key, "time": c.time} for c in added]

    def human():
        if not added:
            click.echo(t("tlog.cosignature_known"))
        for c in added:
            click.echo(t("tlog.cosignature_added", name=c.name, size=c.size))

    emit(env, value, human)


@witness.command("key", cls=Command, help="cmd.witness.key")
@option("--note-name", "name", required=True, metavar="NAME", help="opt.witness_name", aliases=("--name",))
@key_options
@json_option
def witness_key(name):
    from ledger.tlog.log import witness_verifier_key
    from ledger.tlog.note import NoteError

    env = get_env()
    try:
        vkey = witness_verifier_key(name, _public_of_my_key())
    except NoteError:
        raise CliError("error.bad_witness_name", errors.USAGE, name=name) from None
    emit(env, {"name": name, "verifier_key": vkey}, lambda: click.echo(vkey))


# --- serah prove ---------------------------------------------------------------------------


@click.group("prove", cls=Group, help="cmd.prove", lazy={})
def prove():
    pass


def _record_ref(log, ref: str) -> tuple[int, bytes]:
    """(leaf index, envelope) of a record given by its id (64 hex digits) or leaf index."""
    import hashlib

    text = ref.strip().lower()
    if text.isdigit():
        index = int(text)
        envelope = log.envelope_at(index)
        return index, envelope
    try:
        record_id = bytes.fromhex(text)
    except ValueError:
        record_id = b""
    if len(record_id) != 32:
        raise CliError("error.bad_record_ref", errors.USAGE, ref=ref)
    index = log.leaf_index(record_id)
    envelope = log.ledger.record(record_id)
    assert hashlib.sha256(envelope).digest() == record_id
    return index, envelope


@prove.command("inclusion", cls=Command, help="cmd.prove.inclusion")
@click.argument("record", metavar="RECORD_ID|INDEX")
@option("--size", type=click.IntRange(min=1), metavar="N", help="opt.prove_size")
@json_option
def inclusion(record, size):
    import hashlib

    from verifier import merkle

    env = get_env()
    with _log_errors():
        log = _log()
        index, envelope = _record_ref(log, record)
        stored = None
        if size is None:
            stored = log.covering_checkpoint(index)
            size = stored.size if stored is not None else log.size
        else:
            stored = next((c for c in log.checkpoints() if c.size == size), None)
        proof = log.inclusion_proof(index, size)
        root = log.root(size)
    # Checked again with the auditor's independent code before it is shown.
    merkle.verify_inclusion(merkle.hash_leaf(envelope), index, size, proof, root)
    value = {"record": hashlib.sha256(envelope).hexdigest(), "index": index, "size": size, "root": root.hex(),
             "leaf_hash": merkle.hash_leaf(envelope).hex(), "proof": [p.hex() for p in proof],
             "checkpoint": stored.full_note if stored is not None else None, "verified": True}

    def human():
        click.echo(fields([
            (t("tlog.record"), value["record"]),
            (t("tlog.index"), index),
            (t("tlog.size"), size),
            (t("tlog.root"), _b64(root)),
            (t("tlog.leaf_hash"), value["leaf_hash"]),
            (t("tlog.checkpoint"), t("tlog.checkpoint_of", by=_cosigned_by(stored)) if stored else t("tlog.no_checkpoint_at")),
            (t("tlog.proof"), t("tlog.hashes", n=len(proof))),
        ]))
        for digest in proof:
            click.echo("  " + digest.hex())
        click.echo(t("tlog.proof_ok"))

    emit(env, value, human)


@prove.command("consistency", cls=Command, help="cmd.prove.consistency")
@click.argument("old", type=click.IntRange(min=0), metavar="OLD")
@click.argument("new", type=click.IntRange(min=0), metavar="NEW")
@json_option
def consistency(old, new):
    from verifier import merkle

    env = get_env()
    if old > new:
        raise CliError("error.sizes_order", errors.USAGE, old=old, new=new)
    with _log_errors():
        log = _log()
        proof = log.consistency_proof(old, new)
        old_root, new_root = log.root(old), log.root(new)
        stored = {c.size: c for c in log.checkpoints() if c.size in (old, new)}
    merkle.verify_consistency(old, new, old_root, new_root, proof)
    value = {"old": old, "new": new, "old_root": old_root.hex(), "new_root": new_root.hex(),
             "proof": [p.hex() for p in proof], "verified": True,
             "checkpoints": {str(s): c.full_note for s, c in stored.items()}}

    def human():
        click.echo(fields([
            (t("tlog.old"), f"{old}  {_b64(old_root)}"),
            (t("tlog.new"), f"{new}  {_b64(new_root)}"),
            (t("tlog.proof"), t("tlog.hashes", n=len(proof))),
        ]))
        for digest in proof:
            click.echo("  " + digest.hex())
        click.echo(t("tlog.consistency_ok", old=old, new=new))

    emit(env, value, human)


__all__ = ["checkpoint", "witness", "prove"]
