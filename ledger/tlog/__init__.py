"""Transparency log: stored RFC 6962 Merkle tree, C2SP checkpoints and witness cosigning.

``tree``    incremental Merkle tree, node stores (memory, SQL), proofs.
``note``    C2SP signed notes and tlog checkpoints (Ed25519).
``witness`` C2SP tlog-cosignature (cosignature/v1) and a stateful witness.
"""

from ledger.tlog.tree import (
    EMPTY_ROOT,
    MemoryNodeStore,
    MerkleTree,
    ProofError,
    SqlNodeStore,
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
