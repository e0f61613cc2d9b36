"""``serah verify``: the command, and every finding code of the verifier.

English for finding codes is the verifier's own text (``verifier.messages``,
one source for ``python -m verifier`` and ``serah verify``); Indonesian is
here. tests/unit/test_i18n.py fails when the verifier adds a code without an
Indonesian sentence.
"""

try:
    from verifier.messages import ENGLISH as _ENGLISH
except ImportError:  # the verifier is optional for the CLI
    _ENGLISH = {}

INDONESIAN = {
    # V1 encoding
    "sce_truncated": "{part} tidak kanonik (SCE): berakhir di tengah nilai (bita {offset})",
    "sce_trailing": "{part} tidak kanonik (SCE): ada bita sesudah akhir nilai (bita {offset})",
    "sce_float": "{part} tidak kanonik (SCE): bilangan pecahan (float), yang dilarang SCE (bita {offset})",
    "sce_ext": "{part} tidak kanonik (SCE): nilai ext atau timestamp, yang dilarang SCE (bita {offset})",
    "sce_reserved": "{part} tidak kanonik (SCE): bita cadangan 0xc1 (bita {offset})",
    "sce_not_shortest": "{part} tidak kanonik (SCE): nilai tidak dalam bentuk terpendek (bita {offset})",
    "sce_bad_utf8": "{part} tidak kanonik (SCE): teks bukan UTF-8 yang sah (bita {offset})",
    "sce_key_not_text": "{part} tidak kanonik (SCE): kunci map bukan teks (bita {offset})",
    "sce_key_duplicate": "{part} tidak kanonik (SCE): kunci map berulang (bita {offset})",
    "sce_key_order": "{part} tidak kanonik (SCE): kunci map tidak berurutan (bita {offset})",
    "sce_too_deep": "{part} tidak kanonik (SCE): bersarang terlalu dalam (bita {offset})",
    "sce_not_canonical": "{part} tidak kanonik (SCE): pengodean ulang menghasilkan bita berbeda",
    # V2 schema
    "schema_envelope": "amplop rekaman cacat: {field} harus {expected}",
    "schema_version": "versi format {version} tidak dikenal (pemeriksa ini mengenal versi 1)",
    "schema_type": "jenis rekaman {type} tidak dikenal",
    "schema_missing": "kolom wajib {field} tidak ada",
    "schema_unknown_field": "kolom {field} tidak diizinkan untuk jenis rekaman ini",
    "schema_bad_value": "kolom {field} harus {expected}",
    "envelope_too_large": "amplop berukuran {size} bita, melebihi batas {limit} (SPEC 3.7)",
    "schema_bad_text": "kolom teks {field} berisi {char}, karakter kendali atau pengatur arah teks (SPEC 2.2)",
    "schema_lines_order": "baris tidak terurut menurut barang atau mengulang barang ({field}, {item})",
    "schema_box_lines": "baris tidak cocok dengan kotak {box} yang disebut rekaman",
    # V3 ledger binding
    "not_genesis_first": "rekaman pertama buku besar bukan rekaman genesis",
    "genesis_not_first": "ada genesis kedua; hanya rekaman pertama yang boleh genesis",
    "wrong_ledger": "rekaman milik buku besar lain ({found}, seharusnya {expected})",
    "record_file_unanchored": "berkas rekaman diperiksa tanpa buku besarnya: hanya penyandian, bentuk dan tanda tangannya (V1, V2, V4) yang diperiksa; wewenang penanda tangan dan aturan saksi diperiksa oleh buku besar yang mencatatnya",
    "handover_file_unanchored": "berkas serah terima diperiksa tanpa buku besarnya: apakah penanda tangan terdaftar dan tidak dicabut (V5) dan apakah penyerahan menyambung rantai barang (V7) tidak diperiksa; periksa buku besar yang memuat rekaman ini",
    "pin_ledger": "id buku besar {found}, bukan {pinned} yang disematkan: ini bukan buku besar yang diumumkan KPU",
    "pin_root": "kunci akar yang disematkan {key} bukan akar pada genesis buku besar ini",
    # V4 signatures
    "bad_signature": "tanda tangan ke-{index} (kunci {signer}) tidak sah",
    "author_sig_mismatch": "tanda tangan pertama dibuat oleh {signer}, bukan oleh penulis {author}",
    "cosig_order": "tanda tangan bersama tidak terurut, mengulang kunci, atau memuat penulis ({signer})",
    "genesis_root_unsigned": "kunci akar {root} tidak ikut menandatangani genesis",
    # V5 authority
    "unknown_signer": "{part} {signer} bukan kunci akar dan tidak terdaftar",
    "revoked_signer": "{part} {signer} sudah dicabut (rekaman #{revoked_at})",
    "listed_not_enrolled": "{part} yang dicantumkan, {signer}, bukan kunci terdaftar yang aktif",
    "role_not_allowed": "kunci berperan {role} tidak boleh menulis rekaman {type}",
    "out_of_region": "di luar wilayah penulis {region} (tujuan {dest})",
    "genesis_author_not_root": "penulis genesis {author} bukan salah satu kunci akarnya",
    # V6 enrolment
    "enrol_twice": "kunci {subject} sudah terdaftar",
    "enrol_weak_key": "kunci {subject} bukan titik subgrup berorde prima (identitas, orde kecil atau campuran): pemeriksa bisa berbeda pendapat tentang tanda tangannya, jadi tidak boleh didaftarkan",
    "enrol_region_shape": "wilayah {region} tidak sesuai untuk peran {role}",
    "enrol_out_of_region": "pendaftaran untuk wilayah {region} di luar wilayah penulis {author_region}",
    "enrol_delegation": "kunci kpu hanya boleh mendaftarkan kunci kpu di bawah wilayahnya ({region} di bawah {author_region})",
    "revoke_unknown": "pencabutan kunci {subject} yang tidak terdaftar",
    "revoke_root": "pencabutan kunci akar {subject}; kunci akar tidak dapat dicabut",
    "revoke_twice": "kunci {subject} sudah pernah dicabut (rekaman #{revoked_at})",
    "revoke_out_of_region": "pencabutan kunci wilayah {region} di luar wilayah penulis {author_region}",
    "root_duplicate": "kunci akar {root} disebut dua kali",
    # V7 chain
    "prev_mismatch": "rantai terputus: prev {prev} bukan rekaman terakhir barang {head}",
    "unknown_item": "barang ini tidak pernah didaftarkan",
    "registered_twice": "barang ini sudah terdaftar",
    "replay": "rekaman ini muncul untuk kedua kalinya (diputar ulang)",
    "unknown_target": "rekaman yang disaksikan {target} bukan rekaman sebelumnya",
    # V8 fork
    "fork": "percabangan: prev {prev} adalah rekaman lama barang ini, sudah digantikan oleh {head}",
    # V9 custody
    "not_holder": "penulis tidak memegang barang ini (pemegang {holder})",
    "in_transit": "barang sedang dalam perjalanan",
    "item_lost": "barang tercatat hilang",
    "item_packed": "barang dikemas dalam kotak {box}",
    "receiver_not_custodian": "penerima {receiver} bukan pemegang aktif (peran {role})",
    "unknown_handover": "serah terima {handover} bukan serah terima yang disiapkan",
    "handover_closed": "serah terima {handover} sudah diterima atau ditolak",
    "not_receiver": "hanya penerima yang disebut, {receiver}, yang boleh menjawab serah terima ini",
    "not_giver": "hanya pemberi serah terima ini, {giver}, yang boleh menariknya",
    "partial_refused_line": "baris yang ditolak pada jawaban sebagian tidak mencatat pengamatan (kondisi, jumlah, segel, catatan)",
    "partial_accepted_line": "baris yang diterima pada jawaban sebagian mencatat kondisi yang diamati",
    "void_after_use": "hanya pendaftaran yang belum diikuti rekaman lain yang boleh dibatalkan",
    "handover_items": "daftar barang berbeda dari serah terima yang disiapkan (kurang: {missing}; lebih: {extra})",
    "self_handover": "serah terima kepada diri sendiri: penerimanya adalah penulis",
    "destroy_partial": "dimusnahkan tanpa {other}: kotak dan isinya dimusnahkan bersama",
    "pack_not_box": "barang hanya dapat dikemas ke dalam kotak, bukan ke {kind}",
    "pack_content_kind": "{kind} tidak dapat dikemas ke dalam kotak",
    "record_file_shape": "berkas rekaman berisi satu rekaman yang bukan serah terima (ditemukan {first}: serah terima dibawa dalam berkas serah terima)",
    "handover_file_shape": "berkas serah terima berisi persiapan lalu penerimaan atau penolakan ({count} rekaman, pertama {first})",
    # V10 path
    "path_off": "serah terima {giver} -> {receiver} di luar jalur yang diizinkan tanpa alasan pengecualian",
    "path_exception": "serah terima {giver} -> {receiver} di luar jalur yang diizinkan; pengecualian: {exception}",
    # V11 destination
    "dest_mismatch": "tertukar: tujuan {dest} di luar wilayah penerima {region}",
    "dest_exception": "tujuan {dest} di luar wilayah penerima {region}; pengecualian: {exception}",
    # V12
    "after_destroy": "barang sudah dimusnahkan atau dibatalkan; tidak boleh ada rekaman sesudahnya",
    # V13 counts
    "qty_declared": "jumlah dinyatakan {declared} berbeda dari yang tercatat {actual}",
    "contents_declared": "isi yang dinyatakan ({declared}) berbeda dari yang dikemas ({actual})",
    "qty_observed_shape": "penerimaan harus menyebut jumlah yang diamati untuk barang yang berjumlah",
    "qty_observed": "selisih: diterima {observed}, dinyatakan {declared}",
    "condition": "diterima dalam kondisi '{condition}' {note}",
    "tally_not_ballots": "penghitungan hanya untuk surat suara, bukan {kind}",
    "tally_sum": "terpakai + sisa + rusak = {total}, padahal jumlah barang {qty}",
    "tally_changed": "surat suara dihitung ulang dengan angka lain: terpakai/sisa/rusak {before}, kini {after}",
    "qty_lost_invalid": "hilang {lost} dari barang yang berjumlah {qty}",
    # V14 seals
    "seals_declared": "segel yang dinyatakan ({declared}) berbeda dari segel yang tercatat ({actual})",
    "seals_observed_shape": "penerimaan kotak harus menyebut segel yang diamati",
    "seals_observed": "selisih segel: ditemukan {observed}, dinyatakan {declared}",
    "seal_not_box": "hanya kotak yang bersegel, bukan {kind}",
    "seal_sealed_box": "kotak sudah tersegel ({seals})",
    "seal_reused": "nomor segel {seal} sudah pernah dipakai",
    "pack_sealed_box": "kotak tersegel ({seals}); buka dulu sebelum mengemas",
    "seals_found": "segel yang ditemukan ({found}) berbeda dari segel yang tercatat ({recorded})",
    "seals_broken": "segel ditemukan tidak utuh ({seals})",
    # V15 opening
    "open_no_witness": "kotak dibuka tanpa tanda tangan saksi",
    "open_not_allowed": "kotak dibuka oleh kunci {role} di luar keadaan yang diizinkan, tanpa pengecualian",
    "open_exception": "kotak dibuka oleh kunci {role} di luar jalur yang diizinkan; pengecualian: {exception}",
    # V16 time
    "time_backwards": "waktu {time} lebih awal dari rekaman sebelumnya untuk barang ini ({previous})",
    "before_genesis": "waktu {time} lebih awal dari genesis ({genesis})",
    "time_in_future": "waktu {time} lebih dari 15 menit setelah jam pemeriksa ({now}): diberi tanggal di depan (SPEC 5.1)",
    "time_ahead": "waktu {time} lebih dari 15 menit setelah semua rekaman yang ditambahkan sesudahnya (terakhir {later}): diberi tanggal di depan (SPEC 5.1)",
    # V17
    "late_delivery": "diterima KPPS pada {time}, setelah batas H-1 {deadline}",
    # V18
    "destroy_no_witness": "pemusnahan tanpa tanda tangan saksi",
    "incident": "kejadian ({kind}): {description}",
    "refused": "serah terima ditolak: {reason}",
    "withdrawn": "serah terima ditarik oleh pemberinya: {reason}",
    "voided": "pendaftaran dibatalkan: {reason}",
    # V19
    "custody_gap": "dijawab {hours} jam setelah penyerahan {prepared}: selama itu barang dalam perjalanan tanpa tanda tangan siapa pun",
    "still_in_transit": "{items}: diserahkan {prepared}, belum diterima atau ditolak pada rekaman terakhir buku besar ({latest}), {hours} jam kemudian",
    # input (exit status 2)
    "input_missing": "{path}: berkas tidak ada",
    "input_not_file": "{path}: bukan berkas",
    "input_unreadable": "{path}: tidak dapat dibaca ({reason})",
    "input_empty": "{path}: berkas kosong",
    "input_unknown_format": "{path}: bukan buku besar, aliran, atau berkas serah terima Serah",
    "input_corrupt": "{path}: basis data buku besar rusak ({reason})",
    "input_no_table": "{path}: bukan buku besar Serah (tidak ada tabel {table})",
    "input_no_records": "{path}: buku besar tidak berisi rekaman",
    "input_database": "{path}: basis data tidak dapat dibaca ({reason})",
    "input_bad_record_file": "{path}: bukan berkas rekaman yang sah ({reason})",
    "input_bad_handover_file": "{path}: bukan berkas serah terima yang sah ({reason})",
    "tlog_bad_key": "kunci log atau saksi yang disematkan bukan kunci verifikasi ({detail})",
    # T1-T6 log transparansi (SPEC 10.6)
    "tlog_checkpoint_malformed": "checkpoint dari {source}: bukan catatan checkpoint ({detail})",
    "tlog_checkpoint_row": "checkpoint {size}: ukuran atau akar yang tersimpan di sampingnya ({stored}) berbeda dari catatannya",
    "tlog_no_log_key": "checkpoint {size} dari {source}: tidak ada kunci log untuk memeriksanya",
    "tlog_checkpoint_signature": "checkpoint {size} dari {source}: tidak ditandatangani sah oleh kunci log ({detail})",
    "tlog_checkpoint_origin": "checkpoint {size} dari {source} untuk log {origin}, bukan untuk buku besar ini ({name})",
    "tlog_log_key_unpinned": "tidak ada kunci log yang disematkan: checkpoint diperiksa dengan kunci yang tersimpan di buku besar ({keys})",
    "tlog_log_key_changed": "kunci log berganti pada checkpoint {size} ({previous} sebelumnya, {key} sejak itu) dan riwayat kunci tidak disematkan: kunci baru pemalsu akan tampak sama",
    "tlog_note_key_unknown": "checkpoint {size} dari {source} ditandatangani kunci log yang tidak tersimpan di buku besar: sematkan kunci log yang diumumkan KPU",
    "tlog_retired_key": "checkpoint {size} dari {source} ditandatangani {key}, kunci log yang sudah pensiun sebelum checkpoint yang lebih kecil",
    "tlog_no_checkpoint": "tidak ada checkpoint sama sekali: tidak ada yang menunjukkan bahwa inilah rekaman yang ditandatangani log dan dilihat saksi (penulisan ulang yang checkpoint-nya dihapus tampak begini)",
    "tlog_cosignature_invalid": "checkpoint {size}: tanda tangan saksi {witness} tidak sah",
    "tlog_quorum": "checkpoint {size}: {have} tanda tangan saksi tepercaya, dibutuhkan {quorum}",
    "tlog_not_witnessed": "tidak ada checkpoint yang cocok dengan rekaman dan ditandatangani saksi tepercaya",
    "tlog_witness_keys_unpinned": "tidak ada kunci saksi yang disematkan: tanda tangan saksi diperiksa dengan kunci yang tersimpan di buku besar",
    "tlog_unwitnessed_records": "{records} rekaman sesudah checkpoint bersaksi terakhir (ukuran {size}) belum disaksikan",
    "tlog_records_missing": "checkpoint {size} dari {source} mencakup {size} rekaman, buku besar hanya berisi {records}: rekaman dihapus",
    "tlog_root_mismatch": "checkpoint {size} dari {source}: {size} rekaman pertama tidak mempunyai hash akarnya: rekaman diubah",
    "tlog_split_view": "dua checkpoint berukuran {size} dengan akar berbeda ({other}, {source}): pandangan terbelah",
    "tlog_inconsistent": "checkpoint {old} dan {new} saling bertentangan ({other}, {source})",
    "tlog_inclusion": "rekaman {index}: bukti inklusi tidak menuju akar ukuran {size} ({detail})",
    # S1-S2 penyimpanan (SPEC 9.6)
    "storage_rowid_gap": "baris stored_events hilang: rowid {after} diikuti {next} (baris dihapus; SPEC 9.4)",
    "storage_rowid_start": "baris pertama stored_events ber-rowid {first}, bukan 1 (baris dihapus; SPEC 9.4)",
    "storage_topic_class": "baris {rowid}: topik rekaman disimpan sebagai {storage}, bukan teks: bukan rekaman, dan tidak ditulis Serah",
    "storage_state_class": "state rekaman disimpan sebagai {storage}, bukan blob (SPEC 9.1)",
}

