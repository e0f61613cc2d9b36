"""Published RFC 6962 test vectors, checked against both tree implementations.

Leaves, roots, node hashes and proofs are the values published in
transparency-dev/merkle (testonly/constants.go, proof/verify_test.go), which
carry over certificate-transparency's merkle_tree_test vectors.  Proof
vectors there number leaves from 1; here indexes are 0-based.
"""

import pytest

import verifier.merkle as vm
from ledger.tlog import tree as lt

LEAVES = [bytes.fromhex(h) for h in [
    "", "00", "10", "2021", "3031", "40414243",
    "5051525354555657", "606162636465666768696a6b6c6d6e6f",
]]

ROOTS = [bytes.fromhex(h) for h in [  # index = tree size
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]]

NODE_HASHES = {  # (level, index) -> hash, every perfect subtree of the 8-leaf tree
    (0, 0): "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    (0, 1): "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    (0, 2): "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    (0, 3): "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    (0, 4): "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    (0, 5): "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    (0, 6): "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    (0, 7): "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    (1, 0): "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    (1, 1): "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    (1, 2): "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    (1, 3): "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    (2, 0): "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    (2, 1): "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    (3, 0): "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

INCLUSION = [  # (leaf index, tree size, proof)
    (0, 1, []),
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]

CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def hexes(values):
    return [bytes.fromhex(v) for v in values]


@pytest.fixture(scope="module")
def tree():
    t = lt.MerkleTree(lt.MemoryNodeStore())
    t.extend(LEAVES[:3])  # two batches, to cross a frontier merge between writes
    t.extend(LEAVES[3:])
    return t


def test_empty_tree_root():
    assert lt.MerkleTree(lt.MemoryNodeStore()).root() == ROOTS[0] == lt.EMPTY_ROOT == vm.EMPTY_ROOT
    assert vm.root_of([]) == ROOTS[0]


@pytest.mark.parametrize("size", range(9))
def test_roots(tree, size):
    assert tree.root(size) == ROOTS[size]
    assert vm.root_of(LEAVES[:size]) == ROOTS[size]


def test_every_stored_node_matches_published_hash(tree):
    nodes = tree._store.get_nodes(NODE_HASHES)
    assert {key: value.hex() for key, value in nodes.items()} == NODE_HASHES


@pytest.mark.parametrize("index,size,proof", INCLUSION)
def test_inclusion_vectors(tree, index, size, proof):
    proof = hexes(proof)
    assert tree.inclusion_proof(index, size) == proof
    leaf = lt.leaf_hash(LEAVES[index])
    lt.verify_inclusion(leaf, index, size, proof, ROOTS[size])
    vm.verify_inclusion(leaf, index, size, proof, ROOTS[size])


@pytest.mark.parametrize("old,new,proof", CONSISTENCY)
def test_consistency_vectors(tree, old, new, proof):
    proof = hexes(proof)
    assert tree.consistency_proof(old, new) == proof
    lt.verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)
    vm.verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


def inclusion_corruptions(leaf, index, size, proof, root):
    """Variations of a valid inclusion proof that must all be rejected (verify-call order)."""
    yield leaf, index + 1, size, proof, root
    yield leaf, index ^ 2, size, proof, root
    if index > 0:
        yield leaf, index - 1, size, proof, root
    yield leaf, index, size * 2, proof, root
    if size // 2 > index:
        yield leaf, index, size // 2, proof, root
    yield lt.leaf_hash(b"WrongLeaf"), index, size, proof, root
    yield leaf, index, size, proof, lt.EMPTY_ROOT
    yield leaf, index, size, proof, SOME_HASH
    yield leaf, index, size, proof + [root], root
    yield leaf, index, size, [root] + proof, root
    yield leaf, index, size, proof + [b""], root
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 8
        yield leaf, index, size, proof[:i] + [bytes(flipped)] + proof[i + 1:], root
    if proof:
        yield leaf, index, size, proof[:-1], root
    if len(proof) > 1:
        yield leaf, index, size, [proof[0], SOME_HASH] + proof[1:], root


