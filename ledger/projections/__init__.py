"""Materialised views of a Serah ledger, kept in the ledger's own database.

Views are derived data: the records are the evidence, and every table here
can be dropped and rebuilt from them (:meth:`Views.rebuild`).

=================  ========================================================
table              one row per
=================  ========================================================
proj_item          item: registered facts, holder, location, custody
                   (SPEC 5) and display state, seals, box/contents, open
                   handover, chain head, last record  (:mod:`.custody`)
proj_custodian     enrolled or root key: role, region, name, org, revoked
proj_inventory     (location, holder, kind, election, state): items, qty
                   (:mod:`.inventory`; rolled up by region-code prefix)
proj_stay          period an item sat at its own TPS, with its quantity
                   (:mod:`.readiness`; readiness at any deadline)
proj_discrepancy   (record, item, kind): declared vs observed, refusals,
                   incidents, broken seals; resolution (:mod:`.discrepancies`)
proj_ballots       ballots item: printed, short, lost, received, tally,
                   destroyed (:mod:`.accounting`)
proj_tracking      the row id of the last record applied, and how many were (the next SPEC position)
proj_meta          schema version; genesis vote date and UTC offset
=================  ========================================================

:class:`Views` (:mod:`.runner`) feeds them from the records in the
notification log (topic ``serah:record``), pulling in batches; each batch's
rows and the new position commit in one transaction, so every record is
applied exactly once, whoever runs the catch-up. Every read catches up
first.
"""

from ledger.projections.runner import SCHEMA_VERSION, Views, rebuild

__all__ = ["Views", "rebuild", "SCHEMA_VERSION"]
