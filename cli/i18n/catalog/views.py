"""``serah where``, ``inventory``, ``readiness``, ``discrepancies``, ``accounting``, ``rebuild``."""

MESSAGES = {
    # --- commands ---------------------------------------------------------------
    "cmd.where.short": {"id": "Di mana sebuah barang sekarang, dan pada siapa.", "en": "Where an item is now, and with whom."},
    "cmd.where": {
        "id": (
            "Tampilkan kustodi BARANG saat ini dari tampilan terwujud: pemegang, lokasi,\n"
            "status (di gudang, dalam perjalanan, di TPS, dibuka, disegel ulang, hilang,\n"
            "dimusnahkan), nomor segel, kotak, rekaman terakhir dan waktunya.\n"
            "\n"
            "Contoh:\n"
            "  serah where KS-3101011001001-PPWP\n"
            "  serah where KS-3101011001001-PPWP-SS --json"
        ),
        "en": (
            "Show an ITEM's current custody from the materialised view: holder,\n"
            "location, state (in store, in transit, at TPS, opened, resealed, lost,\n"
            "destroyed), seal numbers, box, last record and its time.\n"
            "\n"
            "Examples:\n"
            "  serah where KS-3101011001001-PPWP\n"
            "  serah where KS-3101011001001-PPWP-SS --json"
        ),
    },
    "cmd.inventory.short": {"id": "Inventaris per wilayah dan pemegang.", "en": "Inventory per place and holder."},
    "cmd.inventory": {
        "id": (
            "Hitung barang di WILAYAH (kode provinsi, kab/kota, kecamatan, kelurahan\n"
            "atau TPS; tanpa WILAYAH: semuanya) per jenis, jenis pemilihan dan status,\n"
            "dirinci per wilayah di bawahnya dan per pemegang. Kotak dihitung per buah,\n"
            "surat suara, segel dan formulir per lembar.\n"
            "\n"
            "Contoh:\n"
            "  serah inventory 3101\n"
            "  serah inventory 310102 --holder ppk-310102 --json"
        ),
        "en": (
            "Count the items in PLACE (province, kab/kota, kecamatan, kelurahan or\n"
            "TPS code; without PLACE: everything) per kind, election type and state,\n"
            "broken down by the areas below it and by holder. Boxes count as boxes;\n"
            "ballots, seals and forms as pieces.\n"
            "\n"
            "Examples:\n"
            "  serah inventory 3101\n"
            "  serah inventory 310102 --holder ppk-310102 --json"
        ),
    },
    "cmd.readiness.short": {"id": "TPS mana yang lengkap pada H-1, dan apa yang kurang.", "en": "Which TPS are complete by H-1, and what they lack."},
    "cmd.readiness": {
        "id": (
            "Untuk setiap TPS di WILAYAH yang menjadi tujuan barang di buku besar ini:\n"
            "apakah pada batas waktu (bawaan: H-1, akhir hari sebelum hari pemungutan\n"
            "suara, waktu setempat) semua barang yang ditujukan ke TPS itu sudah diterima\n"
            "KPPS, dan surat suara setiap jenis yang didaftarkan di kabupaten/kotanya\n"
            "paling sedikit sebanyak yang didaftarkan untuk TPS itu (bila DPT TPS\n"
            "diketahui: DPT + 2%). Diringkas per kecamatan; TPS yang belum siap dirinci.\n"
            "--at menghitung untuk waktu lain (juga yang sudah lewat).\n"
            "Status keluar: 0 bila semua TPS siap, 1 bila ada yang belum.\n"
            "\n"
            "Contoh:\n"
            "  serah readiness 3101\n"
            "  serah readiness --vote-date 2024-02-14 310102\n"
            "  serah readiness 3101 --at '2024-02-12 18:00' --json"
        ),
        "en": (
            "For each TPS in PLACE that items of this ledger are destined for: by the\n"
            "deadline (default: H-1, the end of the day before voting day, local time)\n"
            "has the KPPS received every item destined for it, and ballots of every type\n"
            "registered in its kabupaten/kota, at least as many as registered for it\n"
            "(where the TPS's voter roll is known: DPT + 2%)? Summed up per kecamatan;\n"
            "TPS not ready are listed with what they lack. --at computes it for another\n"
            "moment (past ones too).\n"
            "Exit status: 0 when every TPS is ready, 1 when one is not.\n"
            "\n"
            "Examples:\n"
            "  serah readiness 3101\n"
            "  serah readiness --vote-date 2024-02-14 310102\n"
            "  serah readiness 3101 --at '2024-02-12 18:00' --json"
        ),
    },
    "cmd.discrepancies.short": {"id": "Daftar selisih, penolakan, kejadian dan segel rusak.", "en": "Register of differences, refusals, incidents and broken seals."},
    "cmd.discrepancies": {
        "id": (
            "Daftar setiap selisih antara yang dinyatakan dan yang diamati (jumlah, segel,\n"
            "kondisi), setiap penolakan serah terima, kejadian dan segel rusak di WILAYAH:\n"
            "siapa, di mana, kapan, dan apakah sudah ditindaklanjuti. Selesai bila saksi\n"
            "(Bawaslu/pengawas) atau KPU lain mencatat rekaman 'witness' atasnya; penolakan\n"
            "juga selesai bila barangnya kemudian diterima.\n"
            "\n"
            "Contoh:\n"
            "  serah discrepancies\n"
            "  serah discrepancies 3101 --open --json"
        ),
        "en": (
            "List every difference between declared and observed (quantity, seals,\n"
            "condition), every refused handover, incident and broken seal in PLACE:\n"
            "who, where, when, and whether it was resolved. Resolved when a witness\n"
            "(Bawaslu/supervisor) or another KPU key records a 'witness' record on it;\n"
            "a refusal also when the items are later accepted.\n"
            "\n"
            "Examples:\n"
            "  serah discrepancies\n"
            "  serah discrepancies 3101 --open --json"
        ),
    },
    "cmd.accounting.short": {"id": "Pertanggungjawaban surat suara per TPS dan dapil.", "en": "Ballot accounting per TPS and electoral district."},
    "cmd.accounting": {
        "id": (
            "Surat suara per dapil dan jenis pemilihan di WILAYAH: dicetak, diterima di TPS,\n"
            "digunakan, tidak digunakan, rusak, dimusnahkan, selisih serah terima, hilang;\n"
            "lalu TPS yang angkanya tidak cocok (--all-tps: semua TPS).\n"
            "\n"
            "Contoh:\n"
            "  serah accounting 3101\n"
            "  serah accounting 3101 --all-tps --json"
        ),
        "en": (
            "Ballots per electoral district and election type in PLACE: printed,\n"
            "received at the TPS, used, unused, spoiled, destroyed, short at handovers,\n"
            "lost; then the TPS whose figures do not reconcile (--all-tps: every TPS).\n"
            "\n"
            "Examples:\n"
            "  serah accounting 3101\n"
            "  serah accounting 3101 --all-tps --json"
        ),
    },
    "cmd.rebuild.short": {"id": "Bangun ulang semua tampilan dari rekaman.", "en": "Rebuild every view from the records."},
    "cmd.rebuild": {
        "id": (
            "Hapus tabel tampilan (kustodi, inventaris, kesiapan, selisih, surat suara) dan\n"
            "bangun ulang dari rekaman pertama. Rekaman tidak disentuh. Biasanya tidak\n"
            "perlu: setiap perintah baca memperbarui tampilan sendiri.\n"
            "\n"
            "Contoh:\n"
            "  serah rebuild"
        ),
        "en": (
            "Drop the view tables (custody, inventory, readiness, discrepancies,\n"
            "ballots) and rebuild them from the first record. Records are not touched.\n"
            "Rarely needed: every read command brings the views up to date itself.\n"
            "\n"
            "Example:\n"
            "  serah rebuild"
        ),
    },
    # --- options and errors ------------------------------------------------------------
    "opt.views_holder": {"id": "Hanya barang pada pemegang ini (nama kunci, berkas .pub atau kunci publik).", "en": "Only items with this holder (key name, .pub file or public key)."},
    "opt.readiness_at": {"id": "Hitung untuk waktu ini (waktu setempat) alih-alih H-1.", "en": "Compute for this moment (local time) instead of H-1."},
    "opt.open_only": {"id": "Hanya yang belum ditindaklanjuti.", "en": "Only those not resolved."},
    "opt.all_tps": {"id": "Tampilkan semua TPS, bukan hanya yang tidak cocok.", "en": "List every TPS, not only those that do not reconcile."},
    "error.bad_datetime": {
        "id": "waktu tidak sah: {value} (format 'YYYY-MM-DD HH:MM', waktu setempat)",
        "en": "invalid time: {value} (format 'YYYY-MM-DD HH:MM', local time)",
    },
    "error.no_vote_date": {
        "id": "buku besar belum punya genesis: berikan --vote-date atau --at",
        "en": "the ledger has no genesis yet: give --vote-date or --at",
    },
    # --- output --------------------------------------------------------------------------
    "views.catching_up": {"id": "memperbarui tampilan: {done}/{total} rekaman", "en": "updating views: {done}/{total} records"},
    "views.rebuilding": {"id": "membangun ulang tampilan: {done}/{total} rekaman", "en": "rebuilding views: {done}/{total} records"},
    "views.rebuilt": {"id": "tampilan dibangun ulang dari {n} rekaman dalam {seconds} detik", "en": "views rebuilt from {n} records in {seconds} s"},
    "views.state.in_store": {"id": "di gudang", "en": "in store"},
    "views.state.in_transit": {"id": "dalam perjalanan", "en": "in transit"},
    "views.state.at_tps": {"id": "di TPS", "en": "at TPS"},
    "views.state.opened": {"id": "dibuka", "en": "opened"},
    "views.state.resealed": {"id": "disegel ulang", "en": "resealed"},
    "views.state.lost": {"id": "HILANG", "en": "LOST"},
    "views.state.destroyed": {"id": "dimusnahkan", "en": "destroyed"},
    "views.state.voided": {"id": "dibatalkan", "en": "voided"},
    "views.sealed": {"id": "utuh", "en": "intact"},
    "views.broken": {"id": "segel dibuka", "en": "seals broken"},
    "views.pending_to": {"id": "{id} kepada {who}", "en": "{id} to {who}"},
    "views.col.condition": {"id": "kondisi", "en": "condition"},
    "views.col.last": {"id": "rekaman terakhir", "en": "last record"},
    "views.col.items": {"id": "barang", "en": "items"},
    "views.col.region": {"id": "wilayah", "en": "area"},
    "views.col.district": {"id": "kecamatan", "en": "kecamatan"},
    "views.col.tps": {"id": "TPS", "en": "TPS"},
    "views.col.ready": {"id": "siap", "en": "ready"},
    "views.col.not_ready": {"id": "belum", "en": "not ready"},
    "views.col.lacking": {"id": "kurang", "en": "lacking"},
    "views.col.missing": {"id": "barang belum ada", "en": "items missing"},
    "views.col.ballots_short": {"id": "surat suara kurang (ada/perlu)", "en": "ballots short (have/need)"},
    "views.col.what": {"id": "apa", "en": "what"},
    "views.col.declared": {"id": "dinyatakan", "en": "declared"},
    "views.col.observed": {"id": "diamati", "en": "observed"},
    "views.col.detail": {"id": "keterangan", "en": "note"},
    "views.col.by": {"id": "oleh", "en": "by"},
    "views.col.where": {"id": "di", "en": "where"},
    "views.col.resolved": {"id": "tindak lanjut", "en": "resolved"},
    "views.col.printed": {"id": "dicetak", "en": "printed"},
    "views.col.received": {"id": "diterima", "en": "received"},
    "views.col.used": {"id": "digunakan", "en": "used"},
    "views.col.unused": {"id": "tak digunakan", "en": "unused"},
    "views.col.spoiled": {"id": "rusak", "en": "spoiled"},
    "views.col.destroyed": {"id": "dimusnahkan", "en": "destroyed"},
    "views.col.short": {"id": "selisih", "en": "short"},
    "views.col.lost": {"id": "hilang", "en": "lost"},
    "views.col.status": {"id": "keadaan", "en": "status"},
    "views.kind.box": {"id": "kotak", "en": "boxes"},
    "views.kind.ballots": {"id": "surat suara", "en": "ballots"},
    "views.kind.seal": {"id": "segel", "en": "seals"},
    "views.kind.form": {"id": "formulir", "en": "forms"},
    "views.kind.other": {"id": "lainnya", "en": "other"},
    "views.inventory_of": {"id": "Inventaris {place}", "en": "Inventory of {place}"},
    "views.nothing": {"id": "(tidak ada barang)", "en": "(no items)"},
    "views.by_region": {"id": "Per wilayah:", "en": "Per area:"},
    "views.by_holder": {"id": "Per pemegang:", "en": "Per holder:"},
    "views.readiness_title": {
        "id": "Kesiapan TPS {place} pada {at}: {ready} dari {total} TPS siap",
        "en": "TPS readiness in {place} at {at}: {ready} of {total} TPS ready",
    },
    "views.ballots_short_n": {"id": "jenis surat suara kurang: {n}", "en": "ballot types short: {n}"},
    "views.ballots_have_need": {"id": "{election} {have}/{need}", "en": "{election} {have}/{need}"},
    "views.not_ready_list": {"id": "TPS yang belum siap:", "en": "TPS not ready:"},
    "views.discrepancies_title": {
        "id": "Selisih dan kejadian di {place}: {n}, belum ditindaklanjuti {open}",
        "en": "Discrepancies and incidents in {place}: {n}, not resolved: {open}",
    },
    "views.discrepancy.qty": {"id": "jumlah", "en": "quantity"},
    "views.discrepancy.seals": {"id": "segel", "en": "seals"},
    "views.discrepancy.condition": {"id": "kondisi", "en": "condition"},
    "views.discrepancy.refused": {"id": "ditolak", "en": "refused"},
    "views.discrepancy.incident": {"id": "kejadian", "en": "incident"},
    "views.discrepancy.broken_seal": {"id": "segel rusak", "en": "broken seal"},
    "views.discrepancy.seal_mismatch": {"id": "segel berbeda", "en": "seals differ"},
    "views.discrepancy.tally": {"id": "hitungan diubah", "en": "count changed"},
    "views.resolved_by": {"id": "selesai ({id})", "en": "resolved ({id})"},
    "views.open": {"id": "terbuka", "en": "open"},
    "views.accounting_title": {"id": "Surat suara di {place}, per dapil:", "en": "Ballots in {place}, per electoral district:"},
    "views.total": {"id": "jumlah", "en": "total"},
    "views.reconciled": {"id": "cocok", "en": "reconciled"},
    "views.issue.conservation": {"id": "neraca tidak seimbang", "en": "does not balance"},
    "views.issue.tally_differs": {"id": "penghitungan beda dgn diterima", "en": "tally differs from received"},
    "views.issue.short": {"id": "kurang saat serah terima", "en": "short at handover"},
    "views.issue.surplus": {"id": "lebih saat serah terima", "en": "surplus at handover"},
    "views.issue.lost": {"id": "hilang", "en": "lost"},
    "views.issue.not_received": {"id": "belum diterima di TPS", "en": "not received at TPS"},
    "views.tps_unreconciled": {"id": "TPS yang tidak cocok: {n}", "en": "TPS that do not reconcile: {n}"},
    "views.tps_all": {"id": "Semua TPS: {n}", "en": "All TPS: {n}"},
}
