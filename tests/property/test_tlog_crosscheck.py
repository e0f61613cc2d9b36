"""Ledger tree, auditor verifier and pymerkle must agree on every root and proof."""

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import verifier.merkle as vm
from ledger.tlog import tree as lt
from support import REPO_ROOT


def leaves(n, salt=b""):
    return [salt + i.to_bytes(4, "big") for i in range(n)]


def naive_root(hashes):
    """RFC 6962 MTH written as the recursive definition, for small n."""
    if not hashes:
        return lt.EMPTY_ROOT
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return lt.node_hash(naive_root(hashes[:k]), naive_root(hashes[k:]))


def build(n, batches=1):
    tree = lt.MerkleTree(lt.MemoryNodeStore())
    data = leaves(n)
    step = max(1, -(-n // batches))
    for i in range(0, n, step):
        tree.extend(data[i:i + step])
    return tree, data


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 300), batches=st.integers(1, 7))
def test_roots_agree_for_every_prefix(n, batches):
    tree, data = build(n, batches)
    builder = vm.RootBuilder()
    hashes = [lt.leaf_hash(d) for d in data]
    assert tree.root(0) == lt.EMPTY_ROOT
    for size in range(1, n + 1):
        builder.add(data[size - 1])
        assert tree.root(size) == builder.root()
    assert tree.root() == naive_root(hashes) == vm.root_of(data)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_inclusion_proofs_agree(data):
    n = data.draw(st.integers(1, 2000))
    size = data.draw(st.integers(1, n))
    index = data.draw(st.integers(0, size - 1))
    tree, entries = build(n, batches=3)
    proof = tree.inclusion_proof(index, size)
    leaf = lt.leaf_hash(entries[index])
    root = tree.root(size)
    lt.verify_inclusion(leaf, index, size, proof, root)
    vm.verify_inclusion(leaf, index, size, proof, root)
    assert len(proof) <= max(1, (size - 1).bit_length())


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_consistency_proofs_agree(data):
    n = data.draw(st.integers(1, 2000))
    new = data.draw(st.integers(0, n))
    old = data.draw(st.integers(0, new))
    tree, _ = build(n, batches=2)
    proof = tree.consistency_proof(old, new)
    lt.verify_consistency(old, new, tree.root(old), tree.root(new), proof)
    vm.verify_consistency(old, new, tree.root(old), tree.root(new), proof)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_both_verifiers_reject_the_same_tampering(data):
    """Mutate one input of a valid proof; the two independent verifiers must agree.

    A changed size can still verify (RFC 9162 proofs bind sizes only through
    the proof's shape), so only changed proof hashes must always fail.
    """
    n = data.draw(st.integers(2, 64))
    tree, entries = build(n)
    old = data.draw(st.integers(1, n - 1))
    new = data.draw(st.integers(old + 1, n))
    proof = tree.consistency_proof(old, new)
    roots = [tree.root(old), tree.root(new)]
    what = data.draw(st.sampled_from(["old", "new", "hash", "drop", "add"]))
    if what == "old":
        old = data.draw(st.integers(0, n).filter(lambda s: s != old))
    elif what == "new":
        new = data.draw(st.integers(0, 2 * n).filter(lambda s: s != new))
    elif what == "hash":
        i = data.draw(st.integers(0, len(proof) - 1))
        proof[i] = lt.leaf_hash(proof[i])
    elif what == "drop":
        proof.pop(data.draw(st.integers(0, len(proof) - 1)))
    else:
        proof.insert(data.draw(st.integers(0, len(proof))), roots[0])
    outcomes = []
    for verify, error in ((lt.verify_consistency, lt.ProofError), (vm.verify_consistency, vm.VerificationError)):
        try:
            verify(old, new, roots[0], roots[1], proof)
            outcomes.append(True)
        except error:
            outcomes.append(False)
    assert outcomes[0] == outcomes[1]
    if what in ("hash", "drop", "add"):
        assert outcomes == [False, False]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_both_verifiers_reject_wrong_inclusion(data):
    n = data.draw(st.integers(1, 64))
    tree, entries = build(n)
    size = data.draw(st.integers(1, n))
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion_proof(index, size)
    other_index = data.draw(st.integers(0, size).filter(lambda i: i != index))
    leaf = lt.leaf_hash(entries[index])
    with pytest.raises(lt.ProofError):
        lt.verify_inclusion(leaf, other_index, size, proof, tree.root(size))
    with pytest.raises(vm.VerificationError):
        vm.verify_inclusion(leaf, other_index, size, proof, tree.root(size))


def test_proofs_read_logarithmically_many_nodes():
    class CountingStore(lt.MemoryNodeStore):
        reads = 0

        def get_nodes(self, keys):
            keys = list(keys)
            CountingStore.reads += len(keys)
            return super().get_nodes(keys)

    store = CountingStore()
    tree = lt.MerkleTree(store)
    tree.extend(leaves(100_003))
    for index in (0, 777, 65_536, 100_002):
        CountingStore.reads = 0
        tree.inclusion_proof(index)
        assert CountingStore.reads <= 2 * 17
    CountingStore.reads = 0
    tree.consistency_proof(54_321, 99_999)
    assert CountingStore.reads <= 2 * 17


# --- pymerkle, an unrelated third implementation --------------------------------


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 400), data=st.data())
def test_against_pymerkle(n, data):
    pymerkle = pytest.importorskip("pymerkle")
    ours, entries = build(n, batches=2)
    theirs = pymerkle.InmemoryTree(algorithm="sha256")
    for entry in entries:
        theirs.append_entry(entry)
    size = data.draw(st.integers(1, n))
    index = data.draw(st.integers(0, size - 1))
    assert ours.root(size) == theirs.get_root(size)
    assert ours.root(0) == theirs.get_root(0)
    # pymerkle's inclusion path is the leaf hash followed by the RFC 9162 path.
    their_proof = theirs.prove_inclusion(index + 1, size)
    assert their_proof.path[0] == lt.leaf_hash(entries[index])
    assert their_proof.path[1:] == ours.inclusion_proof(index, size)
    old = data.draw(st.integers(1, size))
    their_consistency = theirs.prove_consistency(old, size)
    pymerkle.verify_consistency(ours.root(old), ours.root(size), their_consistency)


# --- layering ------------------------------------------------------------------


def test_verifier_does_not_import_ledger_or_cli():
    for path in (REPO_ROOT / "verifier").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"ledger", "cli"}, f"{path.name} imports {name}"
