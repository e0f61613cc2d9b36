"""Helpers for the CLI tests: run `serah` in-process with real keys and files.

Everything is real: SQLite files under tmp_path, Ed25519 keys written by
`serah key new` (encrypted, passphrase from SERAH_PASSPHRASE), signatures
checked by the ledger. Only the process is shared (click's CliRunner), to
keep the suite fast; the system tests that start ``python -m cli.main`` in a
subprocess (and bench/bench_cli.py) cover the real entry point.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli

PASSPHRASE = "kotak-suara-2024"
TPS = "3101011001001"
VILLAGE = TPS[:10]
DISTRICT = TPS[:6]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


class Serah:
    """`serah` bound to one ledger file and one key folder."""

    def __init__(self, root: Path, lang: str = "en") -> None:
        self.root = Path(root)
        self.home = self.root / "home"
        self.db = str(self.root / "ledger.sqlite")
        self.env = {
            "SERAH_HOME": str(self.home),
            "SERAH_DB": self.db,
            "SERAH_PASSPHRASE": PASSPHRASE,
            "SERAH_LANG": lang,
            "SERAH_AS": None,
            "SERAH_KEY": None,
            "SERAH_DEBUG": None,
        }

    def __call__(self, *args, env: dict | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(cli, [str(a) for a in args], env={**self.env, **(env or {})}, input=input)
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args, **kwargs) -> Result:
        result = self(*args, **kwargs)
        assert result.code == 0, f"serah {' '.join(map(str, args))} -> {result.code}\n{result.err}{result.out}"
        return result

    def key(self, name: str) -> Path:
        return self.home / "keys" / f"{name}.key"

    def dump(self) -> str:
        """The whole database as SQL text: equal dumps mean nothing was written."""
        connection = sqlite3.connect(self.db)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()

    def write_csv(self, name: str, rows: list[dict]) -> Path:
        columns = ["item", "kind", "dest", "qty", "election", "dapil", "serial_first", "serial_last", "label"]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
        path = self.root / name
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path


def today_wib() -> str:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().isoformat()


def build_small_ledger(s: Serah) -> dict:
    """A ledger with one TPS's logistics at the KPU warehouse, sealed.

    The vote date is today (WIB) so that a KPPS may open its box now
    without an exception (SPEC 4.7).
    """
    people = {
        "kpu-ri": None,
        "kpu-3101": ("kpu", "3101", "Ketua KPU Kep. Seribu", "KPU Kab. Adm. Kepulauan Seribu"),
        "ppk": ("ppk", DISTRICT, "Ketua PPK", "PPK Kepulauan Seribu Utara"),
        "pps": ("pps", VILLAGE, "Ketua PPS", "PPS Pulau Panggang"),
        "kpps": ("kpps", TPS, "Ketua KPPS", "KPPS TPS 001 Pulau Panggang"),
        "pkd": ("witness", VILLAGE, "Pengawas", "Panwaslu Kelurahan Pulau Panggang"),
        "polair": ("escort", "3101", "Bripka", "Ditpolairud Polda Metro Jaya"),
        "pps-other": ("pps", "3101011002", "Ketua PPS", "PPS Pulau Kelapa"),
    }
    for name in people:
        s.ok("key", "new", name)
    s.ok("init", "--root", s.key("kpu-ri"), "--name", "serah.test/3101", "--election", "Pemilu 2024",
         "--vote-date", today_wib())
    for name, spec in people.items():
        if spec is None:
            continue
        role, region, person, org = spec
        author = "kpu-ri" if name == "kpu-3101" else "kpu-3101"
        s.ok("enroll", name, "--role", role, "--region", region, "--name", person, "--org", org, "--as", author)
    rows = [
        {"item": f"KS-{TPS}-PPWP", "kind": "box", "dest": TPS, "election": "PPWP"},
        {"item": f"KS-{TPS}-PPWP-SS", "kind": "ballots", "dest": TPS, "qty": "266", "election": "PPWP",
         "dapil": "INDONESIA", "serial_first": "PPWP-0000001", "serial_last": "PPWP-0000266"},
        {"item": f"KS-{TPS}-PPWP-F", "kind": "form", "dest": TPS, "qty": "1", "label": "C.Hasil-PPWP"},
        {"item": f"KS-{TPS}-SPARE", "kind": "ballots", "dest": TPS, "qty": "10", "election": "PPWP",
         "dapil": "INDONESIA"},
    ]
    s.ok("item", "register", s.write_csv("items.csv", rows), "--as", "kpu-3101")
    s.ok("item", "pack", f"KS-{TPS}-PPWP", f"KS-{TPS}-PPWP-SS", f"KS-{TPS}-PPWP-F", "--as", "kpu-3101")
    s.ok("seal", f"KS-{TPS}-PPWP", "SG-0001", "SG-0002", "--as", "kpu-3101")
    return {"box": f"KS-{TPS}-PPWP", "ballots": f"KS-{TPS}-PPWP-SS", "form": f"KS-{TPS}-PPWP-F",
            "spare": f"KS-{TPS}-SPARE"}
