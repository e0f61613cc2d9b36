"""``serah init``, ``enroll``, ``revoke``."""

MESSAGES = {
    "cmd.init.short": {"id": "Buat buku besar baru (rekaman genesis).", "en": "Create a new ledger (genesis record)."},
    "cmd.init": {
        "id": (
            "Buat buku besar baru: rekaman genesis yang menetapkan kunci akar KPU, nama\n"
            "buku besar, pemilu dan hari pemungutan suara (batas H-1 dihitung darinya).\n"
            "Setiap kunci akar ikut menandatangani; bila --root tidak diberikan, kunci Anda\n"
            "(--as/--key) menjadi satu-satunya akar.\n"
            "\n"
            "Contoh:\n"
            "  serah --db kepseribu.sqlite init --root ~/.serah/keys/kpu-ri.key \\\n"
            "      --ledger-name serah.kpu.go.id/3101/pemilu-2024 --election \"Pemilu 2024\" --vote-date 2024-02-14"
        ),
        "en": (
            "Create a new ledger: the genesis record that fixes the KPU root keys, the\n"
            "ledger's name, the election and the voting day (the H-1 deadline follows\n"
            "from it). Every root key co-signs; without --root, your key (--as/--key)\n"
            "is the only root.\n"
            "\n"
            "Example:\n"
            "  serah --db kepseribu.sqlite init --root ~/.serah/keys/kpu-ri.key \\\n"
            "      --ledger-name serah.kpu.go.id/3101/pemilu-2024 --election \"Pemilu 2024\" --vote-date 2024-02-14"
        ),
    },
    "cmd.enroll.short": {"id": "Daftarkan kunci petugas dengan peran dan wilayahnya.", "en": "Enrol a custodian's key with role and region."},
    "cmd.enroll": {
        "id": (
            "Daftarkan kunci publik seorang petugas: perannya (kpu, printer, ppk, pps,\n"
            "kpps, escort, witness), wilayah tugasnya (kode wilayah KPU, misalnya 310101\n"
            "untuk PPK Kep. Seribu Utara), nama dan lembaganya. Hanya kunci KPU yang\n"
            "wilayahnya mencakup wilayah itu yang boleh mendaftarkan.\n"
            "\n"
            "Contoh:\n"
            "  serah enroll ppk-310101 --role ppk --region 310101 \\\n"
            "      --person \"Siti Aminah\" --org \"PPK Kepulauan Seribu Utara\" --as kpu-3101"
        ),
        "en": (
            "Enrol a custodian's public key: role (kpu, printer, ppk, pps, kpps, escort,\n"
            "witness), jurisdiction (a KPU region code, e.g. 310101 for the PPK of\n"
            "Kep. Seribu Utara), name and organisation. Only a KPU key whose region\n"
            "covers that region may enrol.\n"
            "\n"
            "Example:\n"
            "  serah enroll ppk-310101 --role ppk --region 310101 \\\n"
            "      --person \"Siti Aminah\" --org \"PPK Kepulauan Seribu Utara\" --as kpu-3101"
        ),
    },
    "cmd.revoke.short": {"id": "Cabut kunci petugas (hilang, dicuri, diganti).", "en": "Revoke a custodian's key (lost, stolen, replaced)."},
    "cmd.revoke": {
        "id": (
            "Cabut kunci seorang petugas. Sejak rekaman ini, kunci itu tidak boleh lagi\n"
            "menandatangani; rekaman lamanya tetap sah.\n"
            "\n"
            "Contoh:\n"
            "  serah revoke kpps-3101011001001 --reason \"ponsel hilang\" --as kpu-3101"
        ),
        "en": (
            "Revoke a custodian's key. From this record on the key may no longer sign;\n"
            "its earlier records stay valid.\n"
            "\n"
            "Example:\n"
            "  serah revoke kpps-3101011001001 --reason \"phone lost\" --as kpu-3101"
        ),
    },
    "opt.root": {"id": "Berkas kunci akar KPU (boleh diulang).", "en": "A KPU root key file (repeatable)."},
    "opt.ledger_name": {
        "id": "Nama buku besar, mis. serah.kpu.go.id/3101/pemilu-2024.",
        "en": "Ledger name, e.g. serah.kpu.go.id/3101/pemilu-2024.",
    },
    "opt.election": {"id": "Nama pemilu, mis. \"Pemilu 2024\".", "en": "Election name, e.g. \"Pemilu 2024\"."},
    "opt.vote_date": {"id": "Hari pemungutan suara (YYYY-MM-DD).", "en": "Voting day (YYYY-MM-DD)."},
    "opt.utc_offset": {"id": "Zona waktu dalam menit dari UTC (WIB = 420).", "en": "Time zone in minutes east of UTC (WIB = 420)."},
    "opt.role": {"id": "Peran petugas.", "en": "The custodian's role."},
    "opt.region": {"id": "Kode wilayah tugas (tanpa titik atau format Kemendagri).", "en": "Jurisdiction region code (undotted or Kemendagri dotted)."},
    "opt.person": {"id": "Nama orang pemegang kunci.", "en": "The key holder's name."},
    "opt.org": {"id": "Lembaga, mis. \"KPU Kab. Adm. Kepulauan Seribu\".", "en": "Organisation, e.g. \"KPU Kab. Adm. Kepulauan Seribu\"."},
    "opt.reason": {"id": "Alasan, dicatat di rekaman.", "en": "The reason, written into the record."},
}
