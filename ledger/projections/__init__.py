"""Materialised views of a Serah ledger, kept in the ledger's own database.

* current custody per item (:mod:`.custody`),
* inventory per place and holder, rolled up the region tree (:mod:`.inventory`),
* TPS readiness at a deadline (:mod:`.readiness`),
* the discrepancy register (:mod:`.discrepancies`),
* ballot accounting per TPS and dapil (:mod:`.accounting`),

fed from the records in the notification log by :class:`Views`
(:mod:`.runner`), exactly once, in batches, and rebuildable from nothing.
Views are derived data: the records are the evidence.
"""

from ledger.projections.runner import SCHEMA_VERSION, Views, rebuild

__all__ = ["Views", "rebuild", "SCHEMA_VERSION"]
