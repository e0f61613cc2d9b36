"""Evidence bundles (SPEC section 11): the custody trail of some items, for court.

``trail``          which records go in: selection, closure, authority,
                   attestations (SPEC 11.4), over a small batched ``Source``
                   interface so the rules do not depend on how the ledger
                   stores its indexes.
``ledger_source``  the ``Source`` over a live ``Ledger``, proving against a
                   checkpoint its transparency log stored (SPEC 10.8), and
                   ``checkpointed_trail``, which picks that checkpoint.
``bundle``         the file itself: manifest, parts, SCE bytes (SPEC 11.1-11.3).

The bundle is read and verified by ``verifier.bundle``, which shares no code
with this package on purpose: the defence's expert should not have to trust
the code that wrote the evidence.
"""

from ledger.export.bundle import FORMAT, VERSION, encode_bundle, write_bundle
from ledger.export.trail import Entry, Scope, Source, Trail, collect

__all__ = ["FORMAT", "VERSION", "Entry", "Scope", "Source", "Trail", "collect", "encode_bundle", "write_bundle"]
