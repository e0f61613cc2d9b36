"""``serah verify --receipt FILE``: kept receipts against a log (SPEC 12.2, R1)."""

MESSAGES = {
    "opt.verify_receipt": {
        "id": "Berkas tanda terima log (.receipt) yang disimpan: periksa bahwa rekamannya ada di checkpoint "
              "terakhir log (R1) pada posisinya (boleh berulang). Log: PATH, --server URL atau --db.",
        "en": "A kept log receipt file (.receipt): check that its record is in the log's latest checkpoint at its "
              "position (R1; repeatable). The log: PATH, --server URL or --db.",
    },
    "error.receipt_needs_log_key": {
        "id": "memeriksa tanda terima memerlukan kunci log yang disematkan (--log-vkey atau --trust)",
        "en": "checking receipts needs the pinned log key (--log-vkey or --trust)",
    },
    "error.receipt_bundle": {
        "id": "{path}: tanda terima diperiksa terhadap basis data buku besar atau log yang dilayani (URL), "
              "bukan bundel",
        "en": "{path}: receipts are checked against a ledger database or a served log (URL), not a bundle",
    },
    "error.receipt_unusable": {
        "id": "tanda terima tidak dapat diperiksa: {detail}",
        "en": "the receipts cannot be checked: {detail}",
    },
    "receipt.kept": {
        "id": "R1 ok {file}: rekaman {record} ada di posisi #{position} checkpoint {size}",
        "en": "R1 ok {file}: record {record} is at position #{position} of checkpoint {size}",
    },
    "receipt.not_yet": {
        "id": "R1 peringatan {file}: rekaman {record} (#{position}) belum tercakup checkpoint {size}; "
              "periksa lagi nanti",
        "en": "R1 warning {file}: record {record} (#{position}) is not yet covered by checkpoint {size}; "
              "check again later",
    },
    "receipt.missing": {
        "id": "R1 galat {file}: log berjanji rekaman {record} di posisi #{position}, tetapi checkpoint {size} "
              "tidak memuatnya ({detail}). Tanda terima dan checkpoint ini adalah bukti terhadap operator log.",
        "en": "R1 error {file}: the log promised record {record} at position #{position}, but checkpoint {size} "
              "does not hold it ({detail}). This receipt and checkpoint are evidence against the log operator.",
    },
    "receipt.summary": {
        "id": "{n} tanda terima: {kept} ada di log, {missing} hilang, {not_yet} belum tercakup.",
        "en": "{n} receipts: {kept} in the log, {missing} missing, {not_yet} not yet covered.",
    },
}
