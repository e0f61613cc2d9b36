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
            "Contoh:\n"
            "  serah key show kpps-3101011001001\n"
            "  serah key show ./ppk-310101.pub"
        ),
        "en": (
            "Show the public key, its fingerprint (to read aloud) and the C2SP-style\n"
            "verifier key, for a NAME in the key folder or a .pub/.key file. No\n"
            "passphrase needed.\n"
            "\n"
            "Examples:\n"
            "  serah key show kpps-3101011001001\n"
            "  serah key show ./ppk-310101.pub"
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
    "key.key_file": {"id": "berkas kunci privat", "en": "private key file"},
    "key.public_file": {"id": "berkas kunci publik", "en": "public key file"},
    "key.created": {"id": "Kunci baru dibuat.", "en": "New key created."},
    "key.created_hint": {
        "id": "Serahkan berkas .pub ke KPU untuk didaftarkan dan bacakan sidik jarinya. Jangan bagikan berkas .key.",
        "en": "Hand the .pub file to KPU for enrolment and read the fingerprint aloud. Never share the .key file.",
    },
}
