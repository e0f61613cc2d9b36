"""``serah item``, ``seal``, ``open``, ``incident``, ``tally``, ``destroy``."""

MESSAGES = {
    "out.registered_split": {
        "id": "tercatat: {items} barang dalam {n} rekaman pendaftaran ({first} .. {last}; satu rekaman paling besar 65.535 bita, SPEC 3.7)",
        "en": "recorded: {items} items in {n} register records ({first} .. {last}; a record is at most 65,535 bytes, SPEC 3.7)",
    },
    "cmd.item.short": {"id": "Daftarkan barang logistik dan kemas ke kotak.", "en": "Register logistics items and pack them into boxes."},
    "cmd.item": {
        "id": "Barang logistik: surat suara, kotak suara, segel, formulir, lainnya.",
        "en": "Logistics items: ballots, ballot boxes, seals, forms, other.",
    },
    "cmd.item.register.short": {"id": "Daftarkan barang dari berkas CSV (satu rekaman).", "en": "Register items from a CSV file (one record)."},
    "cmd.item.register": {
        "id": (
            "Daftarkan banyak barang sekaligus dari berkas CSV, dalam satu rekaman yang\n"
            "Anda tanda tangani; Anda menjadi pemegangnya. Hanya percetakan atau KPU.\n"
            "\n"
            "Kolom: item,kind,dest,qty,election,dapil,serial_first,serial_last,label\n"
            "  kind: box, ballots, seal, form, other; dest: kode wilayah tujuan (TPS).\n"
            "Galat menyebut nomor baris CSV; bila ada galat, tidak ada yang dicatat.\n"
            "\n"
            "Contoh:\n"
            "  item,kind,dest,qty,election,dapil,serial_first,serial_last,label\n"
            "  KS-3101011001001-PPWP-SS,ballots,3101011001001,266,PPWP,INDONESIA,,,\n"
            "  serah item register surat-suara.csv --as percetakan"
        ),
        "en": (
            "Register many items at once from a CSV file, in one record you sign; you\n"
            "become their holder. Printers and KPU only.\n"
            "\n"
            "Columns: item,kind,dest,qty,election,dapil,serial_first,serial_last,label\n"
            "  kind: box, ballots, seal, form, other; dest: destination region (a TPS).\n"
            "Errors name the CSV line; on any error nothing is recorded.\n"
            "\n"
            "Example:\n"
            "  item,kind,dest,qty,election,dapil,serial_first,serial_last,label\n"
            "  KS-3101011001001-PPWP-SS,ballots,3101011001001,266,PPWP,INDONESIA,,,\n"
            "  serah item register ballots.csv --as printer"
        ),
    },
    "cmd.item.pack.short": {"id": "Kemas barang ke dalam kotak suara.", "en": "Pack items into a ballot box."},
    "cmd.item.pack": {
        "id": (
            "Kemas barang (surat suara, formulir, ...) ke dalam KOTAK yang Anda pegang.\n"
            "Sesudahnya barang itu berpindah bersama kotaknya. Kotak belum boleh tersegel.\n"
            "\n"
            "Contoh:\n"
            "  serah item pack KS-3101011001001-PPWP KS-3101011001001-PPWP-SS KS-3101011001001-PPWP-F --as kpu-3101"
        ),
        "en": (
            "Pack items (ballots, forms, ...) into a BOX you hold. From then on they\n"
            "move with the box. The box must not be sealed yet.\n"
            "\n"
            "Example:\n"
            "  serah item pack KS-3101011001001-PPWP KS-3101011001001-PPWP-SS KS-3101011001001-PPWP-F --as kpu-3101"
        ),
    },
    "cmd.seal.short": {"id": "Segel kotak suara dengan segel bernomor.", "en": "Seal a ballot box with numbered seals."},
    "cmd.seal": {
        "id": (
            "Catat segel bernomor yang dipasang pada KOTAK yang Anda pegang. Nomor segel\n"
            "hanya boleh dipakai sekali; penerima akan mencocokkan nomor ini.\n"
            "\n"
            "Contoh:\n"
            "  serah seal KS-3101011001001-PPWP 31-0000101 31-0000102 --as kpu-3101"
        ),
        "en": (
            "Record the numbered seals put on a BOX you hold. A seal number may be used\n"
            "once only; the receiver will compare these numbers.\n"
            "\n"
            "Example:\n"
            "  serah seal KS-3101011001001-PPWP 31-0000101 31-0000102 --as kpu-3101"
        ),
    },
    "cmd.open.short": {"id": "Buka kotak tersegel di depan saksi.", "en": "Open a sealed box in front of a witness."},
    "cmd.open": {
        "id": (
            "Buka KOTAK: catat segel yang ditemukan, utuh atau rusak, dan alasannya. Saksi\n"
            "(Bawaslu/Panwas) yang hadir ikut menandatangani dengan kuncinya sendiri.\n"
            "Yang diizinkan: KPPS pada hari pemungutan suara di TPS-nya, atau KPU; selain\n"
            "itu perlu --exception.\n"
            "\n"
            "Contoh:\n"
            "  serah open KS-3101011001001-PPWP --seals 31-0000101,31-0000102 --intact \\\n"
            "      --reason \"pemungutan suara\" --witness-as ptps-001 --as kpps-3101011001001\n"
            "\n"
            "Saksi menandatangani di perangkatnya sendiri (kuncinya tidak berpindah):\n"
            "  serah open KS-3101011001001-PPWP ... -o buka-001.serah --as kpps-3101011001001\n"
            "  serah cosign buka-001.serah --as ptps-001        (di laptop saksi)\n"
            "  serah submit buka-001.serah"
        ),
        "en": (
            "Open a BOX: record the seals found, intact or broken, and why. The witness\n"
            "present (Bawaslu/Panwas) co-signs with their own key. Allowed: a KPPS on\n"
            "voting day at its TPS, or KPU; anything else needs --exception.\n"
            "\n"
            "Example:\n"
            "  serah open KS-3101011001001-PPWP --seals 31-0000101,31-0000102 --intact \\\n"
            "      --reason \"voting\" --witness-as ptps-001 --as kpps-3101011001001\n"
            "\n"
            "The witness signs on their own device (their key never moves):\n"
            "  serah open KS-3101011001001-PPWP ... -o open-001.serah --as kpps-3101011001001\n"
            "  serah cosign open-001.serah --as ptps-001        (on the witness's laptop)\n"
            "  serah submit open-001.serah"
        ),
    },
    "cmd.incident.short": {"id": "Laporkan kerusakan, kehilangan, banjir.", "en": "Report damage, loss, flood."},
    "cmd.incident": {
        "id": (
            "Catat kejadian pada barang: damage (rusak), loss (hilang), flood (banjir),\n"
            "other. Pemegang, pengawal atau saksi boleh melapor. loss tanpa --qty-lost\n"
            "menandai barang hilang seluruhnya.\n"
            "\n"
            "Contoh:\n"
            "  serah incident damage KS-3101021002003-DPD --condition KS-3101021002003-DPD=wet \\\n"
            "      --description \"kotak basah terkena ombak di kapal\" --as polair-1"
        ),
        "en": (
            "Record an incident on items: damage, loss, flood, other. The holder, an\n"
            "escort or a witness may report. loss without --qty-lost marks the whole\n"
            "item lost.\n"
            "\n"
            "Example:\n"
            "  serah incident damage KS-3101021002003-DPD --condition KS-3101021002003-DPD=wet \\\n"
            "      --description \"box soaked by a wave on the boat\" --as polair-1"
        ),
    },
    "cmd.tally.short": {"id": "Catat surat suara terpakai, sisa dan rusak (KPPS).", "en": "Record used, unused and spoiled ballots (KPPS)."},
    "cmd.tally": {
        "id": (
            "Sesudah penghitungan di TPS, KPPS mencatat untuk setiap batch surat suara:\n"
            "terpakai, sisa, rusak. Jumlahnya harus sama dengan jumlah yang diterima.\n"
            "\n"
            "Contoh:\n"
            "  serah tally KS-3101011001001-PPWP-SS=241,23,2 KS-3101011001001-DPR-SS=240,24,2 --as kpps-3101011001001"
        ),
        "en": (
            "After counting at the TPS, the KPPS records for each ballot batch: used,\n"
            "unused, spoiled. They must add up to the quantity received.\n"
            "\n"
            "Example:\n"
            "  serah tally KS-3101011001001-PPWP-SS=241,23,2 KS-3101011001001-DPR-SS=240,24,2 --as kpps-3101011001001"
        ),
    },
    "cmd.destroy.short": {"id": "Musnahkan barang (pemusnahan) dengan saksi.", "en": "Destroy items (pemusnahan) with a witness."},
    "cmd.destroy": {
        "id": (
            "Pemusnahan: KPU mencatat barang yang dimusnahkan, caranya dan alasannya, dengan\n"
            "tanda tangan saksi. Sesudahnya tidak boleh ada rekaman lain untuk barang itu.\n"
            "\n"
            "Contoh:\n"
            "  serah destroy KS-3101011001001-PPWP-SS --method \"dibakar di insinerator\" \\\n"
            "      --reason \"surat suara sisa\" --witness-as bawaslu-3101 --as kpu-3101\n"
            "Saksi di perangkatnya sendiri: -o BERKAS, lalu serah cosign BERKAS --as SAKSI, serah submit BERKAS."
        ),
        "en": (
            "Destruction (pemusnahan): KPU records the destroyed items, how and why, with\n"
            "a witness's co-signature. Nothing may follow in those items' chains.\n"
            "\n"
            "Example:\n"
            "  serah destroy KS-3101011001001-PPWP-SS --method \"incinerated\" \\\n"
            "      --reason \"surplus ballots\" --witness-as bawaslu-3101 --as kpu-3101\n"
            "A witness on their own device: -o FILE, then serah cosign FILE --as WITNESS, serah submit FILE."
        ),
    },
    "opt.seals_found": {"id": "Nomor segel yang ditemukan (koma atau diulang).", "en": "Seal numbers found (comma-separated or repeated)."},
    "opt.intact": {"id": "Apakah segel yang ditemukan utuh.", "en": "Whether the seals found were intact."},
    "opt.witness_as": {
        "id": "Saksi yang kuncinya ADA DI PERANGKAT INI: nama kunci (seperti --as) atau berkas kunci privat (seperti\n"
              "--key); saksi mengetik frasa sandinya sendiri (boleh diulang). Saksi dengan perangkatnya sendiri: -o.",
        "en": "A witness whose key IS ON THIS MACHINE: key name (as --as) or private key file (as --key); the\n"
              "witness types their own passphrase (repeatable). A witness on their own device: use -o.",
    },
    "opt.record_file": {
        "id": "Jangan catat sekarang: tulis rekaman bertanda tangan ke BERKAS untuk ditandatangani saksi di\n"
              "perangkatnya sendiri (serah cosign BERKAS --as SAKSI), lalu serah submit BERKAS.",
        "en": "Do not record now: write the signed record to FILE for the witness to co-sign on their own device\n"
              "(serah cosign FILE --as WITNESS), then serah submit FILE.",
    },
    "out.record_file_written": {
        "id": "{type} {number} ditandatangani, belum dicatat; berkas {file}: saksi menjalankan serah cosign {file} --as SAKSI\n"
              "di perangkatnya sendiri, lalu serah submit {file}",
        "en": "{type} {number} signed, not yet recorded; file {file}: the witness runs serah cosign {file} --as WITNESS\n"
              "on their own device, then serah submit {file}",
    },
    "error.witness_or_file": {
        "id": "perlu saksi: --witness-as NAMA bila kunci saksi ada di perangkat ini, atau -o BERKAS agar saksi\n"
              "menandatangani di perangkatnya sendiri",
        "en": "a witness is needed: --witness-as NAME when the witness's key is on this machine, or -o FILE for the\n"
              "witness to co-sign on their own device",
    },
    "opt.exception": {
        "id": "Alasan tertulis untuk langkah di luar jalur yang diizinkan.",
        "en": "Written reason for a step off the allowed path.",
    },
    "opt.description": {"id": "Apa yang terjadi.", "en": "What happened."},
    "opt.qty_lost": {"id": "Jumlah yang hilang per barang (BARANG=N).", "en": "Quantity lost per item (ITEM=N)."},
    "opt.condition": {
        "id": "Kondisi per barang (BARANG=ok|damaged|wet|missing|opened).",
        "en": "Condition per item (ITEM=ok|damaged|wet|missing|opened).",
    },
    "opt.method": {"id": "Cara pemusnahan.", "en": "How the items were destroyed."},
}
