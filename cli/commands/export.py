"""``serah export``: evidence bundles (SPEC 11) and reports on them.

The bundle is written, then read back from disk and verified by the
independent verifier before anything is reported: what the prosecutor
carries away is exactly what was checked. Reports (HTML, PDF, CSV) render
that verification, never the ledger's own view.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path

import click

from cli import errors, outfile
from cli.base import Command, option
from cli.context import get_env
from cli.errors import CliError
from cli.i18n import t
from cli.options import key_options
from cli.output import progress_enabled

EXIT_NOTHING = errors.REFUSED
MAX_BUNDLE_BYTES = 256 * 2**20  # SPEC 11.1: a bundle file's limit, which attached files count against


def parse_time(value: str | None, option_name: str, utc_offset: int) -> int | None:
    """``2024-02-13`` or ``2024-02-13T14:00`` (local time) -> ms since the epoch."""
    if value is None:
        return None
    zone = _dt.timezone(_dt.timedelta(minutes=utc_offset))
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
        try:
            return int(_dt.datetime.strptime(value, fmt).replace(tzinfo=zone).timestamp() * 1000)
        except ValueError:
            continue
    raise CliError("error.export_bad_time", errors.USAGE, option=option_name, value=value)


@click.command("export", cls=Command, help="cmd.export", epilog="cmd.export.epilog")
@option("--item", "items", multiple=True, metavar="ITEM", help="opt.export.item")
@option("--tps", multiple=True, metavar="CODE", help="opt.export.tps")
@option("--place", "places", multiple=True, metavar="CODE", help="opt.export.place")
@option("--since", metavar="TIME", help="opt.export.since")
@option("--until", metavar="TIME", help="opt.export.until")
@option("-o", "--output", metavar="FILE", help="opt.export.output")
@option("--from", "source", metavar="FILE", type=click.Path(dir_okay=False), help="opt.export.from")
@option("--html", metavar="FILE", help="opt.export.html")
@option("--pdf", metavar="FILE", help="opt.export.pdf")
@option("--csv", "csv_path", metavar="FILE", help="opt.export.csv")
@option("--case", metavar="TEXT", help="opt.export.case")
@option("--exported-by", metavar="NAME", help="opt.export.exported_by")
@option("--attachments", "attachments", metavar="DIR", help="opt.export.attachments")
@option("--force", is_flag=True, help="opt.force_output")
@option("--server", "server", metavar="URL", help="opt.export.server")
@option("--json", "as_json", is_flag=True, help="opt.json")
@key_options
def export(items, tps, places, since, until, output, source, html, pdf, csv_path, case, exported_by, attachments,
           force, server, as_json):
    env = get_env()
    as_json = as_json or env.json
    folder = Path(attachments) if attachments else None
    if folder is not None and (source or not output):
        raise CliError("error.attach_needs_output", errors.USAGE)  # the files go into a bundle being written
    if folder is not None and not folder.is_dir():
        raise CliError("error.attach_folder", errors.USAGE, path=str(folder))
    server = server or env.server
    case, exported_by = _typed(case, "--case"), _typed(exported_by, "--exported-by")
    # Every output path is checked before anything is written (cli.outfile).
    for target in (output if not source else None, html, pdf, csv_path):
        if target:
            outfile.check_target(target, force=force, ledger=env.db)
    exporter: bytes | None = None
    if source:
        path = Path(source)
    elif output and server:
        path = _write_served(env, server, items, tps, places, since, until, Path(output), as_json, force, folder)
    elif output:
        path, exporter = _write(env, items, tps, places, since, until, Path(output), as_json, force, folder)
    else:
        raise CliError("error.export_need_output", errors.USAGE)
    if exporter is None and exported_by is None and (env.key or env.as_name):
        exporter = _public_of(env)
    attribution = {"case": case, "exported_by": exported_by, "exporter": exporter}
    return _verify_and_report(path, html, pdf, csv_path, as_json, written=not source, force=force, ledger=env.db,
                              attribution=attribution)


def _typed(value: str | None, option_name: str) -> str | None:
    """A value a person typed for the report (--case, --exported-by): bounded, no control characters."""
    from cli.report.attribution import BadText, clean

    try:
        return clean(value)
    except BadText as bad:
        raise CliError("error.report_bad_text", errors.USAGE, option=option_name,
                       why=t(bad.why, **bad.params)) from None


def _public_of(env) -> bytes | None:
    """The public key of the ``--as``/``--key`` key, read from its ``.pub`` file: naming the exporter
    needs no passphrase. None when there is no such file (the report then names nobody)."""
    from ledger.keys import BadKeyFile, public_path, read_public

    try:
        return read_public(public_path(env.key_path()))
    except (BadKeyFile, OSError):
        return None


def _attribution(result, given: dict | None):
    """Who exported it (typed, or the enrolled name of the exporter's key in the bundle), now, which case."""
    from cli.report.attribution import Attribution
    from ledger.records import now_ms

    given = given or {}
    name = given.get("exported_by")
    if name is None and given.get("exporter") is not None and result.bundle is not None:
        entry = next((k for k in result.bundle.keys if k["key"] == given["exporter"]), None)
        if entry is not None:
            name = f"{entry['name']} ({entry['org']})" if entry.get("org") else entry["name"]
    return Attribution(given.get("case"), name, now_ms())


def _write(env, items, tps, places, since, until, output: Path, as_json, force: bool,
           folder: Path | None = None) -> tuple[Path, bytes | None]:
    from cli.commands.common import item_ids, region
    from ledger.export import Scope
    from ledger.export.bundle import fingerprint as bundle_fingerprint
    from ledger.export.ledger_source import NoCheckpoint, NotCheckpointed, checkpointed_trail
    from ledger.tlog.log import TransparencyLog

    # With --as (or --key), the exporter signs what it claims: scope, subject, parts (SPEC 11.1, B11).
    signer = env.signer() if (env.key or env.as_name) else None
    ledger = env.ledger()
    genesis = ledger.genesis_body
    if genesis is None:
        raise CliError("error.export_nothing", EXIT_NOTHING)
    offset = genesis.get("utc_offset", 420)
    chosen_places = [region(code, "--tps") for code in tps] + [region(code, "--place") for code in places]
    scope = Scope(items=tuple(item_ids(items)) if items else (), places=tuple(chosen_places),
                  since=parse_time(since, "--since", offset), until=parse_time(until, "--until", offset))
    log = TransparencyLog(ledger)
    log.catch_up(_progress("tlog.catching_up", as_json, key_param="n"))  # a ledger older than its log
    try:
        trail, proofs = checkpointed_trail(ledger, scope, log=log, progress=_progress("export.collecting", as_json))
    except NoCheckpoint:
        raise CliError("error.export_no_checkpoint", errors.USAGE) from None
    except NotCheckpointed as error:
        raise CliError("error.export_not_checkpointed", errors.USAGE, size=error.params["size"],
                       count=error.params["count"]) from None
    data = _bundle_bytes(trail, proofs, signer, folder, as_json)
    outfile.write(output, data, force=force, ledger=env.db)
    fingerprint = bundle_fingerprint(data)
    if not as_json:
        click.echo(t("export.written", path=str(output), records=len(trail.entries), items=len(trail.subject),
                     size=proofs.size))
        click.echo(t("export.fingerprint", fingerprint=fingerprint))
    return output, signer.public if signer is not None else None


def _bundle_bytes(trail, proofs, signer, folder: Path | None, as_json) -> bytes:
    """The bundle of a collected trail, for both sources (this ledger, a served log): the trail
    must name its subject, the exporter must be an active kpu key the bundle carries (B11),
    attached files must fit the bundle limit."""
    from ledger.export import encode_bundle
    from ledger.records import now_ms

    if trail.missing:
        raise CliError("error.export_unknown_item", EXIT_NOTHING, item=trail.missing[0])
    if not trail.subject:
        raise CliError("error.export_nothing", EXIT_NOTHING)
    if signer is not None:
        from ledger.export.bundle import keys_part

        entry = next((k for k in keys_part(trail.entries) if k["key"] == signer.public), None)
        if entry is None or entry["role"] != "kpu" or "revoke" in entry:
            # B11: only an active kpu key whose enrolment the bundle carries can vouch for it.
            raise CliError("error.export_signer", errors.REFUSED, key=fingerprint_of(signer.public))
    files = _attached_files(trail, folder, as_json) if folder is not None else None
    data = encode_bundle(trail, proofs, created=now_ms(), software=_software(), signer=signer, files=files)
    if files and len(data) > MAX_BUNDLE_BYTES:
        raise CliError("error.attach_bundle_full", errors.USAGE, limit=MAX_BUNDLE_BYTES)
    return data


def _write_served(env, server: str, items, tps, places, since, until, output: Path, as_json, force: bool,
                  folder: Path | None = None) -> Path:
    """The bundle built from a served log (ledger.export.served_source): tiles and entries checked
    against the checkpoint the witnesses cosigned, no database here."""
    from cli.commands.common import item_ids, region
    from ledger.export import Scope
    from ledger.export.bundle import fingerprint as bundle_fingerprint
    from ledger.export.served_source import ServedUnusable, served_trail, served_utc_offset

    if not server.startswith(("http://", "https://")):
        raise CliError("error.export_server_url", errors.USAGE, url=server)
    signer = env.signer() if (env.key or env.as_name) else None
    chosen_places = [region(code, "--tps") for code in tps] + [region(code, "--place") for code in places]
    try:
        offset = served_utc_offset(server) if (since or until) else 420  # local times are the ledger's
        scope = Scope(items=tuple(item_ids(items)) if items else (), places=tuple(chosen_places),
                      since=parse_time(since, "--since", offset), until=parse_time(until, "--until", offset))
        trail, proofs, log = served_trail(server, scope, progress=_progress("export.reading_log", as_json),
                                          collecting=_progress("export.collecting", as_json))
        data = _bundle_bytes(trail, proofs, signer, folder, as_json)
    except ServedUnusable as error:
        raise CliError("error.export_served", errors.REFUSED, url=error.params["url"],
                       detail=error.params["detail"]) from None
    outfile.write(output, data, force=force, ledger=None)
    if not as_json:
        if _progress("export.reading_log", as_json) is not None:
            click.echo("", err=True)
        click.echo(t("export.written_served", path=str(output), records=len(trail.entries), items=len(trail.subject),
                     size=proofs.size, url=server, kib=log.bytes_fetched // 1024, requests=log.requests))
        click.echo(t("export.fingerprint", fingerprint=bundle_fingerprint(data)))
    return output


def _attached_files(trail, folder: Path, quiet: bool) -> dict[bytes, bytes]:
    """SPEC 11.8: the files the trail's records attach that ``folder`` holds, found by their name or by
    their SHA-256 in hex, and put in only when their size and hash are the signed ones. Each one not
    found is said (the verifier reports it as not checked, B13); their total is bounded by the bundle's
    limit before more is read."""
    from ledger.export.bundle import attached

    files: dict[bytes, bytes] = {}
    total = 0
    for digest, entry in sorted(attached(trail).items()):
        data = None
        for candidate in (folder / entry["name"], folder / digest.hex()):
            try:
                if not candidate.is_file() or candidate.stat().st_size != entry["size"]:
                    continue
                if total + entry["size"] > MAX_BUNDLE_BYTES:
                    raise CliError("error.attach_bundle_full", errors.USAGE, limit=MAX_BUNDLE_BYTES)
                with open(candidate, "rb") as handle:
                    data = handle.read(entry["size"] + 1)
            except OSError:
                continue
            if hashlib.sha256(data).digest() == digest and len(data) == entry["size"]:
                break
            data = None
        if data is None:
            if not quiet:
                click.echo(t("export.attachment_absent", name=entry["name"], sha256=digest.hex()), err=True)
            continue
        total += len(data)
        files[digest] = data
    if not quiet and files:
        click.echo(t("export.attachments_in", n=len(files)))
    return files


def fingerprint_of(key: bytes) -> str:
    from ledger.keys import fingerprint

    return fingerprint(key)


def _software() -> str:
    try:
        from importlib.metadata import version

        return f"serah {version('serah')}"
    except Exception:  # noqa: BLE001 - running from a source tree
        return "serah"


def _progress(key: str, quiet: bool, key_param: str = "count"):
    if quiet or not progress_enabled():
        return None
    return lambda count: click.echo("\r" + t(key, **{key_param: count}), nl=False, err=True)


def verify_bundle(path, as_json: bool, trust=None) -> int:
    """``serah verify BUNDLE``: the checks of SPEC 11.5 against the pins (B10), what they prove and what
    they cannot, and the fingerprint of every key named, to compare with the published ones."""
    return _verify_and_report(Path(path), None, None, None, as_json, written=False, claims=True, trust=trust)


def _verify_and_report(path: Path, html, pdf, csv_path, as_json, written: bool, claims: bool = False,
                       force: bool = False, ledger: str | None = None, trust=None, attribution: dict | None = None) -> int:
    from verifier.bundle import Pins, verify_file

    try:
        result = verify_file(path, Pins.from_trust(trust) if trust is not None else None)
    except OSError as exc:
        raise CliError("error.export_unusable", errors.USAGE, check="B1", detail=exc.strerror or str(exc)) from None
    if result.unusable:
        f = result.findings[0]
        raise CliError("error.export_unusable", errors.USAGE, check=f.check, detail=f.message)
    reports = []
    if html or pdf or csv_path:
        from cli.report import render

        reports = [str(p) for p in render(result, html=html, pdf=pdf, csv=csv_path, force=force, ledger=ledger,
                                          attribution=_attribution(result, attribution))]
    if as_json:
        click.echo(json.dumps({"bundle": str(path), **result.as_dict(), "reports": reports},
                              ensure_ascii=False, indent=2))
        return result.exit_code
    from cli.report import text as T

    if not written:
        click.echo(t("export.fingerprint", fingerprint=result.fingerprint))
    click.echo(t("export.verify_result", text=_verdict(result)))
    click.echo(t("export.compare_keys") + ":")
    for line in T.key_lines(result):
        click.echo("  " + line)
    for f in result.findings:
        if f.severity != "notice":
            click.echo(f"  {f.check} {t('report.severity.' + f.severity)}: {f.item + ': ' if f.item else ''}"
                       f"{T.finding_text(f, (result.bundle.genesis or {}).get('utc_offset', 420) if result.bundle else 420)}")
    if claims:
        click.echo(t("report.proves") + ":")
        for s in result.proves:
            click.echo("  - " + T.statement_text(s))
        click.echo(t("report.limits") + ":")
        for s in result.limits:
            click.echo("  - " + T.statement_text(s))
    for p in reports:
        click.echo(t("export.report_written", path=p))
    return result.exit_code


def _verdict(result) -> str:
    if result.exit_code == 0 and not result.anchored:
        return t("report.verified_unanchored", notices=result.count("notice"))
    if result.exit_code == 0:
        return t("report.verified_ok", notices=result.count("notice"))
    return t("report.verified_findings", errors=result.count("error"), warnings=result.count("warning"),
             notices=result.count("notice"))
