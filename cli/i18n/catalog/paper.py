"""``serah bast``, ``serah label``, scanned labels and bulk item selection."""

MESSAGES = {
    # --- commands ---------------------------------------------------------------------------
    "cmd.bast.short": {"id": "BAST (berita acara serah terima) cetak dan periksa.",
                       "en": "BAST (handover certificate): print and check."},
    "cmd.bast": {
        "id": (
            "Berita acara serah terima (BAST) satu serah terima, untuk ditandatangani di atas kertas.\n"
            "\n"
            "print menulis BAST sebagai PDF A4 dengan kode QR; check membaca teks kode QR itu\n"
            "(dari pemindai atau berkas) dan menyebut serah terima mana di buku besar ini.\n"
            "\n"
            "Contoh:\n"
            "  serah bast print ke-pps.serah -o bast.pdf\n"
            "  serah bast check \"SERAH-BAST/1 serah.kpu.go.id/3101 1a2b... 0f3e...\""
        ),
        "en": (
            "The handover certificate (BAST) of one handover, to be signed on paper.\n"
            "\n"
            "print writes the BAST as an A4 PDF with a QR code; check reads that QR code's\n"
            "text (from a scanner or a file) and says which handover of this ledger it is.\n"
            "\n"
            "Example:\n"
            "  serah bast print to-pps.serah -o bast.pdf\n"
            "  serah bast check \"SERAH-BAST/1 serah.kpu.go.id/3101 1a2b... 0f3e...\""
        ),
    },
    "cmd.bast.print.short": {"id": "Tulis BAST satu serah terima (PDF A4).", "en": "Write one handover's BAST (A4 PDF)."},
    "cmd.bast.print": {
        "id": ("Tulis BAST serah terima FILE|ID (berkas .serah atau id catatan persiapan) sebagai PDF A4:\n"
               "kedua pihak, barang, jumlah, segel, tempat dan waktu setempat, id catatan,\n"
               "tempat tanda tangan dan kode QR untuk serah bast check."),
        "en": ("Write the BAST of handover FILE|ID (a .serah file or the prepare record's id) as an A4\n"
               "PDF: both parties, items, counts, seals, place and local time, the record id,\n"
               "signature places and a QR code for serah bast check."),
    },
    "cmd.bast.check.short": {"id": "Periksa kode QR sebuah BAST.", "en": "Check a BAST's QR code."},
    "cmd.bast.check": {
        "id": ("Periksa teks kode QR BAST (TEXT, atau berkas berisi teks itu) terhadap buku besar ini,\n"
               "atau terhadap berkas serah terima dengan --handover. Keluar 2 bila teks bukan kode BAST,\n"
               "4 bila kode dari buku besar lain atau tidak cocok dengan berkasnya."),
        "en": ("Check a BAST's QR text (TEXT, or a file holding it) against this ledger, or against a\n"
               "handover file with --handover. Exit 2 when the text is no BAST code, 4 when it is\n"
               "from another ledger or does not match the file."),
    },
    "cmd.label.short": {"id": "Label QR untuk kotak dan paket surat suara.", "en": "QR labels for boxes and ballot packs."},
    "cmd.label": {
        "id": ("Label QR untuk barang: kode barang dan dua angka periksa (BARANG+CC). Pemindai yang\n"
               "membaca label mengetik teks itu; setiap perintah menerimanya sebagai kode barang."),
        "en": ("QR labels for items: the item id and two check digits (ITEM+CC). A scanner reading a\n"
               "label types that text; every command accepts it as an item id."),
    },
    "cmd.label.sheet.short": {"id": "Lembar label satu TPS (PDF A4).", "en": "One TPS's label sheet (A4 PDF)."},
    "cmd.label.sheet": {
        "id": "Tulis label semua barang tujuan satu TPS sebagai PDF A4, 21 label per halaman (3 x 7).",
        "en": "Write labels for every item bound for one TPS as an A4 PDF, 21 labels a page (3 x 7).",
    },
    "opt.bast_output": {"id": "Berkas PDF yang ditulis.", "en": "PDF file to write."},
    "opt.bast_handover": {"id": "Periksa terhadap berkas serah terima ini, bukan buku besar.",
                          "en": "Check against this handover file instead of the ledger."},
    "opt.label_tps": {"id": "Kode TPS (13 angka).", "en": "TPS code (13 digits)."},
    "opt.label_output": {"id": "Berkas PDF label yang ditulis.", "en": "Label PDF file to write."},
    "opt.items_from": {
        "id": "Ambil barang dari berkas: satu kode atau label per baris (# komentar; maks. 10.000).",
        "en": "Take items from a file: one id or label per line (# comments; up to 10,000).",
    },
    "opt.for_destination": {
        "id": "Ambil semua barang yang Anda pegang dengan tujuan di wilayah ini (satu truk, satu perintah).",
        "en": "Take every item you hold bound for this region (one truck, one command).",
    },
    # --- output -----------------------------------------------------------------------------
    "out.bast_written": {"id": "BAST ditulis: {file} (serah terima {id}, {n} barang)",
                         "en": "BAST written: {file} (handover {id}, {n} items)"},
    "out.bast_ok": {"id": "cocok: BAST serah terima {id} dari buku besar {name}",
                    "en": "matches: BAST of handover {id} of ledger {name}"},
    "out.bast_parties": {"id": "{giver} kepada {receiver}, {n} barang, {when}",
                         "en": "{giver} to {receiver}, {n} items, {when}"},
    "out.labels_written": {"id": "label ditulis: {file} ({n} label, {pages} halaman)",
                           "en": "labels written: {file} ({n} labels, {pages} pages)"},
    # --- errors -----------------------------------------------------------------------------
    "error.bad_check_digit": {
        "id": "angka periksa label salah: {label} (barang {item}); pindai atau ketik ulang labelnya",
        "en": "wrong check digits on label {label} (item {item}); scan or type the label again",
    },
    "error.items_file_too_big": {"id": "{path}: lebih dari {limit} bita", "en": "{path}: over {limit} bytes"},
    "error.items_file_too_many": {"id": "{path}: lebih dari {limit} barang", "en": "{path}: over {limit} items"},
    "error.items_file_not_text": {"id": "{path}: bukan teks UTF-8", "en": "{path}: not UTF-8 text"},
    "error.items_file_line": {"id": "{path} baris {line}: {detail}; tidak ada yang dicatat",
                              "en": "{path} line {line}: {detail}; nothing recorded"},
    "error.no_items_for_destination": {
        "id": "Anda tidak memegang barang dengan tujuan {code}",
        "en": "you hold no items bound for {code}",
    },
    "error.no_items_given": {"id": "sebutkan BARANG, --items-from atau --for-destination",
                             "en": "name ITEMs, --items-from or --for-destination"},
    "error.bast_payload": {"id": "bukan kode QR BAST Serah: {value}", "en": "not a Serah BAST QR code: {value}"},
    "error.bast_not_this_ledger": {
        "id": "kode BAST ini bukan dari buku besar ini ({ours}): tertulis {name}, angka periksanya tidak cocok",
        "en": "this BAST code is not from this ledger ({ours}): it names {name} and its check does not match",
    },
    "error.bast_not_this_file": {
        "id": "{path} memuat serah terima lain, bukan {id}",
        "en": "{path} holds another handover, not {id}",
    },
    "error.bast_other_ledger": {"id": "{path} berasal dari buku besar lain", "en": "{path} is from another ledger"},
    "error.label_not_tps": {"id": "--tps perlu kode TPS 13 angka, bukan {code}",
                            "en": "--tps needs a 13-digit TPS code, not {code}"},
    "error.label_no_items": {"id": "tidak ada barang dengan tujuan {code}", "en": "no items are bound for {code}"},
    "error.label_too_many": {"id": "lebih dari {limit} barang dengan tujuan {code}",
                             "en": "over {limit} items are bound for {code}"},
    # --- the BAST document ------------------------------------------------------------------
    "bast.title": {"id": "BERITA ACARA SERAH TERIMA", "en": "HANDOVER CERTIFICATE (BAST)"},
    "bast.subtitle": {"id": "Logistik Pemilu, dicatat di buku besar Serah",
                      "en": "Election logistics, recorded in the Serah ledger"},
    "bast.record": {"id": "Id catatan: {id}", "en": "Record id: {id}"},
    "bast.ledger": {"id": "Buku besar: {name}", "en": "Ledger: {name}"},
    "bast.qr_caption": {"id": "Periksa: serah bast check", "en": "Check: serah bast check"},
    "bast.opening": {
        "id": "Pada {when}, di {site} ({place}), kami yang bertanda tangan di bawah ini:",
        "en": "On {when}, at {site} ({place}), we the undersigned:",
    },
    "bast.first_party": {"id": "PIHAK PERTAMA (yang menyerahkan)", "en": "FIRST PARTY (handing over)"},
    "bast.second_party": {"id": "PIHAK KEDUA (yang menerima)", "en": "SECOND PARTY (receiving)"},
    "bast.name": {"id": "Nama", "en": "Name"},
    "bast.role": {"id": "Jabatan", "en": "Role"},
    "bast.region": {"id": "Wilayah", "en": "Region"},
    "bast.key": {"id": "Sidik kunci", "en": "Key fingerprint"},
    "bast.handed": {
        "id": "Pihak Pertama menyerahkan kepada Pihak Kedua barang berikut, untuk keperluan: {purpose}.",
        "en": "The First Party hands over to the Second Party the following items, for: {purpose}.",
    },
    "bast.exception": {"id": "Pengecualian yang dicatat: {text}", "en": "Exception recorded: {text}"},
    "bast.items": {"id": "Daftar barang", "en": "Items"},
    "bast.col.no": {"id": "No", "en": "No"},
    "bast.col.item": {"id": "Kode barang", "en": "Item id"},
    "bast.col.kind": {"id": "Jenis", "en": "Kind"},
    "bast.col.qty": {"id": "Jumlah", "en": "Count"},
    "bast.col.seals": {"id": "Nomor segel", "en": "Seal numbers"},
    "bast.col.contents": {"id": "Isi", "en": "Contents"},
    "bast.totals": {"id": "Jumlah: {items} barang, {qty} lembar/unit terhitung, {seals} segel.",
                    "en": "Total: {items} items, {qty} sheets/units counted, {seals} seals."},
    "bast.present": {"id": "Disaksikan oleh", "en": "Witnessed by"},
    "bast.escort": {"id": "Pengawal", "en": "Escort"},
    "bast.witness": {"id": "Saksi", "en": "Witness"},
    "bast.status_title": {"id": "Catatan buku besar", "en": "Ledger record"},
    "bast.status.open": {"id": "Sudah dicatat, belum diterima oleh Pihak Kedua.",
                         "en": "Recorded, not yet accepted by the Second Party."},
    "bast.status.not_submitted": {"id": "Berkas luring: belum dicatat di buku besar.",
                                  "en": "Offline file: not yet recorded in the ledger."},
    "bast.status.accept": {"id": "Diterima oleh Pihak Kedua pada {when}.", "en": "Accepted by the Second Party on {when}."},
    "bast.status.partial": {"id": "Diterima sebagian pada {when}: {reason}.", "en": "Accepted in part on {when}: {reason}."},
    "bast.status.refuse": {"id": "Ditolak oleh Pihak Kedua pada {when}: {reason}.",
                           "en": "Refused by the Second Party on {when}: {reason}."},
    "bast.status.withdraw": {"id": "Ditarik oleh Pihak Pertama pada {when}: {reason}.",
                             "en": "Withdrawn by the First Party on {when}: {reason}."},
    "bast.closing": {
        "id": "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.",
        "en": "This certificate is made truthfully, to be used as appropriate.",
    },
    "bast.signatures": {"id": "Tanda tangan", "en": "Signatures"},
    "bast.first_party_sign": {"id": "Pihak Pertama", "en": "First Party"},
    "bast.second_party_sign": {"id": "Pihak Kedua", "en": "Second Party"},
    "bast.unknown_person": {"id": "(tidak terdaftar di buku besar ini)", "en": "(not enrolled in this ledger)"},
    "bast.footer": {"id": "BAST {id} · {name} · halaman {page}", "en": "BAST {id} · {name} · page {page}"},
    # --- labels -----------------------------------------------------------------------------
    "label.title": {"id": "Label barang TPS {code}", "en": "Item labels, TPS {code}"},
    "label.scan_hint": {"id": "pindai atau ketik: kode+angka periksa", "en": "scan or type: id+check digits"},
}