@pytest.mark.parametrize("index,size,proof", INCLUSION)
def test_corrupted_inclusion_proofs_rejected(index, size, proof):
    proof = hexes(proof)
    leaf = lt.leaf_hash(LEAVES[index])
    for args in inclusion_corruptions(leaf, index, size, proof, ROOTS[size]):
        with pytest.raises(lt.ProofError):
            lt.verify_inclusion(*args)
        with pytest.raises(vm.VerificationError):
            vm.verify_inclusion(*args)


def consistency_corruptions(old, new, proof):
    r1, r2 = ROOTS[old], ROOTS[new]
    yield old - 1, new, r1, r2, proof
    yield old + 1, new, r1, r2, proof
    yield old ^ 2, new, r1, r2, proof
    yield old, new * 2, r1, r2, proof
    yield old, new, SOME_HASH, r2, proof
    yield old, new, r1, SOME_HASH, proof
    yield old, new, r2, r1, proof
    yield old, new, r1, r2, []
    yield old, new, r1, r2, proof + [r1]
    yield old, new, r1, r2, proof + [r2]
    yield old, new, r1, r2, [r1] + proof
    yield old, new, r1, r2, [r2] + proof
    yield old, new, r1, r2, [proof[0]] + proof
    yield old, new, r1, r2, proof[:-1]
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 16
        yield old, new, r1, r2, proof[:i] + [bytes(flipped)] + proof[i + 1:]


@pytest.mark.parametrize("old,new,proof", [c for c in CONSISTENCY if c[2]])
def test_corrupted_consistency_proofs_rejected(old, new, proof):
    proof = hexes(proof)
    for size1, size2, root1, root2, bad in consistency_corruptions(old, new, proof):
        with pytest.raises(lt.ProofError):
            lt.verify_consistency(size1, size2, root1, root2, bad)
        with pytest.raises(vm.VerificationError):
            vm.verify_consistency(size1, size2, root1, root2, bad)


@pytest.mark.parametrize("old,new,r1,r2,proof,ok", [
    (0, 0, ROOTS[0], ROOTS[0], [], True),
    (0, 5, ROOTS[0], ROOTS[5], [], True),
    (3, 3, ROOTS[3], ROOTS[3], [], True),
    (3, 3, ROOTS[3], ROOTS[4], [], False),
    (3, 3, ROOTS[3], ROOTS[3], [ROOTS[0]], False),
    (0, 5, ROOTS[0], ROOTS[5], [ROOTS[0]], False),
    (4, 3, ROOTS[4], ROOTS[3], [], False),
    (1, 2, ROOTS[1], ROOTS[2], [], False),
])
def test_consistency_edge_cases(old, new, r1, r2, proof, ok):
    for verify, error in ((lt.verify_consistency, lt.ProofError), (vm.verify_consistency, vm.VerificationError)):
        if ok:
            verify(old, new, r1, r2, proof)
        else:
            with pytest.raises(error):
                verify(old, new, r1, r2, proof)


@pytest.mark.parametrize("index,size", [(0, 0), (1, 0), (2, 1), (-1, 4)])
def test_inclusion_outside_tree_rejected(index, size):
    with pytest.raises(lt.ProofError):
        lt.verify_inclusion(SOME_HASH, index, size, [], lt.EMPTY_ROOT)
    with pytest.raises(vm.VerificationError):
        vm.verify_inclusion(SOME_HASH, index, size, [], lt.EMPTY_ROOT)


def test_proof_requests_outside_tree_rejected(tree):
    with pytest.raises(ValueError):
        tree.inclusion_proof(8, 8)
    with pytest.raises(ValueError):
        tree.inclusion_proof(0, 9)
    with pytest.raises(ValueError):
        tree.consistency_proof(5, 4)
    with pytest.raises(ValueError):
        tree.root(9)
