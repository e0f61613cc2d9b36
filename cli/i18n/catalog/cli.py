"""Root command, global options, usage errors, shared output words."""

MESSAGES = {
    # --- click scaffolding ---------------------------------------------------------
    "cli.usage": {"id": "Penggunaan:", "en": "Usage:"},
    "cli.options": {"id": "Opsi", "en": "Options"},
    "cli.commands": {"id": "Perintah", "en": "Commands"},
    "cli.help_option": {"id": "Tampilkan bantuan ini lalu keluar.", "en": "Show this message and exit."},
    "cli.error_prefix": {"id": "galat: ", "en": "error: "},
    "opt.force_output": {
        "id": "Timpa berkas keluaran yang sudah ada (buku besar dan berkas -wal/-shm-nya tidak pernah).",
        "en": "Replace an existing output file (never the ledger or its -wal/-shm files)."},
    # --- the root command ---------------------------------------------------------
    "cmd": {
        "id": (
            "Serah: buku besar serah terima logistik pemilu.\n"
            "\n"
            "Setiap perpindahan surat suara, kotak suara, segel dan formulir dicatat\n"
            "sebagai rekaman bertanda tangan: pemberi menyiapkan serah terima, penerima\n"
            "memeriksa barang lalu menerima (atau menolak), pengawal dan saksi ikut\n"
            "menandatangani. Rekaman tidak pernah diubah atau dihapus; Bawaslu dapat\n"
            "memeriksa seluruh buku besar secara mandiri.\n"
            "\n"
            "Contoh:\n"
            "  serah demo                          simulasi Pemilu 2024 di Kepulauan Seribu\n"
            "  serah key new kpps-3101011001001    buat pasangan kunci Anda\n"
            "  serah handover accept serah-terima.serah --as kpps-3101011001001\n"
            "  serah status KS-3101011001001-PPWP"
        ),
        "en": (
            "Serah: a chain-of-custody ledger for election logistics.\n"
            "\n"
            "Every move of ballots, ballot boxes, seals and forms is recorded as a\n"
            "signed record: the giver prepares a handover, the receiver checks what\n"
            "arrived and accepts (or refuses), escorts and witnesses co-sign. Records\n"
            "are never changed or deleted; Bawaslu can check the whole ledger\n"
            "independently.\n"
            "\n"
            "Examples:\n"
            "  serah demo                          the Kepulauan Seribu 2024 election, simulated\n"
            "  serah key new kpps-3101011001001    make your key pair\n"
            "  serah handover accept handover.serah --as kpps-3101011001001\n"
            "  serah status KS-3101011001001-PPWP"
        ),
    },
    "cmd.epilog": {
        "id": (
            "Kode keluar:\n"
            "  0   berhasil\n"
            "  1   verifikasi menemukan temuan (galat atau peringatan)\n"
            "  2   penggunaan salah atau masukan tak terpakai (berkas/CSV rusak, barang tak dikenal)\n"
            "  3   ditolak aturan serah terima (bukan pemegang, kunci dicabut, di luar wilayah, ...)\n"
            "  4   tanda tangan tidak sah, rekaman diubah, atau diputar ulang\n"
            "  5   konflik: penulis lain lebih dulu; ulangi\n"
            "  6   masalah kunci atau frasa sandi\n"
            "  70  galat internal (bug): jalankan ulang dengan SERAH_DEBUG=1\n"
            "  130 dihentikan (Ctrl-C)\n"
            "\n"
            "Lingkungan: SERAH_DB, SERAH_LANG (id|en), SERAH_HOME (folder kunci, bawaan ~/.serah),\n"
            "SERAH_AS / SERAH_KEY, SERAH_PASSPHRASE (untuk skrip), SERAH_DEBUG."
        ),
        "en": (
            "Exit codes:\n"
            "  0   ok\n"
            "  1   verification found findings (errors or warnings)\n"
            "  2   usage error or unusable input (bad file or CSV, unknown item)\n"
            "  3   refused by the custody rules (not the holder, revoked key, wrong region, ...)\n"
            "  4   bad signature, tampered or replayed record\n"
            "  5   conflict: another writer came first; retry\n"
            "  6   key or passphrase problem\n"
            "  70  internal error (a bug): rerun with SERAH_DEBUG=1\n"
            "  130 interrupted (Ctrl-C)\n"
            "\n"
            "Environment: SERAH_DB, SERAH_LANG (id|en), SERAH_HOME (key folder, default ~/.serah),\n"
            "SERAH_AS / SERAH_KEY, SERAH_PASSPHRASE (for scripts), SERAH_DEBUG."
        ),
    },
    # --- global options -------------------------------------------------------------
    "opt.db": {
        "id": "Buku besar: berkas SQLite atau URL postgresql:// (env SERAH_DB).",
        "en": "The ledger: a SQLite file or a postgresql:// URL (env SERAH_DB).",
    },
    "opt.lang": {
        "id": "Bahasa keluaran: id atau en (env SERAH_LANG, lalu locale).",
        "en": "Output language: id or en (env SERAH_LANG, then the locale).",
    },
    "opt.json": {"id": "Keluaran JSON untuk mesin.", "en": "Machine-readable JSON output."},
    "opt.key": {"id": "Berkas kunci privat Anda (env SERAH_KEY).", "en": "Your private key file (env SERAH_KEY)."},
    "opt.as": {
        "id": "Nama kunci Anda di $SERAH_HOME/keys (env SERAH_AS).",
        "en": "Your key's name in $SERAH_HOME/keys (env SERAH_AS).",
    },
    # --- usage errors ------------------------------------------------------------------
    "usage.line": {"id": "{detail} (lihat: {command} --help)", "en": "{detail} (see: {command} --help)"},
    "usage.missing": {"id": "{name} wajib diisi", "en": "{name} is required"},
    "usage.no_such_option": {"id": "opsi tidak dikenal: {name}", "en": "no such option: {name}"},
    "usage.no_such_command": {"id": "perintah tidak dikenal: {name}", "en": "no such command: {name}"},
    "usage.bad_value": {"id": "nilai tidak sah untuk {name}: {detail}", "en": "invalid value for {name}: {detail}"},
    # --- shared output words --------------------------------------------------------------
    "out.yes": {"id": "ya", "en": "yes"},
    "out.time_out_of_range": {"id": "(waktu di luar jangkauan kalender: {ms} ms)", "en": "(time beyond any calendar: {ms} ms)"},
    "out.no": {"id": "tidak", "en": "no"},
    "out.recorded": {"id": "tercatat: {type} {id}", "en": "recorded: {type} {id}"},
    "out.revoked": {"id": "[DICABUT]", "en": "[REVOKED]"},
    "col.item": {"id": "barang", "en": "item"},
    "col.kind": {"id": "jenis", "en": "kind"},
    "col.condition": {"id": "kondisi", "en": "condition"},
    "cli.required": {"id": "wajib", "en": "required"},
    "cli.default": {"id": "bawaan", "en": "default"},
    "cli.usage_options": {"id": "[OPSI]", "en": "[OPTIONS]"},
    "cli.usage_command": {"id": "PERINTAH", "en": "COMMAND"},
    "cli.usage_args": {"id": "[ARGUMEN]...", "en": "[ARGS]..."},
    "col.election": {"id": "pemilihan", "en": "election"},
    "col.dapil": {"id": "dapil", "en": "district"},
    "col.label": {"id": "label", "en": "label"},
    "col.dest": {"id": "tujuan", "en": "destination"},
    "col.qty": {"id": "jumlah", "en": "qty"},
    "col.state": {"id": "status", "en": "state"},
    "col.holder": {"id": "pemegang", "en": "holder"},
    "col.location": {"id": "lokasi", "en": "location"},
    "col.seals": {"id": "segel", "en": "seals"},
    "col.container": {"id": "dalam kotak", "en": "in box"},
    "col.contents": {"id": "isi", "en": "contents"},
    "col.pending": {"id": "serah terima terbuka", "en": "open handover"},
    "col.head": {"id": "rekaman terakhir", "en": "last record"},
    "col.position": {"id": "no.", "en": "pos."},
    "col.head_position": {"id": "no. rekaman terakhir", "en": "last record pos."},
    "col.time": {"id": "waktu", "en": "time"},
    "col.type": {"id": "rekaman", "en": "record"},
    "col.author": {"id": "penanda tangan", "en": "signed by"},
    "col.summary": {"id": "ringkasan", "en": "summary"},
    "state.held": {"id": "dipegang", "en": "held"},
    "state.transit": {"id": "dalam perjalanan", "en": "in transit"},
    "state.lost": {"id": "hilang", "en": "lost"},
    "state.destroyed": {"id": "dimusnahkan", "en": "destroyed"},
    "state.voided": {"id": "dibatalkan", "en": "voided"},
    "state.packed": {"id": "dikemas", "en": "packed"},
}