MESSAGES = {
    "cmd.verify.short": {
        "id": "Periksa seluruh buku besar secara mandiri (SPEC 8).",
        "en": "Check a whole ledger independently (SPEC 8).",
    },
    "cmd.verify": {
        "id": (
            "Periksa buku besar dengan pemeriksa mandiri (paket verifier, ditulis dari\n"
            "SPEC.md saja): pengodean, tanda tangan, kewenangan, rantai tiap barang,\n"
            "kustodi, segel, jumlah, waktu (pemeriksaan V1-V19). JALUR boleh berkas SQLite,\n"
            "URL postgresql://, berkas aliran, atau berkas serah terima .serah; bawaan --db.\n"
            "Kode keluar 0 bersih, 1 ada galat atau peringatan, 2 masukan tak terpakai.\n"
            "Catatan (notice) seperti selisih dan kejadian ditampilkan tanpa mengubah kode keluar.\n"
            "\n"
            "Log transparansi (SPEC 10.6, pemeriksaan T1-T6): checkpoint yang tersimpan di buku\n"
            "besar selalu diperiksa; --checkpoint menambah catatan checkpoint yang Anda simpan\n"
            "sendiri (yang disimpan sebelum penulisan ulang itulah yang membongkarnya).\n"
            "--log-vkey dan --witness-vkey menyematkan kunci verifikasi yang diumumkan KPU dan\n"
            "Bawaslu (teks name+keyhash+base64key, atau berkas berisi satu kunci per baris);\n"
            "tanpa itu, kunci yang tersimpan dipakai dan sebuah catatan mengatakannya.\n"
            "--quorum N: sedikitnya N saksi tepercaya harus menandatangani bersama.\n"
            "Kunci log yang berganti: ulangi --log-vkey (riwayat, yang terlama dulu).\n"
            "--trust BERKAS memuat semua yang diumumkan KPU dan Bawaslu (baris ledger, root,\n"
            "log, witness, quorum; SPEC 10.10), juga untuk paket bukti .bukti: tanpa sematan,\n"
            "paket hanya 'konsisten' dan siapa pun bisa membuatnya; sidik kunci dicetak.\n"
            "\n"
            "Contoh:\n"
            "  serah --db serah-demo.sqlite verify\n"
            "  serah verify salinan-dari-kpu.sqlite --json > laporan.json\n"
            "  serah verify tidung-001.serah\n"
            "  serah verify salinan.sqlite --checkpoint cp-0214.txt --log-vkey kpu-log.vkey \\\n"
            "      --witness-vkey bawaslu.vkey --quorum 1"
        ),
        "en": (
            "Check a ledger with the independent verifier (the verifier package, written\n"
            "from SPEC.md alone): encoding, signatures, authority, every item's chain,\n"
            "custody, seals, counts, time (checks V1-V19). PATH may be a SQLite file, a\n"
            "postgresql:// URL, a stream file or a .serah handover file; default --db.\n"
            "Exit 0 clean, 1 errors or warnings, 2 unusable input. Notices such as\n"
            "discrepancies and incidents are listed without changing the exit status.\n"
            "\n"
            "Transparency log (SPEC 10.6, checks T1-T6): the checkpoints stored in the ledger\n"
            "are always checked; --checkpoint adds checkpoint notes you kept yourself (one\n"
            "kept before a rewrite is what exposes it). --log-vkey and --witness-vkey pin the\n"
            "verifier keys KPU and Bawaslu published (name+keyhash+base64key text, or a file\n"
            "of them, one per line); without them the stored keys are used and a notice\n"
            "says so. --quorum N: at least N trusted witnesses must have cosigned.\n"
            "A log key that changed: repeat --log-vkey (the history, oldest first).\n"
            "--trust FILE holds all KPU and Bawaslu published (ledger, root, log, witness,\n"
            "quorum lines; SPEC 10.10), for .bukti evidence bundles too: unpinned, a bundle\n"
            "is only 'consistent' and anyone could have made it; key fingerprints are printed.\n"
            "\n"
            "Examples:\n"
            "  serah --db serah-demo.sqlite verify\n"
            "  serah verify copy-from-kpu.sqlite --json > report.json\n"
            "  serah verify tidung-001.serah\n"
            "  serah verify copy.sqlite --checkpoint cp-0214.txt --log-vkey kpu-log.vkey \\\n"
            "      --witness-vkey bawaslu.vkey --quorum 1"
        ),
    },
    "opt.jobs": {"id": "Jumlah proses pekerja (bawaan: otomatis).", "en": "Worker processes (default: automatic)."},
    "opt.all_findings": {"id": "Simpan semua temuan (bawaan: batas per pemeriksaan).", "en": "Keep every finding (default: a limit per check)."},
    "opt.quiet": {"id": "Tanpa kemajuan di stderr.", "en": "No progress on stderr."},
    "opt.notices": {"id": "Tampilkan juga catatan (notice).", "en": "Also list notices."},
    "opt.verify_checkpoint": {
        "id": "Berkas catatan checkpoint yang Anda simpan, diperiksa bersama yang tersimpan (boleh berulang).",
        "en": "A checkpoint note file you kept, checked with the stored ones (repeatable).",
    },
    "opt.verify_log_key": {
        "id": "Sematkan kunci verifikasi log (teks name+keyhash+base64key atau berkasnya); berulang atau beberapa baris: riwayat kunci, yang terlama dulu.",
        "en": "Pin the log's verifier key (name+keyhash+base64key text, or a file); repeated or several lines: the key history, oldest first.",
    },
    "opt.verify_witness_key": {
        "id": "Sematkan kunci verifikasi saksi (teks atau berkas, satu per baris; boleh berulang).",
        "en": "Pin a witness verifier key (text, or a file with one per line; repeatable).",
    },
    "opt.verify_quorum": {
        "id": "Jumlah saksi tepercaya yang harus menandatangani bersama (bawaan 0).",
        "en": "Trusted witnesses that must have cosigned (default 0).",
    },
    "error.verify_bundle_checkpoint": {
        "id": "--checkpoint berlaku untuk buku besar; paket bukti membawa checkpoint-nya sendiri",
        "en": "--checkpoint applies to ledgers; an evidence bundle carries its own checkpoint",
    },
    "error.verify_trust_file": {"id": "berkas kepercayaan {path}: {detail}", "en": "trust file {path}: {detail}"},
    "error.verify_pin": {"id": "sematan tidak sah: {detail}", "en": "invalid pin: {detail}"},
    "opt.verify_ledger_id": {
        "id": "Sematkan id buku besar (64 digit heksa) yang diumumkan KPU.",
        "en": "Pin the ledger id (64 hex digits) KPU published.",
    },
    "opt.verify_root_key": {
        "id": "Sematkan kunci akar KPU (64 digit heksa; boleh berulang).",
        "en": "Pin a KPU root key (64 hex digits; repeatable).",
    },
    "opt.verify_trust": {
        "id": "Berkas kepercayaan (SPEC 10.10): baris ledger, root, log, witness, quorum yang diumumkan KPU dan Bawaslu.",
        "en": "Trust file (SPEC 10.10): the ledger, root, log, witness and quorum lines KPU and Bawaslu published.",
    },
    "error.verify_key_file": {"id": "berkas kunci verifikasi {path} tidak terbaca: {detail}", "en": "cannot read verifier key file {path}: {detail}"},
    "error.verify_key_count": {
        "id": "{option} {path}: diharapkan satu kunci verifikasi, ditemukan {n}",
        "en": "{option} {path}: expected one verifier key, found {n}",
    },
    # The `part` parameter of V1 and V5 findings is a code, worded here (cli/commands/verify.py).
    "verify.part.author": {"id": "penulis", "en": "author"},
    "verify.part.cosigner": {"id": "penanda tangan bersama", "en": "cosigner"},
    "verify.part.escort": {"id": "pengawal", "en": "escort"},
    "verify.part.witness": {"id": "saksi", "en": "witness"},
    "verify.part.envelope": {"id": "amplop rekaman", "en": "envelope"},
    "verify.part.body": {"id": "isi rekaman", "en": "body"},
    "verify.severity.error": {"id": "galat", "en": "error"},
    "verify.severity.warning": {"id": "peringatan", "en": "warning"},
    "verify.severity.notice": {"id": "catatan", "en": "notice"},
    "verify.progress": {"id": "verifikasi: {records} rekaman{done}", "en": "verify: {records} records{done}"},
    "verify.handover_number": {
        "id": "nomor serah terima {number} (tetap sama setelah ditandatangani bersama)",
        "en": "handover number {number} (unchanged by co-signatures)",
    },
    "verify.summary": {
        "id": "{records} rekaman, {signatures} tanda tangan diperiksa dalam {seconds} detik: {errors} galat, {warnings} peringatan, {notices} catatan",
        "en": "{records} records, {signatures} signatures checked in {seconds} s: {errors} errors, {warnings} warnings, {notices} notices",
    },
    "verify.by_check": {"id": "per pemeriksaan: {checks}", "en": "by check: {checks}"},
    "verify.omitted": {"id": "{n} temuan lain tidak ditampilkan (pakai --all)", "en": "{n} more findings not shown (use --all)"},
    "verify.clean_file": {
        "id": "TIDAK ADA GALAT DI BERKAS, tetapi tanpa buku besar: penanda tangan dan rantai barang belum diperiksa",
        "en": "NO ERRORS IN THE FILE, but without its ledger: the signers and the items' chains are not checked",
    },
    "verify.clean": {"id": "BERSIH: tidak ada galat atau peringatan", "en": "CLEAN: no errors or warnings"},
    "verify.dirty": {"id": "ADA TEMUAN: periksa galat dan peringatan di atas", "en": "FINDINGS: see the errors and warnings above"},
    "verify.notices_hidden": {
        "id": "{n} catatan (selisih, kejadian, keterlambatan) tidak ditampilkan; pakai --notices",
        "en": "{n} notices (discrepancies, incidents, late deliveries) not shown; use --notices",
    },
}

for _code in sorted(set(INDONESIAN) | set(_ENGLISH)):
    _texts = {}
    if _code in INDONESIAN:
        _texts["id"] = INDONESIAN[_code]
    if _code in _ENGLISH:
        _texts["en"] = _ENGLISH[_code]
    MESSAGES["finding." + _code] = _texts
