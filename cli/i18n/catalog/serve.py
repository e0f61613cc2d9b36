"""``serah serve``, ``--server`` and ``serah handover queue``: help, output and errors."""

MESSAGES = {
    "cmd.serve.short": {
        "id": "Jalankan buku besar sebagai layanan jaringan.",
        "en": "Run the ledger as a network service.",
    },
    "cmd.serve": {
        "id": (
            "Jalankan buku besar sebagai layanan HTTP: hanya proses ini yang membuka\n"
            "basis data. Petugas memakai 'serah --server URL ...' (atau SERAH_SERVER):\n"
            "rekaman ditandatangani di komputer mereka sendiri, lalu dikirim; server\n"
            "memeriksa tanda tangan, pendaftaran kunci dan semua aturan penjagaan\n"
            "terhadap keadaan yang diturunkan dari rekaman bertanda tangan saja, lalu\n"
            "mencatatnya berkelompok dan membalas dengan tanda terima yang\n"
            "ditandatangani kunci log (--log-key, kunci yang menandatangani checkpoint).\n"
            "TLS: pasang reverse proxy, atau --tls-cert dan --tls-key.\n"
            "\n"
            "Contoh:\n"
            "  serah --db serah-demo.sqlite serve --log-key ~/.serah/keys/kpu-log.key\n"
            "  serah --server http://127.0.0.1:8080 status KS-3101021003002-DPD-SS"
        ),
        "en": (
            "Run the ledger as an HTTP service: only this process opens the database.\n"
            "Custodians use 'serah --server URL ...' (or SERAH_SERVER): records are\n"
            "signed on their own machine, then submitted; the server checks the\n"
            "signatures, enrolment and every custody rule against state derived from\n"
            "signed records only, appends in batches, and answers with a receipt\n"
            "signed by the log key (--log-key, the key that signs checkpoints).\n"
            "TLS: put a reverse proxy in front, or give --tls-cert and --tls-key.\n"
            "\n"
            "Example:\n"
            "  serah --db serah-demo.sqlite serve --log-key ~/.serah/keys/kpu-log.key\n"
            "  serah --server http://127.0.0.1:8080 status KS-3101021003002-DPD-SS"
        ),
    },
    "cmd.handover.queue.short": {
        "id": "Kirim semua berkas serah terima yang belum bertanda terima.",
        "en": "Submit every handover file that has no receipt yet.",
    },
    "cmd.handover.queue": {
        "id": (
            "Kirim ke server (--server) setiap berkas *.serah di FOLDER yang belum punya\n"
            "tanda terima untuk setiap rekamannya: kotak keluar petugas yang bekerja\n"
            "tanpa sambungan. Tanda terima disimpan di samping berkasnya. Berkas yang\n"
            "ditolak disebutkan satu baris, yang lain tetap dikirim (status keluar 3).\n"
            "\n"
            "Contoh:\n"
            "  serah --server https://serah.kpu.go.id handover queue ~/keluar"
        ),
        "en": (
            "Submit to the server (--server) every *.serah file in FOLDER without a\n"
            "receipt for each of its records: the outbox of a custodian who worked\n"
            "offline. Receipts are kept next to their files. A refused file is named\n"
            "in one line and the others are still sent (exit status 3).\n"
            "\n"
            "Example:\n"
            "  serah --server https://serah.kpu.go.id handover queue ~/outbox"
        ),
    },
    "opt.server": {
        "id": "Pakai buku besar di server 'serah serve' ini, bukan berkas lokal (env SERAH_SERVER).",
        "en": "Use the ledger of this 'serah serve' server, not a local file (env SERAH_SERVER).",
    },
    "opt.listen": {"id": "Alamat dan port yang didengarkan.", "en": "Address and port to listen on."},
    "opt.log_key": {
        "id": "Berkas kunci log (menandatangani tanda terima; sama dengan kunci checkpoint).",
        "en": "The log key file (signs receipts; the same key as checkpoints).",
    },
    "opt.max_body": {"id": "Ukuran badan permintaan terbesar.", "en": "Largest request body."},
    "opt.future_tolerance": {
        "id": "Rekaman bertanggal lebih dari sekian detik di depan jam server ditolak.",
        "en": "Records dated more than this many seconds ahead of the server clock are refused.",
    },
    "opt.rate": {"id": "Kiriman per detik per kunci penanda tangan.", "en": "Submissions per second per signing key."},
    "opt.burst": {"id": "Kiriman sekaligus per kunci.", "en": "Submissions at once per key."},
    "opt.serve_witness_key": {
        "id": "Kunci verifikasi saksi (cosignature/v1) yang cosignature-nya disajikan di /checkpoint; boleh berulang.",
        "en": "A witness verifier key (cosignature/v1) whose cosignatures /checkpoint serves; repeatable.",
    },
    "opt.checkpoint_every": {
        "id": "Tanda tangani checkpoint log sekian detik sekali bila log bertambah (0: tanpa pewaktu).",
        "en": "Sign a checkpoint of the log every this many seconds when it grew (0: no timer).",
    },
    "opt.checkpoint_records": {
        "id": "... dan segera setelah sekian catatan baru, mana yang lebih dulu (0: tidak menghitung; "
              "keduanya 0: hanya serah checkpoint).",
        "en": "... and as soon as this many new records were added, whichever comes first (0: no count; "
              "both 0: only serah checkpoint).",
    },
    "opt.new_log_key": {
        "id": "Izinkan kunci log yang berbeda dari penanda tangan checkpoint terakhir (beri tahu para saksi).",
        "en": "Allow a log key other than the one that signed the newest checkpoint (tell the witnesses).",
    },
    "opt.tls_cert": {"id": "Sertifikat TLS (PEM).", "en": "TLS certificate (PEM)."},
    "opt.tls_key": {"id": "Kunci privat TLS (PEM).", "en": "TLS private key (PEM)."},
    "opt.serve_quiet": {"id": "Hanya catat peringatan, tanpa log akses.", "en": "Log warnings only, no access log."},
    "out.serving": {
        "id": "melayani {origin} ({size} rekaman) di {url}",
        "en": "serving {origin} ({size} records) at {url}",
    },
    "out.not_derived": {
        "id": "PERINGATAN: baris rekaman di posisi {position} ({id}) tidak dipercaya: {reason}",
        "en": "WARNING: record row at position {position} ({id}) not believed: {reason}",
    },
    "out.queue_submitted": {"id": "terkirim: {file}", "en": "submitted: {file}"},
    "out.queue_refused": {"id": "ditolak: {file}: {reason}", "en": "refused: {file}: {reason}"},
    "out.queue_done": {"id": "{n} berkas terkirim, {refused} ditolak", "en": "{n} files submitted, {refused} refused"},
    # --- errors
    "error.bad_listen": {"id": "--listen {value}: tulis HOST:PORT", "en": "--listen {value}: write HOST:PORT"},
    "error.bad_server": {
        "id": "--server {server}: tulis URL http:// atau https://",
        "en": "--server {server}: give an http:// or https:// URL",
    },
    "error.server_unreachable": {
        "id": "server {server} tidak dapat dihubungi ({detail}); berkas tetap tersimpan, kirim lagi nanti",
        "en": "server {server} cannot be reached ({detail}); files are kept, submit again later",
    },
    "error.server_answer": {
        "id": "jawaban server tidak dapat dipakai (HTTP {status}: {detail})",
        "en": "unusable answer from the server (HTTP {status}: {detail})",
    },
    "error.serve_remote": {
        "id": "serah serve membuka basis data sendiri: jangan pakai --server",
        "en": "serah serve opens the database itself: do not give --server",
    },
    "error.queue_needs_server": {
        "id": "handover queue mengirim ke server: beri --server URL atau SERAH_SERVER",
        "en": "handover queue submits to a server: give --server URL or SERAH_SERVER",
    },
    "error.not_a_folder": {"id": "{path} bukan folder", "en": "{path} is not a folder"},
    "error.not_over_server": {
        "id": "perintah ini membaca basis data langsung; jalankan di server, tanpa --server",
        "en": "this command reads the database directly; run it on the server, without --server",
    },
    "error.future_record": {
        "id": "waktu rekaman {ahead} detik di depan jam server (paling banyak {tolerance} detik); periksa jam komputer",
        "en": "the record's time is {ahead} s ahead of the server's clock (at most {tolerance} s); check this computer's clock",
    },
    "error.too_large": {
        "id": "kiriman lebih besar dari {limit} bita",
        "en": "the submission is larger than {limit} bytes",
    },
    "error.malformed_submission": {
        "id": "bukan rekaman atau berkas serah terima Serah: {detail}",
        "en": "not a Serah record or handover file: {detail}",
    },
    "error.busy": {"id": "server sedang sibuk; coba lagi dalam {retry} detik", "en": "the server is busy; retry in {retry} s"},
    "error.rate_limited": {
        "id": "terlalu banyak kiriman oleh kunci {key}; coba lagi dalam {retry} detik",
        "en": "too many submissions signed by {key}; retry in {retry} s",
    },
    "error.not_derived": {
        "id": "rekaman {record} tersimpan tetapi tidak lolos pemeriksaan: {reason}",
        "en": "record {record} is stored but did not pass the checks: {reason}",
    },
    "error.storage_mismatch": {
        "id": "basis data tidak sesuai dengan rekaman bertanda tangan ({detail}); kiriman tidak dicatat",
        "en": "the database disagrees with the signed records ({detail}); the submission was not written",
    },
    "error.internal_server": {
        "id": "galat di dalam server; kiriman dapat dicoba lagi",
        "en": "a fault inside the server; the submission may be retried",
    },
}
