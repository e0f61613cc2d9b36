"""``serah export``: evidence bundles and their reports (SPEC section 11)."""

MESSAGES = {
    # --- the command ---------------------------------------------------------------
    "cmd.export.short": {"id": "Ekspor jejak kustodi sebagai berkas bukti untuk pengadilan.",
                         "en": "Export a custody trail as an evidence bundle for court."},
    "cmd.export": {
        "id": (
            "Tulis berkas bukti (SPEC 11): rekaman jejak kustodi barang yang dipilih, kunci dan\n"
            "rantai pendaftaran penanda tangan sampai genesis, bukti inklusi setiap rekaman ke\n"
            "satu checkpoint bertanda tangan saksi, dan manifest. Berkas ini dapat diverifikasi\n"
            "tanpa akses ke sistem KPU: serah verify BERKAS.\n"
            "\n"
            "Checkpoint-nya adalah checkpoint tersimpan (serah checkpoint) yang mencakup setiap\n"
            "rekaman jejak, yang terbaru yang sudah ditandatangani saksi (serah witness) bila\n"
            "ada. Ekspor tidak menandatangani apa pun sendiri.\n"
            "\n"
            "Pilih barang dengan --item, --tps, --place (kode wilayah apa pun) dan/atau jendela\n"
            "waktu --since/--until (WIB). Kotak membawa isinya, isi membawa kotaknya.\n"
            "--html, --pdf, --csv menulis laporan untuk orang dari berkas yang baru ditulis\n"
            "(diverifikasi ulang dari disk). --from BERKAS membuat laporan dari berkas yang ada,\n"
            "tanpa basis data.\n"
            "\n"
            "Contoh:\n"
            "  serah export --item KS-3101011001001-PPWP -o kotak-001.bukti --pdf kotak-001.pdf\n"
            "  serah export --tps 3101011001001 -o tps-001.bukti --html tps-001.html --csv tps-001.csv\n"
            "  serah export --place 310101 --since 2024-02-13 --until 2024-02-15 -o ppk.bukti\n"
            "  serah export --from kotak-001.bukti --lang en --pdf box-001.pdf"
        ),
        "en": (
            "Write an evidence bundle (SPEC 11): the records of the selected items' custody\n"
            "trail, the signers' keys and enrolment chain up to genesis, an inclusion proof of\n"
            "every record into one witness-cosigned checkpoint, and a manifest. It can be\n"
            "verified without access to KPU's systems: serah verify FILE.\n"
            "\n"
            "The checkpoint is a stored one (serah checkpoint) that holds every record of the\n"
            "trail: the newest such one the witnesses cosigned (serah witness), if any. Export\n"
            "signs nothing itself.\n"
            "\n"
            "Select items with --item, --tps, --place (any region code) and/or a time window\n"
            "--since/--until (WIB). A box brings its contents, a packed item its box.\n"
            "--html, --pdf, --csv write reports for people from the bundle just written\n"
            "(verified again from disk). --from FILE reports on an existing bundle, without a\n"
            "database.\n"
            "\n"
            "Examples:\n"
            "  serah export --item KS-3101011001001-PPWP -o box-001.bukti --pdf box-001.pdf\n"
            "  serah export --tps 3101011001001 -o tps-001.bukti --html tps-001.html --csv tps-001.csv\n"
            "  serah export --place 310101 --since 2024-02-13 --until 2024-02-15 -o ppk.bukti\n"
            "  serah export --from box-001.bukti --lang en --pdf box-001.pdf"
        ),
    },
    "cmd.export.epilog": {
        "id": "Status keluar: 0 berhasil dan bersih; 1 ditulis, tetapi verifikasi memberi temuan;\n"
              "2 penggunaan salah, belum ada checkpoint yang mencakup jejak, atau berkas --from tidak\n"
              "dapat dipakai; 3 tidak ada yang dipilih.",
        "en": "Exit status: 0 written and clean; 1 written, but verification has findings;\n"
              "2 usage error, no checkpoint covers the trail yet, or --from file unusable;\n"
              "3 nothing selected.",
    },
    "opt.export.item": {"id": "Barang (boleh diulang).", "en": "Item (repeatable)."},
    "opt.export.tps": {"id": "TPS, 13 digit (boleh diulang).", "en": "TPS, 13 digits (repeatable)."},
    "opt.export.place": {"id": "Kode wilayah: barang yang tujuannya di sana (boleh diulang).",
                         "en": "Region code: items destined there (repeatable)."},
    "opt.export.since": {"id": "Awal jendela waktu, WIB (YYYY-MM-DD atau YYYY-MM-DDTHH:MM).",
                         "en": "Window start, WIB (YYYY-MM-DD or YYYY-MM-DDTHH:MM)."},
    "opt.export.until": {"id": "Akhir jendela waktu (tidak termasuk), WIB.", "en": "Window end (exclusive), WIB."},
    "opt.export.output": {"id": "Berkas bukti yang ditulis (tidak menimpa).",
                          "en": "Bundle file to write (never overwritten)."},
    "opt.export.from": {"id": "Buat laporan dari berkas bukti ini (tanpa basis data).",
                        "en": "Report on this existing bundle (no database)."},
    "opt.export.html": {"id": "Tulis laporan HTML mandiri.", "en": "Write a self-contained HTML report."},
    "opt.export.pdf": {"id": "Tulis laporan PDF.", "en": "Write a PDF report."},
    "opt.export.csv": {"id": "Tulis jejak sebagai CSV.", "en": "Write the trail as CSV."},
    "export.written": {"id": "Berkas bukti ditulis: {path} ({records} rekaman, {items} barang, checkpoint {size})",
                       "en": "Bundle written: {path} ({records} records, {items} items, checkpoint {size})"},
    "opt.export.server": {
        "id": "Ekspor dari log yang disajikan server ini (ubin C2SP, checkpoint bertanda tangan saksi), tanpa basis data.",
        "en": "Export from the log this server serves (C2SP tiles, the witness-cosigned checkpoint), no database."},
    "export.written_served": {
        "id": "Berkas bukti ditulis: {path} ({records} rekaman, {items} barang, checkpoint {size} dari {url}; "
              "dibaca {kib} KiB dalam {requests} permintaan)",
        "en": "Bundle written: {path} ({records} records, {items} items, checkpoint {size} of {url}; "
              "read {kib} KiB in {requests} requests)"},
    "export.reading_log": {"id": "Membaca log: {count} rekaman", "en": "Reading the log: {count} records"},
    "error.export_server_url": {"id": "bukan URL http(s): {url}", "en": "not an http(s) URL: {url}"},
    "error.export_served": {"id": "{url}: tidak dapat mengekspor dari log yang disajikan: {detail}",
                            "en": "{url}: cannot export from the served log: {detail}"},
    "export.fingerprint": {"id": "Sidik jari: {fingerprint}", "en": "Fingerprint: {fingerprint}"},
    "export.report_written": {"id": "Laporan ditulis: {path}", "en": "Report written: {path}"},
    "export.verify_result": {"id": "Verifikasi: {text}", "en": "Verification: {text}"},
    "export.collecting": {"id": "Mengumpulkan jejak: {count} barang", "en": "Collecting the trail: {count} items"},
    "error.export_nothing": {"id": "tidak ada barang yang cocok dengan pilihan ini", "en": "no item matches this selection"},
    "error.export_unknown_item": {"id": "barang tidak dikenal: {item}", "en": "unknown item: {item}"},
    "error.export_no_checkpoint": {
        "id": "buku besar belum punya checkpoint: jalankan serah checkpoint, minta saksi menandatanganinya "
              "(serah witness cosign, lalu serah witness add-cosignature), lalu ekspor lagi",
        "en": "the ledger has no checkpoint yet: run serah checkpoint, have the witnesses cosign it "
              "(serah witness cosign, then serah witness add-cosignature), and export again"},
    "error.export_not_checkpointed": {
        "id": "belum ada checkpoint yang mencakup jejak ini: {count} rekamannya sesudah checkpoint terbaru "
              "(ukuran {size}); jalankan serah checkpoint, minta saksi menandatanganinya "
              "(serah witness cosign, lalu serah witness add-cosignature), lalu ekspor lagi",
        "en": "no checkpoint covers this trail yet: {count} of its records are after the newest checkpoint "
              "(size {size}); run serah checkpoint, have the witnesses cosign it "
              "(serah witness cosign, then serah witness add-cosignature), and export again"},
    "error.export_bad_time": {"id": "waktu tidak valid untuk {option}: {value} (YYYY-MM-DD atau YYYY-MM-DDTHH:MM)",
                              "en": "invalid time for {option}: {value} (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"},
    "error.export_need_output": {"id": "sebutkan -o BERKAS, atau --from BERKAS dengan --html/--pdf/--csv",
                                 "en": "give -o FILE, or --from FILE with --html/--pdf/--csv"},
    "error.export_unusable": {"id": "berkas bukti tidak dapat dipakai ({check}): {detail}",
                              "en": "bundle unusable ({check}): {detail}"},
    "error.bad_window": {"id": "--since harus sebelum --until", "en": "--since must be before --until"},

    # --- the report ------------------------------------------------------------------
    "report.title": {"id": "Laporan Jejak Kustodi Logistik Pemilu", "en": "Election Logistics Custody Trail Report"},
    "report.lead": {
        "id": "Disusun dari berkas bukti Serah. Setiap baris di bawah berasal dari rekaman bertanda tangan digital "
              "di dalam berkas; siapa pun dapat memeriksa ulang berkas itu dengan serah verify, tanpa akses ke sistem KPU.",
        "en": "Compiled from a Serah evidence bundle. Every line below comes from a digitally signed record in the "
              "file; anyone can re-check that file with serah verify, without access to KPU's systems."},
    "report.bundle": {"id": "Berkas bukti", "en": "Evidence bundle"},
    "report.fingerprint": {"id": "Sidik jari berkas (SHA-256)", "en": "File fingerprint (SHA-256)"},
    "report.qr_caption": {"id": "Pindai untuk mencocokkan cetakan ini dengan berkasnya",
                          "en": "Scan to match this printout with its file"},
    "report.ledger": {"id": "Buku besar", "en": "Ledger"},
    "report.ledger_id": {"id": "ID buku besar", "en": "Ledger id"},
    "report.election": {"id": "Pemilihan", "en": "Election"},
    "report.vote_date": {"id": "Hari pemungutan suara", "en": "Voting day"},
    "report.scope": {"id": "Yang diminta", "en": "Requested"},
    "report.scope_all": {"id": "semua barang", "en": "all items"},
    "report.created": {"id": "Dibuat", "en": "Created"},
    "report.checkpoint": {"id": "Checkpoint", "en": "Checkpoint"},
    "report.checkpoint_text": {"id": "{size} rekaman, akar {root}", "en": "{size} records, root {root}"},
    "report.cosigned_by": {"id": "Ditandatangani saksi", "en": "Cosigned by witnesses"},
    "report.none": {"id": "tidak ada", "en": "none"},
    "report.verification": {"id": "Hasil verifikasi", "en": "Verification result"},
    "report.verified_ok": {"id": "TERVERIFIKASI: tidak ada kesalahan atau peringatan ({notices} catatan).",
                           "en": "VERIFIED: no errors or warnings ({notices} notices)."},
    "report.verified_unanchored": {
        "id": "KONSISTEN, TETAPI TIDAK DISEMATKAN: tidak ada kesalahan atau peringatan ({notices} catatan), namun "
              "tidak ada kunci yang disematkan, jadi siapa pun bisa membuat berkas ini. Cocokkan sidik kunci di "
              "bawah dengan yang diumumkan KPU dan Bawaslu, atau periksa dengan --trust.",
        "en": "CONSISTENT, BUT NOT ANCHORED: no errors or warnings ({notices} notices), but nothing was pinned, "
              "so anyone could have made this file. Compare the key fingerprints below with those KPU and "
              "Bawaslu published, or verify with --trust."},
    "export.compare_keys": {"id": "Cocokkan dengan kunci yang diumumkan", "en": "Compare these with the published keys"},
    "export.key.ledger": {"id": "buku besar", "en": "ledger"},
    "export.key.root": {"id": "kunci akar", "en": "root key"},
    "export.key.log": {"id": "kunci log", "en": "log key"},
    "export.key.witness": {"id": "saksi", "en": "witness"},
    "report.verified_findings": {"id": "ADA TEMUAN: {errors} kesalahan, {warnings} peringatan, {notices} catatan.",
                                 "en": "FINDINGS: {errors} errors, {warnings} warnings, {notices} notices."},
    "report.proves": {"id": "Yang dibuktikan berkas ini", "en": "What this bundle proves"},
    "report.limits": {"id": "Yang tidak dibuktikan berkas ini", "en": "What this bundle does not prove"},
    "report.items": {"id": "Barang", "en": "Items"},
    "report.timeline": {"id": "Kronologi serah terima", "en": "Handover timeline"},
    "report.discrepancies": {"id": "Selisih dan kejadian yang perlu diperhatikan", "en": "Discrepancies and events to look at"},
    "report.no_discrepancies": {"id": "Tidak ada selisih, kejadian, atau temuan.", "en": "No discrepancies, incidents or findings."},
    "report.findings": {"id": "Temuan verifikasi", "en": "Verification findings"},
    "report.people": {"id": "Penanda tangan dan kuncinya", "en": "Signers and their keys"},
    "report.page": {"id": "Halaman {page}", "en": "Page {page}"},
    "report.page_of": {"id": "Halaman {page} dari {pages}", "en": "Page {page} of {pages}"},
    "report.times_note": {"id": "Waktu adalah waktu setempat ({zone}) menurut jam penanda tangan.",
                          "en": "Times are local time ({zone}) by the signer's clock."},
    # columns
    "report.col.item": {"id": "Barang", "en": "Item"},
    "report.col.kind": {"id": "Jenis", "en": "Kind"},
    "report.col.dest": {"id": "Tujuan", "en": "Destination"},
    "report.col.qty": {"id": "Jumlah", "en": "Quantity"},
    "report.col.holder": {"id": "Pemegang terakhir", "en": "Last holder"},
    "report.col.state": {"id": "Status", "en": "State"},
    "report.col.when": {"id": "Waktu", "en": "When"},
    "report.col.event": {"id": "Peristiwa", "en": "Event"},
    "report.col.released": {"id": "Diserahkan oleh", "en": "Released by"},
    "report.col.received": {"id": "Diterima oleh", "en": "Received by"},
    "report.col.witnesses": {"id": "Saksi / pengawal yang menandatangani", "en": "Witnesses / escorts who signed"},
    "report.named_unsigned": {"id": "Disebut, tidak menandatangani: {people}", "en": "Named, did not sign: {people}"},
    "report.col.where": {"id": "Tempat", "en": "Where"},
    "report.col.counts": {"id": "Jumlah (dinyatakan / diterima)", "en": "Count (declared / observed)"},
    "report.col.seals": {"id": "Nomor segel", "en": "Seal numbers"},
    "report.col.condition": {"id": "Kondisi", "en": "Condition"},
    "report.col.check": {"id": "Pemeriksaan", "en": "Check"},
    "report.col.severity": {"id": "Tingkat", "en": "Severity"},
    "report.col.detail": {"id": "Keterangan", "en": "Detail"},
    "report.col.name": {"id": "Nama", "en": "Name"},
    "report.col.org": {"id": "Lembaga", "en": "Organisation"},
    "report.col.role": {"id": "Peran", "en": "Role"},
    "report.col.region": {"id": "Wilayah", "en": "Region"},
    "report.col.key": {"id": "Sidik jari kunci", "en": "Key fingerprint"},
    # events
    "report.event.register": {"id": "Pendaftaran", "en": "Registration"},
    "report.event.pack": {"id": "Pengemasan ke kotak {box}", "en": "Packed into box {box}"},
    "report.event.seal": {"id": "Penyegelan", "en": "Sealed"},
    "report.event.open": {"id": "Pembukaan kotak", "en": "Box opened"},
    "report.event.handover": {"id": "Serah terima", "en": "Handover"},
    "report.event.incident": {"id": "Kejadian: {kind}", "en": "Incident: {kind}"},
    "report.event.tally": {"id": "Penghitungan surat suara", "en": "Ballot tally"},
    "report.event.destroy": {"id": "Pemusnahan", "en": "Destruction"},
    "report.outcome.accepted": {"id": "diterima", "en": "accepted"},
    "report.outcome.refused": {"id": "DITOLAK", "en": "REFUSED"},
    "report.outcome.open": {"id": "belum diterima (dalam perjalanan)", "en": "not yet received (in transit)"},
    "report.prepared_at": {"id": "disiapkan {time}", "en": "prepared {time}"},
    "report.seals_intact": {"id": "segel utuh", "en": "seals intact"},
    "report.seals_broken": {"id": "SEGEL TIDAK UTUH", "en": "SEALS NOT INTACT"},
    "report.tally_text": {"id": "terpakai {used}, tidak terpakai {unused}, rusak {spoiled}",
                          "en": "used {used}, unused {unused}, spoiled {spoiled}"},
    "report.qty_lost": {"id": "hilang {qty}", "en": "lost {qty}"},
    "report.contents": {"id": "isi", "en": "contents"},
    "report.exception": {"id": "pengecualian", "en": "exception"},
    "report.reason": {"id": "alasan", "en": "reason"},
    "report.note": {"id": "catatan", "en": "note"},
    "report.statement": {"id": "pernyataan", "en": "statement"},
    "report.differs": {"id": "SELISIH", "en": "DIFFERS"},
    "report.cond.ok": {"id": "baik", "en": "good"},
    "report.cond.damaged": {"id": "RUSAK", "en": "DAMAGED"},
    "report.cond.wet": {"id": "BASAH", "en": "WET"},
    "report.cond.missing": {"id": "TIDAK ADA", "en": "MISSING"},
    "report.cond.opened": {"id": "TERBUKA", "en": "OPENED"},
    "report.kind.box": {"id": "kotak suara", "en": "ballot box"},
    "report.kind.ballots": {"id": "surat suara", "en": "ballots"},
    "report.kind.seal": {"id": "segel", "en": "seals"},
    "report.kind.form": {"id": "formulir", "en": "form"},
    "report.kind.other": {"id": "lainnya", "en": "other"},
    "report.state.held": {"id": "dipegang", "en": "held"},
    "report.state.transit": {"id": "dalam perjalanan", "en": "in transit"},
    "report.state.lost": {"id": "HILANG", "en": "LOST"},
    "report.state.destroyed": {"id": "dimusnahkan", "en": "destroyed"},
    "report.in_box": {"id": "di dalam {box}", "en": "inside {box}"},
    "report.severity.error": {"id": "kesalahan", "en": "error"},
    "report.severity.warning": {"id": "peringatan", "en": "warning"},
    "report.severity.notice": {"id": "catatan", "en": "notice"},
    # what a bundle proves (codes of verifier.bundle.Statement)
    "report.proves.log": {
        "id": "Semua {records} rekaman, byte demi byte, ada di log {origin} pada ukuran {size} (akar {root}), "
              "sebagaimana ditandatangani kunci log dan disaksikan oleh: {witnesses}.",
        "en": "All {records} records are, byte for byte, in the log {origin} at size {size} (root {root}), "
              "as signed by the log key and cosigned by: {witnesses}."},
    "report.proves.signers": {
        "id": "Setiap rekaman ditandatangani penulisnya dan penanda tangan pendamping, masing-masing kunci akar "
              "buku besar {ledger} atau terdaftar melalui rantai rekaman pendaftaran sampai genesis, dan tidak "
              "dicabut di dalam berkas sebelum menandatangani.",
        "en": "Every record is signed by its author and co-signers, each a root of ledger {ledger} or enrolled "
              "by a chain of enrol records back to its genesis, and not revoked in the bundle before signing."},
    "report.proves.chains": {
        "id": "Rantai {items} barang yang dicakup tidak terputus dari pendaftaran sampai rekaman terakhirnya "
              "di dalam berkas, dan aturan kustodi terpenuhi di sepanjang rantai itu.",
        "en": "The chains of the {items} subject items are unbroken from registration to their last record in "
              "the bundle, and the custody rules hold along them."},
    "report.limits.other_records": {
        "id": "Tidak membuktikan bahwa tidak ada rekaman lain: rekaman berikutnya tentang barang yang dicakup, "
              "rekaman yang mencabangkan rantai, atau pencabutan kunci penanda tangan bisa ada di log tetapi "
              "tidak di dalam berkas.",
        "en": "It does not prove that no other records exist: a later record of a subject item, a record "
              "forking a chain, or a revocation of a signer could be in the log and not in the bundle."},
    "report.limits.outside": {
        "id": "Tidak menyatakan apa pun tentang barang di luar cakupan, walaupun berbagi rekaman dengannya.",
        "en": "It says nothing about items outside the subject, even those sharing a record with it."},
    "report.limits.truth": {
        "id": "Tidak membuktikan bahwa pernyataan penanda tangan (jumlah, kondisi, waktu) benar.",
        "en": "It does not prove that what the signers stated (counts, conditions, times) is true."},
    "report.limits.latest": {"id": "Tidak membuktikan bahwa checkpoint ini yang terbaru.",
                             "en": "It does not prove that the checkpoint is the latest of the log."},
    "report.proves.exporter": {
        "id": "{name} ({fingerprint}), kunci kpu buku besar ini, menandatangani manifes: subjek adalah jejak "
              "lengkap cakupan pada checkpoint itu.",
        "en": "{name} ({fingerprint}), a kpu key of this ledger, signed the manifest: the subject is the complete "
              "trail of the scope at the checkpoint."},
    "report.limits.anchors": {
        "id": "Tidak ada yang disematkan, jadi siapa pun bisa membuat berkas ini dengan kunci sendiri: tidak "
              "membuktikan bahwa buku besar {ledger} dan kunci lognya milik KPU. Cocokkan sidik kunci dengan yang "
              "diumumkan KPU, atau periksa dengan berkas kepercayaan mereka.",
        "en": "Nothing was pinned, so anyone could have made this bundle with keys of their own: it does not "
              "prove that ledger {ledger} and its log key are KPU's. Compare the fingerprints with those KPU "
              "published, or verify with their trust file."},
    "report.limits.witnesses": {
        "id": "Tidak membuktikan bahwa saksi penanda tangan checkpoint adalah Bawaslu: cocokkan kuncinya dengan "
              "yang diumumkan, atau sematkan.",
        "en": "It does not prove that the cosigning witnesses are Bawaslu's: compare their keys with the "
              "published ones, or pin them."},
    # CSV header (one row per record and item)
    "report.csv.index": {"id": "indeks", "en": "index"},
    "report.csv.record": {"id": "id_rekaman", "en": "record_id"},
    "report.csv.time_utc": {"id": "waktu_utc", "en": "time_utc"},
    "report.csv.time_local": {"id": "waktu_setempat", "en": "time_local"},
    "report.csv.type": {"id": "jenis_rekaman", "en": "record_type"},
    "report.csv.item": {"id": "barang", "en": "item"},
    "report.csv.author": {"id": "penanda_tangan", "en": "author"},
    "report.csv.author_key": {"id": "sidik_jari_penanda_tangan", "en": "author_fingerprint"},
    "report.csv.released": {"id": "diserahkan_oleh", "en": "released_by"},
    "report.csv.received": {"id": "diterima_oleh", "en": "received_by"},
    "report.csv.witnesses": {"id": "saksi_pengawal_menandatangani", "en": "witnesses_escorts_signed"},
    "report.csv.named_unsigned": {"id": "disebut_tidak_menandatangani", "en": "named_did_not_sign"},
    "report.csv.place": {"id": "tempat", "en": "place"},
    "report.csv.site": {"id": "lokasi", "en": "site"},
    "report.csv.declared_qty": {"id": "jumlah_dinyatakan", "en": "declared_qty"},
    "report.csv.observed_qty": {"id": "jumlah_diterima", "en": "observed_qty"},
    "report.csv.declared_seals": {"id": "segel_dinyatakan", "en": "declared_seals"},
    "report.csv.observed_seals": {"id": "segel_diterima", "en": "observed_seals"},
    "report.csv.condition": {"id": "kondisi", "en": "condition"},
    "report.csv.note": {"id": "catatan", "en": "note"},
    "report.csv.discrepancy": {"id": "selisih", "en": "discrepancy"},
    "report.csv.findings": {"id": "temuan", "en": "findings"},
    # bundle findings (codes of verifier.bundle), for reports and serah verify
    "finding.bundle.part_hash": {"id": "bagian {part}: SHA-256 tidak sama dengan manifest",
                                 "en": "part {part}: SHA-256 differs from the manifest"},
    "finding.bundle.no_genesis": {"id": "rekaman genesis (indeks 0) tidak ada di berkas",
                                  "en": "the genesis record (index 0) is not in the bundle"},
    "finding.bundle.ledger_id": {"id": "id genesis bukan id buku besar di manifest",
                                 "en": "the genesis id is not the manifest's ledger id"},
    "finding.bundle.ledger_name": {"id": "nama genesis bukan nama di manifest", "en": "the genesis name is not the manifest's"},
    "finding.bundle.checkpoint": {"id": "checkpoint tidak sah: {detail}", "en": "checkpoint invalid: {detail}"},
    "finding.bundle.origin": {"id": "asal checkpoint {origin} bukan nama buku besar",
                              "en": "checkpoint origin {origin} is not the ledger name"},
    "finding.bundle.cosignature": {"id": "tanda tangan saksi {witness} tidak sah: {detail}",
                                   "en": "cosignature of witness {witness} invalid: {detail}"},
    "finding.bundle.no_cosignature": {"id": "checkpoint tidak ditandatangani saksi mana pun",
                                      "en": "no witness cosigned the checkpoint"},
    "finding.bundle.inclusion": {"id": "rekaman tidak terbukti ada di checkpoint: {detail}",
                                 "en": "record not proven in the checkpoint: {detail}"},
    "finding.bundle.key_entry": {"id": "daftar kunci tidak sesuai dengan rekaman", "en": "the keys part does not match the records"},
    "finding.bundle.key_extra": {"id": "daftar kunci memuat kunci yang tidak ditetapkan rekaman mana pun",
                                 "en": "the keys part lists a key no record establishes"},
    "finding.bundle.prev_missing": {"id": "rekaman sebelumnya {prev} tidak ada di berkas",
                                    "en": "the previous record {prev} is not in the bundle"},
    "finding.bundle.register_missing": {"id": "rekaman pendaftarannya tidak ada di berkas",
                                        "en": "its register record is not in the bundle"},
    "finding.bundle.enrol_missing": {"id": "kunci bertindak di berkas tetapi pendaftarannya tidak ada",
                                     "en": "a key acts in the bundle but its enrolment is not in it"},
    "finding.bundle.pin_ledger": {"id": "id buku besar bukan yang disematkan", "en": "the ledger id is not the pinned one"},
    "finding.bundle.pin_root": {"id": "kunci akar yang disematkan bukan akar buku besar ini",
                                "en": "a pinned root key is not a root of this ledger"},
    "finding.bundle.pin_log": {"id": "kunci log bukan yang disematkan", "en": "the log key is not the pinned one"},
    "finding.bundle.contents_outside": {"id": "isi kotak menyebut {content}, yang tidak termasuk subjek",
                                        "en": "the box's contents name {content}, which is not in the subject"},
    "finding.bundle.unsigned": {
        "id": "manifes tidak ditandatangani: cakupan dan subjeknya hanya kata berkas ini, dan siapa pun yang "
              "mengubah berkas bisa mengubahnya",
        "en": "the manifest is not signed: its scope and subject are what the file says, and anyone who edited "
              "the file could have changed them"},
    "finding.bundle.signer": {
        "id": "manifes ditandatangani {key}, bukan kunci kpu aktif yang ditetapkan rekaman paket ini",
        "en": "the manifest is signed by {key}, not an active kpu key established by the bundle's records"},
    "finding.bundle.manifest_signature": {
        "id": "tanda tangan manifes tidak sah: manifes diubah setelah ditandatangani",
        "en": "the manifest's signature does not verify: the manifest was changed after signing"},
    "finding.bundle.scope_not_selected": {"id": "barang subjek tidak dipilih oleh cakupan manifes",
                                          "en": "the subject item is not selected by the manifest's scope"},
    "finding.bundle.scope_missing": {"id": "barang dipilih oleh cakupan manifes tetapi tidak ada di subjek",
                                     "en": "the item is selected by the manifest's scope but not in the subject"},
    "error.export_signer": {
        "id": "kunci {key} tidak dapat menandatangani paket ini: harus kunci kpu aktif yang pendaftarannya ada di paket",
        "en": "key {key} cannot sign this bundle: it must be an active kpu key whose enrolment the bundle carries"},
    "export.key.exporter": {"id": "penanda tangan ekspor", "en": "exporter"},
    "finding.bundle.pin_quorum": {"id": "{have} saksi yang disematkan menandatangani, dibutuhkan {quorum}",
                                  "en": "{have} pinned witnesses cosigned, quorum {quorum}"},
    "finding.bundle.unpinned": {
        "id": "tidak ada yang disematkan: siapa pun bisa membuat paket ini dengan kunci sendiri; cocokkan sidik "
              "kunci dengan yang diumumkan KPU dan Bawaslu, atau periksa dengan berkas kepercayaan mereka",
        "en": "nothing pinned: anyone could have made this bundle with keys of their own; compare the "
              "fingerprints with those KPU and Bawaslu published, or verify with their trust file"},
    "finding.bundle.pin_witness": {"id": "saksi yang disematkan {witness} tidak menandatangani",
                                   "en": "pinned witness {witness} did not cosign"},
}
