"""Transparency log: stored RFC 6962 Merkle tree, C2SP checkpoints and witness cosigning.

``tree``    incremental Merkle tree, the in-memory node store, proofs (pure).
``sql``     the log's tables and the SQL node stores.
``note``    C2SP signed notes and tlog checkpoints (Ed25519).
``witness`` C2SP tlog-cosignature (cosignature/v1) and a stateful witness.
"""

from ledger.tlog.sql import SqlNodeStore
from ledger.tlog.tree import (
    EMPTY_ROOT,
    MemoryNodeStore,
    MerkleTree,
    ProofError,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "EMPTY_ROOT",
    "MemoryNodeStore",
    "MerkleTree",
    "ProofError",
    "SqlNodeStore",
    "leaf_hash",
    "node_hash",
    "verify_consistency",
    "verify_inclusion",
]
