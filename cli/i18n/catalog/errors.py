"""Error messages: ledger refusals (``error.<code>`` of ledger.errors) and CLI checks."""

MESSAGES = {
    # --- ledger.errors codes -----------------------------------------------------------
    "error.error": {"id": "{detail}", "en": "{detail}"},
    "error.unknown_item": {"id": "barang {item} tidak dikenal di buku besar ini", "en": "unknown item {item}"},
    "error.already_registered": {"id": "barang {item} sudah terdaftar", "en": "item {item} is already registered"},
    "error.not_holder": {
        "id": "barang {item} tidak dipegang oleh kunci {key}: hanya pemegang yang boleh menyerahkannya",
        "en": "item {item} is not held by key {key}: only the holder may hand it over",
    },
    "error.in_transit": {
        "id": "barang {item} sedang dalam perjalanan (serah terima {handover} masih terbuka)",
        "en": "item {item} is in transit (handover {handover} is open)",
    },
    "error.item_destroyed": {
        "id": "barang {item} sudah dimusnahkan; tidak boleh ada rekaman sesudahnya",
        "en": "item {item} was destroyed; nothing may follow",
    },
    "error.item_lost": {"id": "barang {item} tercatat hilang", "en": "item {item} is recorded as lost"},
    "error.item_packed": {
        "id": "barang {item} dikemas dalam kotak {box}; ia berpindah bersama kotaknya",
        "en": "item {item} is packed in box {box}; it moves with its box",
    },
    "error.box_sealed": {"id": "kotak {box} tersegel", "en": "box {box} is sealed"},
    "error.seal_in_use": {"id": "nomor segel {seal} sudah pernah dipakai", "en": "seal number {seal} has already been used"},
    "error.not_enrolled": {"id": "kunci {key} tidak terdaftar di buku besar ini", "en": "key {key} is not enrolled in this ledger"},
    "error.already_enrolled": {"id": "kunci {key} sudah terdaftar", "en": "key {key} is already enrolled"},
    "error.key_revoked": {"id": "kunci {key} sudah dicabut", "en": "key {key} has been revoked"},
    "error.out_of_jurisdiction": {
        "id": "kunci {key} (wilayah {region}) tidak berwenang atas wilayah {target}",
        "en": "key {key} (region {region}) has no authority over region {target}",
    },
    "error.role_not_allowed": {"id": "peran {role} tidak boleh {action}", "en": "role {role} may not {action}"},
    "error.witness_required": {
        "id": "{action} harus ditandatangani bersama oleh saksi yang terdaftar",
        "en": "{action} must be co-signed by an enrolled witness",
    },
    "error.exception_required": {
        "id": "{detail}: langkah ini di luar jalur yang diizinkan dan perlu alasan tertulis (--exception)",
        "en": "{detail}: this step is off the allowed path and needs a written exception (--exception)",
    },
    "error.wrong_destination": {
        "id": "barang {item} bertujuan {dest}, di luar wilayah penerima {region} (tertukar); beri --exception untuk melanjutkan",
        "en": "item {item} is destined for {dest}, outside the receiver's region {region} (mixed up); give --exception to proceed",
    },
    "error.wrong_receiver": {
        "id": "serah terima {handover} ditujukan kepada kunci {expected}, bukan {key}",
        "en": "handover {handover} is addressed to key {expected}, not {key}",
    },
    "error.handover_closed": {
        "id": "serah terima {handover} sudah ditutup (sudah diterima atau ditolak)",
        "en": "handover {handover} is no longer open (already accepted or refused)",
    },
    "error.unknown_record": {"id": "rekaman {record} tidak ada di buku besar ini", "en": "record {record} is not in this ledger"},
    "error.stale_record": {
        "id": "rekaman tidak mengikuti keadaan terakhir barang {item} (seharusnya sesudah {expected}, tertulis {got})",
        "en": "record does not follow the current state of item {item} (expected previous record {expected}, got {got})",
    },
    "error.duplicate_record": {
        "id": "rekaman {record} sudah ada di buku besar (diputar ulang)",
        "en": "record {record} is already in the ledger (replay)",
    },
    "error.bad_time": {
        "id": "waktu rekaman {time} lebih awal dari {earlier}; periksa jam perangkat",
        "en": "record time {time} is earlier than {earlier}; check the device clock",
    },
    "error.future_time": {
        "id": "waktu rekaman {time} lebih dari {minutes} menit setelah jam buku besar ({now}); periksa jam perangkat",
        "en": "record time {time} is more than {minutes} minutes after the ledger's clock ({now}); check the device clock",
    },
    "error.wrong_ledger": {
        "id": "rekaman milik buku besar {got}, bukan buku besar ini ({expected})",
        "en": "record belongs to ledger {got}, this is ledger {expected}",
    },
    "error.not_initialised": {
        "id": "buku besar belum punya rekaman genesis; jalankan serah init",
        "en": "the ledger has no genesis record yet; run serah init",
    },
    "error.already_initialised": {"id": "buku besar sudah punya rekaman genesis", "en": "the ledger already has a genesis record"},
    "error.conflict": {
        "id": "petugas lain mengubah barang ini lebih dulu; muat ulang dan coba lagi",
        "en": "another custodian changed this item first; reload and try again",
    },
    "error.encoding": {
        "id": "rekaman tidak dalam pengodean kanonik (diubah?): {detail}",
        "en": "record is not canonically encoded (altered?): {detail}",
    },
    "error.bad_record": {"id": "rekaman cacat: {detail}", "en": "malformed record: {detail}"},
    "error.bad_signature": {
        "id": "tanda tangan tidak sah (berkas diubah atau dipalsukan): {detail}",
        "en": "signature does not verify (file altered or forged): {detail}",
    },
    "error.bad_file": {"id": "{path}: {detail}", "en": "{path}: {detail}"},
    "error.wrong_passphrase": {"id": "frasa sandi salah untuk berkas kunci {path}", "en": "wrong passphrase for key file {path}"},
    "error.bad_key_file": {
        "id": "{path}: bukan berkas kunci Serah yang dapat dipakai ({detail})",
        "en": "{path}: not a usable Serah key file ({detail})",
    },
    # InvalidInput codes (ledger.errors.INVALID_INPUT_TEMPLATES)
    "error.record_too_large": {
        "id": "rekaman akan berukuran {size} bita, melebihi batas {limit} (SPEC 3.7): bagi menjadi beberapa rekaman (mis. serah terima dengan lebih sedikit barang)",
        "en": "the record would be {size} bytes, over the limit of {limit} (SPEC 3.7): split it (e.g. hand over fewer items at once)"},
    "error.bad_text": {
        "id": "{field} berisi {char}, karakter kendali atau pengatur arah teks (SPEC 2.2): tidak diterima",
        "en": "{field} holds {char}, a control or bidirectional formatting character (SPEC 2.2): not accepted"},
    "error.invalid_input": {"id": "masukan tidak sah: {detail}", "en": "invalid input: {detail}"},
    "error.self_handover": {
        "id": "petugas tidak dapat menyerahkan barang kepada dirinya sendiri",
        "en": "a custodian cannot hand items over to itself",
    },
    "error.qty_mismatch": {
        "id": "barang {item}: jumlah dinyatakan {declared}, buku besar mencatat {actual}",
        "en": "item {item}: declared quantity {declared}, the ledger holds {actual}",
    },
    "error.seals_mismatch": {
        "id": "kotak {item}: segel yang dinyatakan berbeda dari segel di buku besar",
        "en": "box {item}: declared seals differ from the seals in the ledger",
    },
    "error.contents_mismatch": {
        "id": "kotak {item}: isi yang dinyatakan berbeda dari buku besar",
        "en": "box {item}: declared contents differ from the ledger",
    },
    "error.tally_mismatch": {
        "id": "barang {item}: terpakai + sisa + rusak = {total}, tetapi jumlahnya {qty}",
        "en": "item {item}: used + unused + spoiled = {total}, but the quantity is {qty}",
    },
    "error.not_a_box": {"id": "barang {item} bukan kotak suara", "en": "item {item} is not a box"},
    "error.wrong_kind": {"id": "barang {item} berjenis {kind}, seharusnya {expected}", "en": "item {item} is a {kind}, expected {expected}"},
    "error.lines_mismatch": {
        "id": "daftar barang tidak sama dengan serah terima {handover}",
        "en": "the items do not match those of handover {handover}",
    },
    "error.weak_key": {
        "id": "kunci {key} bukan titik subgrup berorde prima (identitas, orde kecil atau campuran) dan tidak dapat didaftarkan",
        "en": "key {key} is not a point of the prime-order subgroup (identity, small or mixed order) and cannot be enrolled",
    },
    "error.root_not_revocable": {
        "id": "kunci {key} adalah kunci akar dan tidak dapat dicabut",
        "en": "key {key} is a root key and cannot be revoked",
    },
    "error.already_signed": {"id": "kunci {key} sudah menandatangani rekaman ini", "en": "key {key} has already signed this record"},
    "error.box_not_empty": {
        "id": "kotak {box} masih berisi barang; sebutkan juga atau buka dulu",
        "en": "box {box} still holds items; list them too or open it first",
    },
    "error.qty_lost_too_large": {
        "id": "barang {item}: hilang {qty_lost}, padahal hanya tercatat {qty}",
        "en": "item {item}: {qty_lost} lost, but only {qty} recorded",
    },
    "error.not_a_handover": {
        "id": "rekaman {record} bukan rekaman persiapan serah terima",
        "en": "record {record} is not a handover.prepare",
    },
    "error.region_role_mismatch": {
        "id": "wilayah {region} tidak sesuai untuk peran {role}",
        "en": "region {region} does not fit role {role}",
    },
    "error.duplicate_value": {"id": "{value} disebut dua kali", "en": "{value} is given twice"},
    "error.bad_ledger_name": {
        "id": (
            "nama buku besar tidak sah: '{name}'; nama ini juga nama kunci log transparansi, jadi tidak"
            " boleh kosong, berisi spasi, '+' atau karakter kendali (contoh: serah.kpu.go.id/3101/pemilu-2024)"
        ),
        "en": (
            "invalid ledger name: '{name}'; it is also the transparency log's key name, so it must be"
            " non-empty, without spaces, '+' or control characters (e.g. serah.kpu.go.id/3101/pemilu-2024)"
        ),
    },
    "error.empty_passphrase": {"id": "frasa sandi tidak boleh kosong", "en": "the passphrase must not be empty"},
    "error.weak_passphrase": {
        "id": "frasa sandi terlalu mudah ditebak (kekuatan {score} dari 4, perlu paling sedikit {needed}): pakai beberapa kata yang tidak saling berhubungan",
        "en": "the passphrase is too easy to guess (strength {score} of 4, at least {needed} needed): use several unrelated words"},
    # --- CLI checks ------------------------------------------------------------------------
    "error.aborted": {"id": "dibatalkan", "en": "aborted"},
    "error.internal": {
        "id": "kesalahan di dalam Serah sendiri ({kind}: {detail}); jalankan ulang dengan SERAH_DEBUG=1 untuk jejak lengkap",
        "en": "a fault inside Serah itself ({kind}: {detail}); rerun with SERAH_DEBUG=1 for the traceback",
    },
    "error.no_ledger": {
        "id": "tidak ada buku besar di {path}; jalankan serah init, atau pilih dengan --db",
        "en": "no ledger at {path}; run serah init, or choose one with --db",
    },
    "error.no_key": {
        "id": "perintah ini perlu kunci Anda: beri --as NAMA atau --key BERKAS",
        "en": "this command needs your key: give --as NAME or --key FILE",
    },
    "error.key_missing": {"id": "berkas kunci tidak ditemukan: {path}", "en": "key file not found: {path}"},
    "error.pub_missing": {"id": "berkas kunci publik tidak ditemukan untuk {path}", "en": "no public key file found for {path}"},
    "error.key_exists": {
        "id": "kunci {path} sudah ada; kunci tidak pernah ditimpa",
        "en": "key {path} already exists; keys are never overwritten",
    },
    "error.bad_key_name": {
        "id": "nama kunci tidak sah: {name} (huruf, angka, titik, garis bawah, tanda hubung)",
        "en": "invalid key name: {name} (letters, digits, dot, underscore, hyphen)",
    },
    "error.no_passphrase": {
        "id": "frasa sandi untuk kunci {name} diperlukan: jalankan di terminal atau atur SERAH_PASSPHRASE",
        "en": "the passphrase for key {name} is needed: run in a terminal or set SERAH_PASSPHRASE",
    },
    "error.short_passphrase": {
        "id": "frasa sandi terlalu pendek: minimal {n} karakter",
        "en": "passphrase too short: at least {n} characters",
    },
    "error.bad_pubkey": {
        "id": "bukan kunci publik, nama kunci, atau berkas .pub: {key}",
        "en": "not a public key, key name or .pub file: {key}",
    },
    "error.bad_region": {"id": "kode wilayah tidak sah untuk {option}: {code}", "en": "invalid region code for {option}: {code}"},
    "error.bad_date": {"id": "tanggal tidak sah: {value} (format YYYY-MM-DD)", "en": "invalid date: {value} (format YYYY-MM-DD)"},
    "error.bad_item_id": {
        "id": "kode barang tidak sah: {item} (huruf besar, angka, . _ / -; maks. 64)",
        "en": "invalid item id: {item} (capitals, digits, . _ / -; up to 64)",
    },
    "error.duplicate_item": {"id": "barang {item} disebut dua kali", "en": "item {item} is listed twice"},
    "error.bad_count": {"id": "{what}: bukan bilangan cacah: {value}", "en": "{what}: not a whole number: {value}"},
    "error.pair_expected": {"id": "{option} perlu BARANG=NILAI, bukan {value}", "en": "{option} needs ITEM=VALUE, not {value}"},
    "error.duplicate_seal": {"id": "nomor segel disebut dua kali", "en": "a seal number is listed twice"},
    "error.bad_condition": {"id": "kondisi tidak dikenal: {value} (pilih: {expected})", "en": "unknown condition: {value} (choose: {expected})"},
    "error.item_not_listed": {
        "id": "barang {item} tidak ada di daftar barang perintah ini",
        "en": "item {item} is not among this command's items",
    },
    "error.item_not_in_handover": {
        "id": "{option}: barang {item} tidak termasuk dalam serah terima ini",
        "en": "{option}: item {item} is not part of this handover",
    },
    "error.tally_format": {
        "id": "format penghitungan: BARANG=TERPAKAI,SISA,RUSAK, bukan {value}",
        "en": "tally format: ITEM=USED,UNUSED,SPOILED, not {value}",
    },
    "error.pack_self": {"id": "kotak {box} tidak dapat dikemas ke dalam dirinya sendiri", "en": "box {box} cannot be packed into itself"},
    "error.file_missing": {"id": "berkas tidak ditemukan: {path}", "en": "file not found: {path}"},
    "error.not_a_file": {
        "id": "{path} bukan berkas biasa (folder atau perangkat); beri jalur sebuah berkas",
        "en": "{path} is not a regular file (a folder or a device); give the path of a file",
    },
    "error.file_unreadable": {"id": "berkas tidak dapat dibaca: {path} ({detail})", "en": "cannot read file: {path} ({detail})"},
    "error.output_exists": {
        "id": "berkas sudah ada, tidak ditimpa: {path} (pakai --force untuk menimpanya)",
        "en": "file exists, not overwritten: {path} (give --force to replace it)"},
    "error.output_is_ledger": {
        "id": "{path} adalah buku besar (atau berkas -wal/-shm/-journal-nya, atau basis data SQLite): tidak pernah ditimpa, juga dengan --force",
        "en": "{path} is the ledger (or its -wal/-shm/-journal file, or a SQLite database): never overwritten, not even with --force"},
    "error.output_is_folder": {"id": "{path} adalah folder, bukan berkas", "en": "{path} is a folder, not a file"},
    "error.file_unwritable": {"id": "tidak dapat menulis {path}: {detail}", "en": "cannot write {path}: {detail}"},
    "error.file_not_handover": {
        "id": "berkas ini tidak diawali rekaman serah terima (tertulis: {type})",
        "en": "this file does not start with a handover record (found: {type})",
    },
    "error.bad_db": {"id": "lokasi buku besar tidak sah: {detail}", "en": "invalid ledger location: {detail}"},
    "error.db_not_ledger": {
        "id": "{path} bukan buku besar Serah: berkas ini bukan basis data SQLite yang utuh ({detail}); berkas tidak diubah",
        "en": "{path} is not a Serah ledger: the file is not an intact SQLite database ({detail}); the file was not changed",
    },
    "error.db_foreign": {
        "id": "{path} adalah basis data SQLite milik program lain (tabel: {tables}), bukan buku besar Serah; berkas tidak diubah",
        "en": "{path} is another program's SQLite database (tables: {tables}), not a Serah ledger; the file was not changed",
    },
    "error.db_unreachable": {
        "id": "server PostgreSQL {db} tidak dapat dihubungi: {detail}",
        "en": "cannot reach the PostgreSQL server {db}: {detail}",
    },
    "error.cosign_closed": {
        "id": "{path}: serah terima sudah diterima atau ditolak; tanda tangan bersama tidak lagi mungkin",
        "en": "{path}: the handover is already accepted or refused; co-signing is no longer possible",
    },
    "error.cosign_submitted": {
        "id": "serah terima ini sudah masuk buku besar; tanda tangan bersama akan mengubah identitasnya. Pengawal/saksi membubuhkan kesaksian dengan: serah attest BERKAS --statement TEKS",
        "en": "this handover is already in the ledger; co-signing would change its id. The escort or witness attests it instead: serah attest FILE --statement TEXT",
    },
    # CSV (item register)
    "error.csv_empty": {"id": "{path}: CSV kosong (perlu baris judul dan minimal satu barang)", "en": "{path}: empty CSV (needs a header and at least one item)"},
    "error.csv_syntax": {"id": "CSV baris {line}: {detail}", "en": "CSV line {line}: {detail}"},
    "error.csv_column": {
        "id": "CSV baris {line}: kolom tidak dikenal: {column} (kolom yang dikenal: {expected})",
        "en": "CSV line {line}: unknown column: {column} (known columns: {expected})",
    },
    "error.csv_missing_column": {"id": "CSV baris {line}: kolom {column} wajib ada", "en": "CSV line {line}: column {column} is required"},
    "error.csv_width": {
        "id": "CSV baris {line}: {got} kolom, seharusnya {expected}",
        "en": "CSV line {line}: {got} columns, expected {expected}",
    },
    "error.csv_duplicate": {
        "id": "CSV baris {line}: barang {item} sudah ada di baris {first}",
        "en": "CSV line {line}: item {item} already on line {first}",
    },
    "error.csv_item": {"id": "CSV baris {line}: kode barang tidak sah: {item}", "en": "CSV line {line}: invalid item id: {item}"},
    "error.csv_kind": {
        "id": "CSV baris {line}: jenis tidak dikenal: {kind} (pilih: {expected})",
        "en": "CSV line {line}: unknown kind: {kind} (choose: {expected})",
    },
    "error.csv_dest": {"id": "CSV baris {line}: kode wilayah tujuan tidak sah: {dest}", "en": "CSV line {line}: invalid destination region: {dest}"},
    "error.csv_qty": {"id": "CSV baris {line}: jumlah bukan bilangan cacah (angka 0-9, paling besar 2^64-1): {qty}",
                      "en": "CSV line {line}: quantity is not a whole number (digits 0-9, at most 2^64-1): {qty}"},
    "error.csv_election": {
        "id": "CSV baris {line}: jenis pemilihan tidak dikenal: {election} (pilih: {expected})",
        "en": "CSV line {line}: unknown election type: {election} (choose: {expected})",
    },
    "error.csv_serial": {
        "id": "CSV baris {line}: serial_first dan serial_last harus diisi berdua atau dikosongkan berdua",
        "en": "CSV line {line}: give both serial_first and serial_last, or neither",
    },
    "error.csv_label": {
        "id": "CSV baris {line}: label paling banyak {limit} karakter, tanpa karakter kendali",
        "en": "CSV line {line}: a label is at most {limit} characters, with no control character",
    },
    "error.csv_needs": {"id": "CSV baris {line}: barang jenis {kind} perlu kolom {field}", "en": "CSV line {line}: a {kind} item needs column {field}"},
    "error.csv_not_for_kind": {
        "id": "CSV baris {line}: kolom {field} tidak berlaku untuk jenis {kind}",
        "en": "CSV line {line}: column {field} does not apply to kind {kind}",
    },
}
