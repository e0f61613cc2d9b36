"""``serah status``, ``history``, ``holdings``."""

MESSAGES = {
    "cmd.status.short": {"id": "Keadaan sebuah barang sekarang: siapa, di mana, segel.", "en": "An item's state now: who, where, seals."},
    "cmd.status": {
        "id": (
            "Tampilkan keadaan BARANG sekarang: pemegang, status (dipegang, dalam\n"
            "perjalanan, hilang, dimusnahkan), lokasi, jumlah, segel, isi atau kotaknya.\n"
            "\n"
            "Contoh:\n"
            "  serah status KS-3101011001001-PPWP\n"
            "  serah status KS-3101011001001-PPWP --json"
        ),
        "en": (
            "Show an ITEM's state now: holder, state (held, in transit, lost,\n"
            "destroyed), location, quantity, seals, contents or box.\n"
            "\n"
            "Examples:\n"
            "  serah status KS-3101011001001-PPWP\n"
            "  serah status KS-3101011001001-PPWP --json"
        ),
    },
    "cmd.history.short": {"id": "Rantai kustodi sebuah barang, rekaman demi rekaman.", "en": "An item's chain of custody, record by record."},
    "cmd.history": {
        "id": (
            "Tampilkan rantai kustodi BARANG: setiap rekaman yang menyebutnya, berurutan,\n"
            "dengan waktu (WIB), jenis rekaman dan penanda tangannya. Kolom no. adalah\n"
            "posisi rekaman dalam urutan global (genesis = 0), nomor yang sama dengan\n"
            "indeks di log transparansi (serah prove).\n"
            "\n"
            "Contoh:\n"
            "  serah history KS-3101011001001-PPWP"
        ),
        "en": (
            "Show an ITEM's chain of custody: every record naming it, in order, with\n"
            "time (WIB), record type and signer. The pos. column is the record's\n"
            "position in the global order (genesis = 0), the same number as its index\n"
            "in the transparency log (serah prove).\n"
            "\n"
            "Example:\n"
            "  serah history KS-3101011001001-PPWP"
        ),
    },
    "cmd.holdings.short": {"id": "Barang yang dipegang seorang petugas.", "en": "Items a custodian holds."},
    "cmd.holdings": {
        "id": (
            "Tampilkan barang yang dipegang petugas (nama kunci, berkas .pub atau kunci\n"
            "publik); tanpa argumen: barang Anda sendiri (--as/--key, frasa sandi ditanyakan).\n"
            "\n"
            "Contoh:\n"
            "  serah holdings pps-3101021002\n"
            "  serah holdings --as kpps-3101021002001 --json"
        ),
        "en": (
            "Show the items a custodian holds (key name, .pub file or public key);\n"
            "with no argument, your own (--as/--key, passphrase asked).\n"
            "\n"
            "Examples:\n"
            "  serah holdings pps-3101021002\n"
            "  serah holdings --as kpps-3101021002001 --json"
        ),
    },
    "out.holdings_of": {"id": "{who}: {n} barang", "en": "{who}: items held: {n}"},
}
