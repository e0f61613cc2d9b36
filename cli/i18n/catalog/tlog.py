"""``serah checkpoint``, ``serah witness``, ``serah prove``: the transparency log (SPEC 10)."""

MESSAGES = {
    # --- serah checkpoint -------------------------------------------------------------
    "cmd.checkpoint.short": {"id": "Tanda tangani checkpoint log transparansi.",
                             "en": "Sign a transparency-log checkpoint."},
    "cmd.checkpoint": {
        "id": (
            "Tanda tangani checkpoint: ukuran pohon Merkle semua rekaman dan hash akarnya,\n"
            "dengan kunci log (KPU). Checkpoint disimpan di buku besar dan diberikan ke saksi\n"
            "(Bawaslu) untuk ditandatangani bersama. Tanpa rekaman baru, checkpoint terakhir\n"
            "ditampilkan lagi. Nama log adalah nama buku besar (genesis).\n"
            "\n"
            "Contoh:\n"
            "  serah checkpoint --key kpu-log.key -o cp-1200.note\n"
            "  serah checkpoint --show\n"
            "  serah checkpoint --list --json\n"
            "  serah checkpoint --verifier-key --key kpu-log.key"
        ),
        "en": (
            "Sign a checkpoint: the size of the Merkle tree of all records and its root\n"
            "hash, with the log key (KPU). The checkpoint is kept in the ledger and given\n"
            "to witnesses (Bawaslu) to cosign. With no new records, the latest checkpoint is\n"
            "shown again. The log's name is the ledger's (genesis) name.\n"
            "\n"
            "Examples:\n"
            "  serah checkpoint --key kpu-log.key -o cp-1200.note\n"
            "  serah checkpoint --show\n"
            "  serah checkpoint --list --json\n"
            "  serah checkpoint --verifier-key --key kpu-log.key"
        ),
    },
    "opt.cp_show": {"id": "tampilkan checkpoint terakhir (dengan tanda tangan saksi), tanpa menandatangani",
                    "en": "show the latest checkpoint (with cosignatures) instead of signing"},
    "opt.cp_list": {"id": "daftar semua checkpoint", "en": "list every checkpoint"},
    "opt.cp_size": {"id": "tampilkan checkpoint dengan ukuran N", "en": "show the checkpoint of size N"},
    "opt.cp_out": {"id": "tulis catatan checkpoint ke BERKAS (untuk saksi)",
                   "en": "write the checkpoint note to FILE (for witnesses)"},
    "opt.cp_verifier_key": {"id": "cetak kunci verifikasi log (nama+hash+kunci) dari kunci privat --key/--as (frasa sandi ditanyakan)",
                            "en": "print the log's verifier key (name+hash+key), derived from the private key --key/--as (passphrase asked)"},
    "opt.cp_new_key": {"id": "izinkan kunci log yang berbeda dari checkpoint sebelumnya (rotasi kunci)",
                       "en": "allow a log key other than the previous checkpoint's (key rotation)"},
    # --- serah witness -----------------------------------------------------------------
    "cmd.witness.short": {"id": "Saksi: tanda tangani bersama checkpoint, simpan tanda tangannya.",
                          "en": "Witnesses: cosign checkpoints, store cosignatures."},
    "cmd.witness": {
        "id": (
            "Saksi (Bawaslu) menandatangani bersama checkpoint hanya jika checkpoint itu\n"
            "memperpanjang checkpoint yang terakhir ia tandatangani (bukti konsistensi dari\n"
            "buku besar). Penolakan (mundur atau pandangan terbelah) adalah bukti terhadap log.\n"
            "\n"
            "Contoh:\n"
            "  serah witness key --key w1.key --note-name bawaslu.go.id/3101/w1\n"
            "  serah --db serah.sqlite witness cosign cp.note --state w1.json --key w1.key \\\n"
            "      --note-name bawaslu.go.id/3101/w1 --log kpu-log.vkey -o cp.cosigned\n"
            "  serah witness add-cosignature cp.cosigned --witness-vkey w1.vkey"
        ),
        "en": (
            "A witness (Bawaslu) cosigns a checkpoint only if it extends the one it\n"
            "cosigned last (a consistency proof from the ledger). A refusal (rollback or\n"
            "split view) is evidence against the log.\n"
            "\n"
            "Examples:\n"
            "  serah witness key --key w1.key --note-name bawaslu.go.id/3101/w1\n"
            "  serah --db serah.sqlite witness cosign cp.note --state w1.json --key w1.key \\\n"
            "      --note-name bawaslu.go.id/3101/w1 --log kpu-log.vkey -o cp.cosigned\n"
            "  serah witness add-cosignature cp.cosigned --witness-vkey w1.vkey"
        ),
    },
    "cmd.witness.cosign.short": {"id": "Periksa dan tandatangani bersama sebuah checkpoint.",
                                 "en": "Check and cosign a checkpoint."},
    "cmd.witness.cosign": {
        "id": (
            "Periksa BERKAS_CHECKPOINT (tanda tangan log, asal) dan bukti konsistensi dari\n"
            "ukuran terakhir yang Anda tandatangani (berkas --state) ke ukuran baru, yang\n"
            "diambil dari buku besar --db. Jika sah, status disimpan dulu (fsync), lalu\n"
            "tanda tangan cosignature/v1 ditambahkan ke catatan. Menolak dengan keras (status\n"
            "keluar 4) bila checkpoint mundur, berbeda untuk ukuran yang sama, tidak konsisten,\n"
            "atau lebih besar dari buku besar; catatan dan bukti yang ditolak disimpan di\n"
            "STATE.refused/.\n"
            "\n"
            "Contoh:\n"
            "  serah --db serah.sqlite witness cosign cp.note --state w1.json --key w1.key \\\n"
            "      --note-name bawaslu.go.id/3101/w1 --log kpu-log.vkey -o cp.cosigned"
        ),
        "en": (
            "Check CHECKPOINT_FILE (log signature, origin) and a consistency proof from the\n"
            "size you cosigned last (the --state file) to the new size, fetched from the\n"
            "--db ledger. If it holds, the state is saved first (fsync), then a\n"
            "cosignature/v1 line is added to the note. Refuses loudly (exit status 4) when\n"
            "the checkpoint goes back, differs for the same size, is not consistent, or is\n"
            "larger than the ledger; the refused note and proof are kept in STATE.refused/.\n"
            "\n"
            "Example:\n"
            "  serah --db serah.sqlite witness cosign cp.note --state w1.json --key w1.key \\\n"
            "      --note-name bawaslu.go.id/3101/w1 --log kpu-log.vkey -o cp.cosigned"
        ),
    },
    "cmd.witness.add-cosignature.short": {"id": "Simpan tanda tangan saksi pada checkpoint di buku besar.",
                                          "en": "Store a witness's cosignature with its checkpoint."},
    "cmd.witness.add-cosignature": {
        "id": (
            "Simpan tanda tangan saksi dari BERKAS (catatan checkpoint yang sudah ditandatangani\n"
            "bersama) pada checkpoint yang sama di buku besar, setelah diperiksa dengan kunci\n"
            "verifikasi saksi (--witness; tanpa itu: saksi yang sudah dikenal buku besar).\n"
            "\n"
            "Contoh:\n"
            "  serah witness add-cosignature cp.cosigned --witness-vkey w1.vkey"
        ),
        "en": (
            "Store the witness cosignatures carried by FILE (a cosigned checkpoint note)\n"
            "with the same checkpoint in the ledger, after checking them with the witness's\n"
            "verifier key (--witness; without it: witnesses the ledger already knows).\n"
            "\n"
            "Example:\n"
            "  serah witness add-cosignature cp.cosigned --witness-vkey w1.vkey"
        ),
    },
    "cmd.witness.key.short": {"id": "Cetak kunci verifikasi saksi (cosignature/v1).",
                              "en": "Print a witness's verifier key (cosignature/v1)."},
    "cmd.witness.key": {
        "id": (
            "Cetak kunci verifikasi saksi NAMA+hash+kunci (jenis 0x04) dari kunci privat\n"
            "--key/--as (frasa sandi ditanyakan). Bagikan ke KPU dan auditor; mereka menyematkannya.\n"
            "\n"
            "Contoh:\n"
            "  serah witness key --key w1.key --note-name bawaslu.go.id/3101/w1 > w1.vkey"
        ),
        "en": (
            "Print the witness verifier key NAME+hash+key (type 0x04) of the private key\n"
            "--key/--as (passphrase asked). Give it to KPU and auditors; they pin it.\n"
            "\n"
            "Example:\n"
            "  serah witness key --key w1.key --note-name bawaslu.go.id/3101/w1 > w1.vkey"
        ),
    },
    "opt.witness_state": {"id": "berkas status saksi (JSON; dibuat bila belum ada; jangan pernah dipulihkan dari salinan lama)",
                          "en": "the witness state file (JSON; created if missing; never restore an older copy)"},
    "opt.witness_name": {"id": "nama kunci saksi (tanpa spasi dan '+'), mis. bawaslu.go.id/3101/w1",
                         "en": "the witness key name (no spaces or '+'), e.g. bawaslu.go.id/3101/w1"},
    "opt.witness_log": {"id": "kunci verifikasi log (teks atau berkas), dari KPU melalui jalur lain",
                        "en": "the log's verifier key (text or file), obtained from KPU out of band"},
    "opt.witness_first_time": {
        "id": "saksi ini belum pernah menandatangani log ini: mulai dari ukuran 0 (jangan dipakai setelah berkas status hilang)",
        "en": "this witness never cosigned this log: start from size 0 (never use it after losing the state file)"},
    "opt.witness_out": {"id": "tulis catatan yang sudah ditandatangani bersama ke BERKAS",
                        "en": "write the cosigned note to FILE"},
    "opt.witness_key_vkey": {"id": "kunci verifikasi saksi (teks atau berkas); boleh berulang",
                             "en": "a witness verifier key (text or file); repeatable"},
    # --- serah prove -------------------------------------------------------------------
    "cmd.prove.short": {"id": "Bukti inklusi dan konsistensi log transparansi.",
                        "en": "Transparency-log inclusion and consistency proofs."},
    "cmd.prove": {
        "id": (
            "Buat bukti Merkle (RFC 9162) dari pohon yang tersimpan, diperiksa ulang dengan\n"
            "verifikator independen sebelum ditampilkan.\n"
            "\n"
            "Contoh:\n"
            "  serah prove inclusion 5f2c...e9 --json\n"
            "  serah prove consistency 1000 1200"
        ),
        "en": (
            "Make Merkle proofs (RFC 9162) from the stored tree, checked again with the\n"
            "independent verifier before they are shown.\n"
            "\n"
            "Examples:\n"
            "  serah prove inclusion 5f2c...e9 --json\n"
            "  serah prove consistency 1000 1200"
        ),
    },
    "cmd.prove.inclusion.short": {"id": "Bukti bahwa sebuah rekaman ada di pohon.",
                                  "en": "Prove a record is in the tree."},
    "cmd.prove.inclusion": {
        "id": (
            "Bukti inklusi REKAMAN (id 64 digit heks, atau indeks daun berbasis 0) di pohon\n"
            "berukuran N; bawaan: checkpoint terbaru yang memuatnya, atau seluruh pohon.\n"
            "\n"
            "Contoh:\n"
            "  serah prove inclusion 0 --size 1200"
        ),
        "en": (
            "Inclusion proof of RECORD (a 64-hex-digit id, or a 0-based leaf index) in the\n"
            "tree of size N; default: the newest checkpoint that holds it, else the whole tree.\n"
            "\n"
            "Example:\n"
            "  serah prove inclusion 0 --size 1200"
        ),
    },
    "cmd.prove.consistency.short": {"id": "Bukti bahwa pohon LAMA adalah awalan pohon BARU.",
                                    "en": "Prove the OLD tree is a prefix of the NEW one."},
    "cmd.prove.consistency": {
        "id": (
            "Bukti konsistensi dari ukuran LAMA ke ukuran BARU: tidak ada rekaman yang\n"
            "diubah atau dihapus di antaranya.\n"
            "\n"
            "Contoh:\n"
            "  serah prove consistency 1000 1200 --json"
        ),
        "en": (
            "Consistency proof from size OLD to size NEW: no record was changed or removed\n"
            "in between.\n"
            "\n"
            "Example:\n"
            "  serah prove consistency 1000 1200 --json"
        ),
    },
    "opt.prove_size": {"id": "ukuran pohon (bawaan: checkpoint terbaru yang memuat rekaman itu)",
                       "en": "tree size (default: the newest checkpoint holding the record)"},
    # --- output --------------------------------------------------------------------------
    "tlog.catching_up": {"id": "Menyusul log transparansi: {n} daun ditambahkan...",
                         "en": "Catching up the transparency log: {n} leaves added..."},
    "tlog.origin": {"id": "Asal (nama log)", "en": "Origin (log name)"},
    "tlog.size": {"id": "Ukuran", "en": "Size"},
    "tlog.root": {"id": "Hash akar", "en": "Root hash"},
    "tlog.signed_at": {"id": "Ditandatangani", "en": "Signed"},
    "tlog.log_key": {"id": "Kunci log", "en": "Log key"},
    "tlog.cosigned_by": {"id": "Saksi", "en": "Cosigned by"},
    "tlog.nobody": {"id": "(belum ada saksi)", "en": "(no witness yet)"},
    "tlog.none": {"id": "Belum ada checkpoint.", "en": "No checkpoint yet."},
    "tlog.signed": {"id": "Checkpoint ditandatangani: ukuran {size}, akar {root}",
                    "en": "Checkpoint signed: size {size}, root {root}"},
    "tlog.unchanged": {"id": "Tidak ada rekaman baru; checkpoint terakhir: ukuran {size}, akar {root}",
                       "en": "No new records; latest checkpoint: size {size}, root {root}"},
    "tlog.written": {"id": "Ditulis: {path}", "en": "Written: {path}"},
    "tlog.cosigned": {"id": "Ditandatangani bersama: {origin} ukuran {size} (konsisten dengan ukuran {old})",
                      "en": "Cosigned: {origin} size {size} (consistent with size {old})"},
    "tlog.cosignature_known": {"id": "Tanda tangan saksi ini sudah tersimpan.",
                               "en": "This cosignature is already stored."},
    "tlog.cosignature_added": {"id": "Tanda tangan {name} disimpan pada checkpoint {size}.",
                               "en": "Cosignature of {name} stored with checkpoint {size}."},
    "tlog.record": {"id": "Rekaman", "en": "Record"},
    "tlog.index": {"id": "Indeks daun", "en": "Leaf index"},
    "tlog.leaf_hash": {"id": "Hash daun", "en": "Leaf hash"},
    "tlog.checkpoint": {"id": "Checkpoint", "en": "Checkpoint"},
    "tlog.checkpoint_of": {"id": "ya; saksi: {by}", "en": "yes; cosigned by: {by}"},
    "tlog.no_checkpoint_at": {"id": "belum ada checkpoint untuk ukuran ini",
                              "en": "no checkpoint of this size yet"},
    "tlog.proof": {"id": "Bukti", "en": "Proof"},
    "tlog.hashes": {"id": "{n} hash", "en": "{n} hashes"},
    "tlog.proof_ok": {"id": "Bukti diperiksa dengan verifikator independen: sah.",
                      "en": "Proof checked with the independent verifier: valid."},
    "tlog.old": {"id": "Lama", "en": "Old"},
    "tlog.new": {"id": "Baru", "en": "New"},
    "tlog.consistency_ok": {"id": "Pohon {old} adalah awalan pohon {new} (diperiksa dengan verifikator independen).",
                            "en": "Tree {old} is a prefix of tree {new} (checked with the independent verifier)."},
    # --- errors ---------------------------------------------------------------------------
    "error.tlog": {"id": "log transparansi menolak: {detail}", "en": "transparency log refused: {detail}"},
    "error.tlog_mismatch": {
        "id": "log transparansi ({tree} daun) tidak cocok dengan rekaman buku besar ({detail}): rekaman dihapus atau diubah?",
        "en": "the transparency log ({tree} leaves) does not match the ledger's records ({detail}): records removed or rewritten?"},
    "error.no_checkpoint": {"id": "buku besar belum punya checkpoint (serah checkpoint)",
                            "en": "the ledger has no checkpoint yet (serah checkpoint)"},
    "error.unknown_checkpoint": {"id": "buku besar tidak punya checkpoint berukuran {size}",
                                 "en": "the ledger has no checkpoint of size {size}"},
    "error.beyond_log": {"id": "ukuran {size} melebihi log, yang berisi {log} rekaman",
                         "en": "size {size} is beyond the log, which holds {log} records"},
    "error.no_such_leaf": {"id": "tidak ada rekaman pada indeks daun {index} di pohon berisi {log} rekaman",
                           "en": "there is no record at leaf index {index} in a tree of {log} records"},
    "error.bad_note": {"id": "bukan checkpoint atau tanda tangan saksi yang sah: {detail}",
                       "en": "not a valid checkpoint or cosignature: {detail}"},
    "error.bad_cosignature": {"id": "tanda tangan {witness} pada checkpoint {size} TIDAK SAH",
                              "en": "the cosignature of {witness} on checkpoint {size} does NOT verify"},
    "error.log_key_changed": {
        "id": "checkpoint sebelumnya ditandatangani {previous}, bukan {given}; pakai --new-log-key bila kunci memang diganti",
        "en": "earlier checkpoints were signed by {previous}, not {given}; use --new-log-key if the key really changed"},
    "error.bad_verifier_key": {"id": "bukan kunci verifikasi (nama+hash+kunci) atau berkasnya: {key}",
                               "en": "not a verifier key (name+hash+key) or a file holding one: {key}"},
    "error.bad_witness_name": {"id": "nama kunci saksi atau kunci log tidak sah: {name}",
                               "en": "invalid witness key name or log key: {name}"},
    "error.witness_no_state": {
        "id": "DITOLAK: {state} tidak berisi checkpoint {origin} yang pernah ditandatangani; untuk checkpoint pertama saksi ini beri --first-time (saksi yang kehilangan statusnya harus memakai kunci baru)",
        "en": "REFUSED: {state} holds no cosigned checkpoint of {origin}; for this witness's first checkpoint give --first-time (a witness that lost its state must take a new key)"},
    "error.witness_rollback": {
        "id": "DITOLAK (mundur): {origin} ukuran {size} lebih kecil dari ukuran {cosigned} yang sudah ditandatangani; bukti disimpan: {kept}",
        "en": "REFUSED (rollback): {origin} size {size} is below the size {cosigned} already cosigned; evidence kept: {kept}"},
    "error.witness_split_view": {
        "id": "DITOLAK (pandangan terbelah): {origin} ukuran {size} tidak konsisten dengan ukuran {cosigned} yang sudah ditandatangani; bukti disimpan: {kept}",
        "en": "REFUSED (split view): {origin} size {size} is not consistent with the size {cosigned} already cosigned; evidence kept: {kept}"},
    "error.witness_beyond_log": {
        "id": "DITOLAK: checkpoint {origin} ukuran {size}, tetapi buku besar hanya berisi {log} rekaman (dipotong?); bukti disimpan: {kept}",
        "en": "REFUSED: checkpoint {origin} of size {size}, but the ledger holds only {log} records (truncated?); evidence kept: {kept}"},
    "error.witness_bad_checkpoint": {
        "id": "DITOLAK: checkpoint tidak sah atau tanda tangan log salah ({detail}); bukti disimpan: {kept}",
        "en": "REFUSED: invalid checkpoint or log signature ({detail}); evidence kept: {kept}"},
    "error.witness_unknown_log": {"id": "checkpoint untuk log {origin}, tetapi kunci log yang diberikan untuk {log}",
                                  "en": "the checkpoint is for log {origin}, but the log key given is for {log}"},
    "error.bad_record_ref": {"id": "bukan id rekaman (64 digit heks) atau indeks daun: {ref}",
                             "en": "not a record id (64 hex digits) or a leaf index: {ref}"},
    "error.sizes_order": {"id": "ukuran lama {old} lebih besar dari ukuran baru {new}",
                          "en": "old size {old} is larger than new size {new}"},
}
