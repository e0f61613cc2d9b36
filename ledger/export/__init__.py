"""Evidence bundles (SPEC section 11): the custody trail of some items, for court.

``trail``   which records go in: selection, closure, authority (SPEC 11.4),
            over a small ``Source`` interface so the rules do not depend on
            how the ledger stores its indexes.
``bundle``  the file itself: manifest, parts, SCE bytes (SPEC 11.1-11.3).
``source``  ``Source`` implementations: over a ``Ledger`` and in memory.

The bundle is read and verified by ``verifier.bundle``, which shares no code
with this package on purpose: the defence's expert should not have to trust
the code that wrote the evidence.
"""

from ledger.export.bundle import FORMAT, VERSION, write_bundle, encode_bundle
from ledger.export.trail import Entry, Scope, Source, Trail, collect

__all__ = ["FORMAT", "VERSION", "Entry", "Scope", "Source", "Trail", "collect", "encode_bundle", "write_bundle"]
