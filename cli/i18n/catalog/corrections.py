"""Corrections: withdrawing a handover, voiding a registration, and the
refusals that protect them (SPEC 4.16, 4.17)."""

MESSAGES = {
    "cmd.handover.withdraw.short": {"id": "Tarik kembali serah terima yang belum dijawab (oleh pemberi).",
                                    "en": "Take back a handover nobody answered (by the giver)."},
    "cmd.handover.withdraw": {
        "id": (
            "Pemberi menarik kembali serah terima yang sudah disiapkan tetapi belum\n"
            "diterima atau ditolak: barang tidak lagi dalam perjalanan dan tetap pada\n"
            "pemberi. Dicatat sebagai rekaman baru bertanda tangan (SPEC 4.16); rekaman\n"
            "penyerahan tetap ada, tidak diubah. FILE|ID: berkas .serah, atau nomor\n"
            "serah terima (64 digit, atau 16 digit yang dicetak perintah).\n"
            "\n"
            "Contoh:\n"
            "  serah handover withdraw ke-ppk.serah --reason \"kapal batal berangkat\" --as kpu-3101\n"
            "  serah handover withdraw 9e6d4e8536419432 --reason \"salah penerima\" --as kpu-3101"
        ),
        "en": (
            "The giver takes back a handover that was prepared but neither accepted\n"
            "nor refused: the items are no longer in transit and stay with the giver.\n"
            "Written as a new signed record (SPEC 4.16); the prepare stays as it was.\n"
            "FILE|ID: the .serah file, or the handover's id (64 digits, or the 16 that\n"
            "commands print).\n"
            "\n"
            "Examples:\n"
            "  serah handover withdraw to-ppk.serah --reason \"boat cancelled\" --as kpu-3101\n"
            "  serah handover withdraw 9e6d4e8536419432 --reason \"wrong receiver\" --as kpu-3101"
        ),
    },
    "cmd.item.void.short": {"id": "Batalkan pendaftaran barang yang keliru.",
                            "en": "Void a mistaken registration."},
    "cmd.item.void": {
        "id": (
            "Batalkan pendaftaran BARANG yang keliru (tujuan salah, salah ketik) selama\n"
            "belum ada rekaman lain sesudahnya. Dicatat sebagai rekaman baru bertanda\n"
            "tangan (SPEC 4.17); pendaftarannya tetap ada, barang itu tidak dapat\n"
            "dipakai lagi. Daftarkan barang yang benar dengan nomor baru.\n"
            "\n"
            "Contoh:\n"
            "  serah item void KS-3101011001009-PPWP --reason \"salah tujuan TPS\" --as kpu-3101"
        ),
        "en": (
            "Void the mistaken registration of ITEMs (wrong destination, a typing\n"
            "error) as long as no other record followed it. Written as a new signed\n"
            "record (SPEC 4.17); the registration stays, the item can never be used.\n"
            "Register the right item under a new id.\n"
            "\n"
            "Example:\n"
            "  serah item void KS-3101011001009-PPWP --reason \"wrong TPS\" --as kpu-3101"
        ),
    },
    "opt.refuse_item": {"id": "Tolak barang ini dan terima sisanya, dalam satu rekaman (boleh diulang; perlu --reason).",
                        "en": "Refuse this item and accept the others, in one record (repeatable; needs --reason)."},
    "opt.refuse_reason": {"id": "Alasan penolakan barang --refuse.", "en": "Why the --refuse items are refused."},
    "error.refuse_needs_reason": {"id": "--refuse perlu --reason (alasan penolakan)",
                                  "en": "--refuse needs --reason (why they are refused)"},
    "error.refused_and_observed": {"id": "barang {item} ditolak (--refuse) sekaligus diamati; pilih salah satu",
                                   "en": "item {item} is both refused (--refuse) and observed; choose one"},
    "out.refused_items": {"id": "ditolak: {items} ({reason})", "en": "refused: {items} ({reason})"},
    "report.outcome.partial": {"id": "diterima SEBAGIAN", "en": "PARTLY accepted"},
    "report.refused_line": {"id": "DITOLAK", "en": "REFUSED"},
    "out.enrolled_fingerprint": {"id": "terdaftar: {name} ({role}), sidik jari {fingerprint}: bacakan dan cocokkan",
                                 "en": "enrolled: {name} ({role}), fingerprint {fingerprint}: read it aloud and compare"},
    "opt.incoming": {"id": "Hanya barang yang sedang dikirim kepada petugas ini.", "en": "Only items on their way to this custodian."},
    "out.incoming": {"id": "Sedang dikirim kepada Anda: {n} barang (terima: serah handover accept ID)",
                     "en": "On their way to you: {n} items (accept: serah handover accept ID)"},
    "out.col.giver": {"id": "pemberi", "en": "giver"},
    "out.col.handover": {"id": "serah terima", "en": "handover"},
    "out.registered_n": {"id": "{n} barang terdaftar", "en": "{n} items registered"},
    "error.csv_bad_lines": {"id": "{n} baris CSV salah, tidak ada yang didaftarkan: {lines}",
                            "en": "{n} bad CSV lines, nothing registered: {lines}"},
    "out.withdrawn": {"id": "serah terima ditarik kembali; rekaman {id}", "en": "handover withdrawn; record {id}"},
    "error.handover_ref": {
        "id": "{value} bukan berkas serah terima maupun nomor serah terima (64 atau 16 digit heksadesimal)",
        "en": "{value} is neither a handover file nor a handover id (64 or 16 hexadecimal digits)",
    },
    "error.handover_ref_unknown": {
        "id": "tidak ada serah terima terbuka bernomor {value} (sudah dijawab, atau salah ketik?)",
        "en": "no open handover has the id {value} (already answered, or mistyped?)",
    },
    "error.not_the_giver": {
        "id": "serah terima {handover} disiapkan oleh kunci {expected}, bukan {key}: hanya pemberinya yang boleh menarik",
        "en": "handover {handover} was prepared by key {expected}, not {key}: only its giver withdraws it",
    },
    "error.unknown_destination": {
        "id": "tujuan {dest} tidak ada dalam data wilayah bawaan ({known})",
        "en": "destination {dest} does not exist in the region data ({known})",
    },
    "error.not_voidable": {
        "id": "barang {item} sudah punya rekaman sesudah pendaftarannya; hanya pendaftaran yang belum diikuti rekaman lain yang dapat dibatalkan",
        "en": "item {item} has records after its registration; only a registration nothing followed is voided",
    },
    "error.item_voided": {
        "id": "pendaftaran barang {item} sudah dibatalkan; tidak boleh ada rekaman sesudahnya",
        "en": "item {item} was voided (a mistaken registration); nothing may follow",
    },
    "report.event.handover.withdraw": {"id": "Serah terima ditarik kembali", "en": "Handover withdrawn"},
    "report.event.void": {"id": "Pendaftaran dibatalkan", "en": "Registration voided"},
    "report.outcome.withdrawn": {"id": "DITARIK oleh pemberi", "en": "WITHDRAWN by the giver"},
    "report.state.voided": {"id": "dibatalkan", "en": "voided"},
}
