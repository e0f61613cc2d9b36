"""``serah demo``: the Kepulauan Seribu scenario and its summary."""

MESSAGES = {
    "cmd.demo.short": {"id": "Simulasi Pemilu 2024 di Kepulauan Seribu, ujung ke ujung.", "en": "The 2024 election in Kepulauan Seribu, end to end."},
    "cmd.demo": {
        "id": (
            "Bangun buku besar contoh yang lengkap: Pemilu 2024 di Kabupaten Administrasi\n"
            "Kepulauan Seribu, 88 TPS (80 reguler, 8 lokasi khusus), 22.036 pemilih, 4 jenis\n"
            "surat suara. Percetakan -> gudang KPU -> 2 PPK -> 6 PPS -> 88 KPPS dengan\n"
            "penyeberangan laut dikawal Polair, pembukaan kotak disaksikan Panwas,\n"
            "penghitungan, penyegelan ulang, lalu kembali ke gudang KPU. Termasuk kejadian\n"
            "nyata: surat suara kurang saat tiba, kotak rusak, satu pulau terlambat setelah H-1.\n"
            "Semua rekaman ditandatangani sungguhan (kunci dari benih tetap, di memori).\n"
            "\n"
            "Contoh:\n"
            "  serah demo\n"
            "  serah demo --db /tmp/kepseribu.sqlite --force\n"
            "  serah --db serah-demo.sqlite history KS-3101021003002-DPD-SS"
        ),
        "en": (
            "Build a complete example ledger: the 2024 election in Kepulauan Seribu\n"
            "regency, 88 TPS (80 regular, 8 special), 22,036 voters, 4 ballot types.\n"
            "Printer -> KPU warehouse -> 2 PPK -> 6 PPS -> 88 KPPS with sea crossings\n"
            "escorted by the marine police, box opening witnessed by Panwas, counting,\n"
            "resealing, then back to the KPU warehouse. With real-life incidents: ballots\n"
            "short on arrival, a damaged box, one island late after H-1. Every record is\n"
            "really signed (keys from fixed seeds, in memory).\n"
            "\n"
            "Examples:\n"
            "  serah demo\n"
            "  serah demo --db /tmp/kepseribu.sqlite --force\n"
            "  serah --db serah-demo.sqlite history KS-3101021003002-DPD-SS"
        ),
    },
    "opt.demo_db": {"id": "Berkas SQLite baru (bawaan serah-demo.sqlite).", "en": "A new SQLite file (default serah-demo.sqlite)."},
    "opt.force": {"id": "Hapus berkas yang sudah ada lalu bangun ulang.", "en": "Delete an existing file and rebuild."},
    "error.demo_not_demo": {
        "id": "{path} bukan buku besar demo: tidak pernah dihapus, juga dengan --force (pilih --db lain)",
        "en": "{path} is not a demo ledger: never deleted, not even with --force (choose another --db)",
    },
    "error.demo_exists": {
        "id": "{path} sudah ada; tidak ditimpa (pakai --force untuk membangun ulang, atau --db lain)",
        "en": "{path} exists; not overwritten (use --force to rebuild, or another --db)",
    },
    "error.demo_sqlite_only": {"id": "demo hanya membuat berkas SQLite baru, bukan {db}", "en": "the demo only creates a new SQLite file, not {db}"},
    "demo.progress": {"id": "[{n}/{of}] {what}", "en": "[{n}/{of}] {what}"},
    "demo.phase.cast": {"id": "kunci dan pendaftaran petugas", "en": "keys and enrolment of custodians"},
    "demo.phase.print": {"id": "pencetakan surat suara (DPT + 2% per TPS)", "en": "printing ballots (DPT + 2% per TPS)"},
    "demo.phase.warehouse": {"id": "pengiriman ke gudang KPU Kab. Kep. Seribu", "en": "delivery to the KPU Kep. Seribu warehouse"},
    "demo.phase.boxes": {"id": "pendaftaran kotak suara dan formulir", "en": "registering ballot boxes and forms"},
    "demo.phase.shortfall": {"id": "kiriman susulan kekurangan surat suara", "en": "supplementary batch for the shortfall"},
    "demo.phase.pack": {"id": "sortir, lipat, pengemasan dan penyegelan", "en": "sorting, folding, packing and sealing"},
    "demo.phase.ppk": {"id": "distribusi ke 2 PPK (penyeberangan laut)", "en": "distribution to 2 PPK (sea crossing)"},
    "demo.phase.pps": {"id": "distribusi ke 6 PPS", "en": "distribution to 6 PPS"},
    "demo.phase.kpps": {"id": "distribusi ke 88 TPS (H-1)", "en": "distribution to 88 TPS (H-1)"},
    "demo.phase.vote": {"id": "hari pemungutan suara: buka, hitung, segel ulang", "en": "voting day: open, count, reseal"},
    "demo.phase.return": {"id": "pengembalian KPPS -> PPS -> PPK -> KPU", "en": "return trip KPPS -> PPS -> PPK -> KPU"},
    "demo.phase.checkpoint": {
        "id": "checkpoint log transparansi, ditandatangani bersama oleh Bawaslu",
        "en": "transparency-log checkpoint, cosigned by Bawaslu",
    },
    "demo.title": {
        "id": "Simulasi Pemilu 2024, Kabupaten Administrasi Kepulauan Seribu (data per TPS sintetis; total resmi KPU)",
        "en": "Simulated 2024 election, Kepulauan Seribu regency (per-TPS data synthetic; totals are KPU's)",
    },
    "demo.ledger": {"id": "Buku besar: {db} ({records} rekaman, {seconds} detik)", "en": "Ledger: {db} ({records} records, {seconds} s)"},
    "demo.tps": {"id": "TPS          {total} ({regular} reguler, {special} lokasi khusus)", "en": "TPS          {total} ({regular} regular, {special} special)"},
    "demo.voters": {"id": "Pemilih DPT  {n}", "en": "Voters (DPT) {n}"},
    "demo.ballots": {
        "id": "Surat suara  {total} = {types} jenis x {per_type} (DPT + 2% per TPS, dibulatkan ke atas); susulan {extra}",
        "en": "Ballots      {total} = {types} types x {per_type} (DPT + 2% per TPS, rounded up); supplementary {extra}",
    },
    "demo.boxes": {"id": "Kotak suara  {boxes}; segel bernomor terpakai {seals}", "en": "Ballot boxes {boxes}; numbered seals used {seals}"},
    "demo.custodians": {"id": "Petugas      {roles}", "en": "Custodians   {roles}"},
    "demo.levels": {"id": "Serah terima per tingkat", "en": "Handovers per level"},
    "demo.col.level": {"id": "tingkat", "en": "level"},
    "demo.col.handovers": {"id": "serah terima", "en": "handovers"},
    "demo.col.items": {"id": "barang", "en": "items"},
    "demo.level.kpu": {"id": "percetakan -> gudang KPU Kab.", "en": "printer -> KPU warehouse"},
    "demo.level.ppk": {"id": "KPU Kab. -> PPK", "en": "KPU -> PPK"},
    "demo.level.pps": {"id": "PPK -> PPS", "en": "PPK -> PPS"},
    "demo.level.kpps": {"id": "PPS -> KPPS (TPS)", "en": "PPS -> KPPS (TPS)"},
    "demo.level.pps-return": {"id": "KPPS -> PPS (kembali)", "en": "KPPS -> PPS (return)"},
    "demo.level.ppk-return": {"id": "PPS -> PPK (kembali)", "en": "PPS -> PPK (return)"},
    "demo.level.kpu-return": {"id": "PPK -> gudang KPU Kab. (kembali)", "en": "PPK -> KPU warehouse (return)"},
    "demo.tally": {"id": "Penghitungan surat suara di TPS", "en": "Ballot accounting at the TPS"},
    "demo.col.type": {"id": "jenis", "en": "type"},
    "demo.col.received": {"id": "diterima", "en": "received"},
    "demo.col.used": {"id": "terpakai", "en": "used"},
    "demo.col.unused": {"id": "sisa", "en": "unused"},
    "demo.col.spoiled": {"id": "rusak", "en": "spoiled"},
    "demo.discrepancies": {"id": "Selisih tercatat saat penerimaan: {n}", "en": "Discrepancies recorded on acceptance: {n}"},
    "demo.discrepancy.qty": {
        "id": "  {item}: dinyatakan {declared}, dihitung {observed} ({note})",
        "en": "  {item}: declared {declared}, counted {observed} ({note})",
    },
    "demo.discrepancy.condition": {"id": "  {item}: kondisi {observed} ({note})", "en": "  {item}: condition {observed} ({note})"},
    "demo.discrepancy.seals": {
        "id": "  {item}: segel dinyatakan {declared}, ditemukan {observed} ({note})",
        "en": "  {item}: seals declared {declared}, found {observed} ({note})",
    },
    "cond.ok": {"id": "baik", "en": "ok"},
    "cond.damaged": {"id": "rusak", "en": "damaged"},
    "cond.wet": {"id": "basah", "en": "wet"},
    "cond.missing": {"id": "tidak ada", "en": "missing"},
    "cond.opened": {"id": "terbuka", "en": "opened"},
    "demo.incidents": {"id": "Kejadian dilaporkan: {n}", "en": "Incidents reported: {n}"},
    "demo.incident": {"id": "  {kind}: {item}, oleh {by}", "en": "  {kind}: {item}, by {by}"},
    "demo.late": {"id": "Diterima KPPS setelah batas H-1: {n}", "en": "Accepted by a KPPS after the H-1 deadline: {n}"},
    "demo.late_line": {
        "id": "  TPS {tps}: diterima {accepted} (batas {deadline})",
        "en": "  TPS {tps}: accepted {accepted} (deadline {deadline})",
    },
    "demo.final": {
        "id": "Akhir: {back} dari {boxes} kotak kembali di gudang KPU Kab., {sealed} tersegel.",
        "en": "End: {back} of {boxes} boxes back in the KPU warehouse, {sealed} sealed.",
    },
    "demo.checkpoint": {
        "id": "Checkpoint log: {size} rekaman, ditandatangani bersama oleh {witnesses}.",
        "en": "Log checkpoint: {size} records, cosigned by {witnesses}.",
    },
    "demo.try": {
        "id": "Coba: serah --db {db} history KS-3101021003002-DPD-SS\n      serah --db {db} status KS-3101021002003-DPRD_PROV\n"
              "      serah --db {db} verify\n      serah --db {db} export --tps {tps} -o tps-{tps}.bukti --html tps-{tps}.html\n"
              "      serah verify tps-{tps}.bukti",
        "en": "Try:  serah --db {db} history KS-3101021003002-DPD-SS\n      serah --db {db} status KS-3101021002003-DPRD_PROV\n"
              "      serah --db {db} verify\n      serah --db {db} export --tps {tps} -o tps-{tps}.bukti --html tps-{tps}.html\n"
              "      serah verify tps-{tps}.bukti",
    },
    "role.kpu": {"id": "KPU", "en": "KPU"},
    "role.printer": {"id": "percetakan", "en": "printer"},
    "role.ppk": {"id": "PPK", "en": "PPK"},
    "role.pps": {"id": "PPS", "en": "PPS"},
    "role.kpps": {"id": "KPPS", "en": "KPPS"},
    "role.escort": {"id": "pengawal", "en": "escorts"},
    "role.witness": {"id": "saksi/pengawas", "en": "witnesses"},
    "incident.damage": {"id": "kerusakan", "en": "damage"},
    "incident.loss": {"id": "kehilangan", "en": "loss"},
    "incident.flood": {"id": "banjir", "en": "flood"},
    "incident.other": {"id": "lainnya", "en": "other"},
}
