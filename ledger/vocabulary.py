"""The words of the ledger's format (SPEC 2.2, 4): roles, custody levels,
item kinds, elections, conditions, incident kinds, and how regions nest.

Written once here, so the record schema, the custody rules, the views and
the CLI all accept the same words.
"""

from __future__ import annotations

__all__ = [
    "CONDITIONS",
    "ELECTIONS",
    "INCIDENT_KINDS",
    "KINDS",
    "LEVELS",
    "REGION_LENGTHS",
    "ROLES",
    "covers",
]

ROLES = ("kpu", "printer", "ppk", "pps", "kpps", "escort", "witness")
#: Custody levels (SPEC 4); escorts and witnesses never hold items.
LEVELS = {"printer": 0, "kpu": 1, "ppk": 2, "pps": 3, "kpps": 4}
KINDS = ("box", "ballots", "seal", "form", "other")
ELECTIONS = ("PPWP", "DPR", "DPD", "DPRD_PROV", "DPRD_KAB")
CONDITIONS = ("ok", "damaged", "wet", "missing", "opened")
INCIDENT_KINDS = ("damage", "loss", "flood", "other")
#: Expected length of a key's region by role (SPEC 4.2); None: any.
REGION_LENGTHS = {
    "kpu": (0, 2, 4),
    "ppk": (6,),
    "pps": (10,),
    "kpps": (13,),
    "printer": None,
    "escort": None,
    "witness": None,
}


def covers(region: str, target: str) -> bool:
    """SPEC 2.2: region A covers region B when B starts with A."""
    return target.startswith(region)
