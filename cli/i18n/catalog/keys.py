"""``serah key``: key pairs, passphrases, fingerprints."""

MESSAGES = {
    "cmd.key.short": {"id": "Buat atau tampilkan pasangan kunci tanda tangan.", "en": "Make or show a signing key pair."},
    "cmd.key": {
        "id": (
            "Kunci tanda tangan petugas (Ed25519).\n"
            "\n"
            "Kunci privat disimpan terenkripsi dengan frasa sandi (berkas .key, mode 0600);\n"
            "kunci publik (berkas .pub) diberikan ke KPU untuk didaftarkan. Sidik jari\n"
            "20 angka dibacakan untuk memastikan kunci yang didaftarkan benar milik Anda."
        ),
        "en": (
            "Custodian signing keys (Ed25519).\n"
            "\n"
            "The private key is stored encrypted under a passphrase (.key file, mode 0600);\n"
            "the public key (.pub file) goes to KPU for enrolment. The 20-digit\n"
            "fingerprint is read aloud to confirm the enrolled key is really yours."
        ),
    },
    "cmd.key.upgrade.short": {"id": "Tulis ulang berkas kunci lama dengan enkripsi sekarang.",
                              "en": "Rewrite an old key file with today's encryption."},
    "cmd.key.upgrade": {
        "id": (
            "Tulis ulang berkas kunci lama (PKCS#8, atau biaya scrypt lebih rendah) dalam format\n"
            "SPEC 7.2 (scrypt): kunci sama, frasa sandi sama (harus cukup kuat). Berkas baru\n"
            "diperiksa dulu, baru menggantikan yang lama.\n"
            "\n"
            "Contoh:\n"
            "  serah key upgrade kpps-3101011001001"
        ),
        "en": (
            "Rewrite an old key file (PKCS#8, or a lower scrypt cost) in the SPEC 7.2 format\n"
            "(scrypt): same key, same passphrase (which must be strong enough). The new file\n"
            "is checked before it replaces the old one.\n"
            "\n"
            "Example:\n"
            "  serah key upgrade kpps-3101011001001"
        ),
    },
    "key.upgraded": {"id": "berkas kunci ditulis ulang (scrypt): {path}, sidik jari {fingerprint}",
                     "en": "key file rewritten (scrypt): {path}, fingerprint {fingerprint}"},
    "key.upgrade_current": {"id": "berkas kunci sudah dalam format sekarang: {path}",
                            "en": "the key file is already in the current format: {path}"},
    "cmd.key.new.short": {"id": "Buat pasangan kunci baru (terenkripsi).", "en": "Make a new (encrypted) key pair."},
    "cmd.key.new": {
        "id": (
            "Buat pasangan kunci baru bernama NAMA di $SERAH_HOME/keys (bawaan ~/.serah/keys):\n"
            "NAMA.key terenkripsi dengan frasa sandi yang Anda ketik (tidak ditampilkan), dan\n"
            "berkas .pub untuk didaftarkan. Kunci yang sudah ada tidak pernah ditimpa.\n"
            "\n"
            "Contoh:\n"
            "  serah key new kpps-3101011001001\n"
            "  serah key new ppk-310101 --label \"Siti Aminah, PPK Kep. Seribu Utara\""
        ),
        "en": (
            "Make a new key pair called NAME in $SERAH_HOME/keys (default ~/.serah/keys):\n"
            "NAME.key, encrypted under the passphrase you type (never shown), and a .pub\n"
            "file to hand in for enrolment. An existing key is never overwritten.\n"
            "\n"
            "Examples:\n"
            "  serah key new kpps-3101011001001\n"
            "  serah key new ppk-310101 --label \"Siti Aminah, PPK Kep. Seribu Utara\""
        ),
    },
    "cmd.key.show.short": {"id": "Tampilkan kunci publik dan sidik jarinya.", "en": "Show a public key and its fingerprint."},
    "cmd.key.show": {
        "id": (
            "Tampilkan kunci publik, sidik jari (untuk dibacakan), dan kunci verifikasi\n"
            "gaya C2SP dari sebuah NAMA di folder kunci atau sebuah berkas .pub/.key.\n"
            "Tidak perlu frasa sandi.\n"
            "\n"
            "Dengan --note-name, kunci verifikasi memakai nama itu (name+keyhash+base64key):\n"
            "untuk kunci log, nama genesis buku besar; dengan --for-witness, kunci saksi\n"
            "(cosignature/v1). Inilah baris yang disematkan auditor (serah verify --log-vkey,\n"
            "--witness-vkey).\n"
            "\n"
            "Contoh:\n"
            "  serah key show kpps-3101011001001\n"
            "  serah key show ./ppk-310101.pub\n"
            "  serah key show kpu-log --note-name serah.kpu.go.id/3101/pemilu-2024\n"
            "  serah key show bawaslu-w1 --note-name bawaslu.go.id/3101/w1 --for-witness"
        ),
        "en": (
            "Show the public key, its fingerprint (to read aloud) and the C2SP-style\n"
            "verifier key, for a NAME in the key folder or a .pub/.key file. No\n"
            "passphrase needed.\n"
            "\n"
            "With --note-name, the verifier key is made under that name\n"
            "(name+keyhash+base64key): for the log key, the ledger's genesis name; with\n"
            "--for-witness, a witness (cosignature/v1) key. This is the line auditors pin\n"
            "(serah verify --log-vkey, --witness-vkey).\n"
            "\n"
            "Examples:\n"
            "  serah key show kpps-3101011001001\n"
            "  serah key show ./ppk-310101.pub\n"
            "  serah key show kpu-log --note-name serah.kpu.go.id/3101/pemilu-2024\n"
            "  serah key show bawaslu-w1 --note-name bawaslu.go.id/3101/w1 --for-witness"
        ),
    },
    "opt.key_dir": {"id": "Folder tujuan (bawaan $SERAH_HOME/keys).", "en": "Target folder (default $SERAH_HOME/keys)."},
    "opt.key_label": {
        "id": "Nama orang/jabatan yang ditulis di berkas .pub (bawaan: NAMA).",
        "en": "Person/office written into the .pub file (default: NAME).",
    },
    "key.passphrase_prompt": {"id": "Frasa sandi untuk kunci {name}", "en": "Passphrase for key {name}"},
    "key.passphrase_repeat": {"id": "Ulangi frasa sandi", "en": "Repeat the passphrase"},
    "key.name": {"id": "nama", "en": "name"},
    "key.public": {"id": "kunci publik", "en": "public key"},
    "key.fingerprint": {"id": "sidik jari", "en": "fingerprint"},
    "key.verifier_key": {"id": "kunci verifikasi (C2SP)", "en": "verifier key (C2SP)"},
    "key.verifier_key_log": {"id": "kunci verifikasi log (C2SP)", "en": "log verifier key (C2SP)"},
    "key.verifier_key_witness": {"id": "kunci verifikasi saksi (C2SP)", "en": "witness verifier key (C2SP)"},
    "opt.note_name": {
        "id": "Nama kunci signed-note untuk kunci verifikasi (kunci log: nama genesis buku besar).",
        "en": "Signed-note key name for the verifier key (log key: the ledger's genesis name).",
    },
    "opt.note_witness": {
        "id": "Kunci verifikasi saksi (tipe 0x04, cosignature/v1) alih-alih kunci log (0x01).",
        "en": "A witness verifier key (type 0x04, cosignature/v1) instead of a log key (0x01).",
    },
    "error.bad_note_name": {
        "id": "nama kunci tidak sah untuk signed note: '{name}' (tidak boleh kosong, berisi spasi atau '+')",
        "en": "invalid signed-note key name: '{name}' (must be non-empty, without spaces or '+')",
    },
    "error.witness_needs_note_name": {
        "id": "--for-witness perlu --note-name (nama saksi)",
        "en": "--for-witness needs --note-name (the witness's name)",
    },
    "key.key_file": {"id": "berkas kunci privat", "en": "private key file"},
    "key.public_file": {"id": "berkas kunci publik", "en": "public key file"},
    "key.created": {"id": "Kunci baru dibuat.", "en": "New key created."},
    "key.created_hint": {
        "id": "Serahkan berkas .pub ke KPU untuk didaftarkan dan bacakan sidik jarinya. Jangan bagikan berkas .key.",
        "en": "Hand the .pub file to KPU for enrolment and read the fingerprint aloud. Never share the .key file.",
    },
}
