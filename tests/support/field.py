"""Helpers for tests that walk a small ledger by hand through ``serah``:
sign and cosign a checkpoint with the commands, export a bundle, read its
reports (CSV rows, HTML text, PDF text through pdftotext)."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
from pathlib import Path

from support.cli import Serah

WITNESS = "bawaslu.go.id/w1"


def checkpoint(s: Serah) -> None:
    """``serah checkpoint``, a witness cosigns, the operator stores the cosignature."""
    for name in ("log", "w1"):
        if not s.key(name).exists():
            s.ok("key", "new", name)
    note, cosigned = s.root / "cp.note", s.root / "cp.cosigned"
    for f in (note, cosigned):
        f.unlink(missing_ok=True)
    s.ok("checkpoint", "--key", s.key("log"), "-o", note)
    vkey = s.ok("checkpoint", "--verifier-key", "--key", s.key("log")).out.strip()
    state = s.root / "w1.json"
    first = [] if state.exists() else ["--first-time"]
    s.ok("witness", "cosign", note, "--state", state, "--key", s.key("w1"), "--note-name", WITNESS,
         "--log", vkey, "-o", cosigned, *first)
    wkey = s.ok("witness", "key", "--key", s.key("w1"), "--note-name", WITNESS).out.strip()
    s.ok("witness", "add-cosignature", cosigned, "--witness-vkey", wkey)


def export(s: Serah, *selection: str, name: str = "b", **reports: bool) -> dict[str, Path]:
    """Checkpoint, then ``serah export SELECTION -o NAME.bukti`` with the asked reports."""
    checkpoint(s)
    paths = {"bundle": s.root / f"{name}.bukti"}
    args = ["export", *selection, "-o", paths["bundle"]]
    for kind in ("html", "pdf", "csv"):
        if reports.get(kind):
            paths[kind] = s.root / f"{name}.{kind}"
            args += [f"--{kind}", paths[kind]]
    s.ok(*args)
    return paths


def csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def html_text(path: Path) -> str:
    """The HTML's visible text, tags dropped, whitespace collapsed."""
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext lays it out (raw order, one line per text line)."""
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


def hand(s: Serah, items: list[str], giver: str, receiver: str, *accept: str, site: str = "Dermaga") -> Path:
    """One online handover of ``items``, prepared and accepted through the commands."""
    file = s.root / f"{giver}-{receiver}-{len(list(s.root.glob('*.serah')))}.serah"
    s.ok("handover", "prepare", *items, "--to", receiver, "--site", site, "--purpose", "distribusi", "-o", file,
         "--as", giver)
    s.ok("handover", "accept", file, *accept, "--as", receiver)
    return file


def box_at_tps(s: Serah, items: dict) -> None:
    """The small ledger's box taken KPU -> PPK -> PPS -> KPPS and opened there before the Panwas."""
    box = items["box"]
    hand(s, [box], "kpu-3101", "ppk")
    hand(s, [box], "ppk", "pps")
    hand(s, [box], "pps", "kpps")
    s.ok("open", box, "--seals", "SG-0001,SG-0002", "--intact", "--reason", "pemungutan suara",
         "--witness-as", "pkd", "--as", "kpps")
