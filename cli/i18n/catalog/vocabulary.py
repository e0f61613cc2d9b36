"""The ledger's own words (record types, conditions, incident kinds, item
kinds), as a person reads and types them.

SPEC 4 fixes these values in English; a person sees and may type them in
their language. ``cli/vocabulary.py`` reads the typed word back into the
SPEC value through these same entries, so the word shown is always a word
accepted.
"""

MESSAGES = {
    # --- record types (SPEC 4) --------------------------------------------------
    "record_type.genesis": {"id": "pembukaan buku besar", "en": "ledger genesis"},
    "record_type.enrol": {"id": "pendaftaran petugas", "en": "enrolment"},
    "record_type.revoke": {"id": "pencabutan kunci", "en": "key revocation"},
    "record_type.register": {"id": "pendaftaran barang", "en": "registration"},
    "record_type.pack": {"id": "pengemasan", "en": "packing"},
    "record_type.seal": {"id": "penyegelan", "en": "sealing"},
    "record_type.open": {"id": "pembukaan kotak", "en": "box opening"},
    "record_type.handover.prepare": {"id": "serah terima (penyerahan)", "en": "handover (release)"},
    "record_type.handover.accept": {"id": "serah terima (penerimaan)", "en": "handover (acceptance)"},
    "record_type.handover.refuse": {"id": "serah terima (penolakan)", "en": "handover (refusal)"},
    "record_type.handover.withdraw": {"id": "serah terima (penarikan)", "en": "handover (withdrawal)"},
    "record_type.void": {"id": "pembatalan pendaftaran", "en": "voided registration"},
    "record_type.incident": {"id": "kejadian", "en": "incident"},
    "record_type.tally": {"id": "penghitungan surat suara", "en": "ballot tally"},
    "record_type.destroy": {"id": "pemusnahan", "en": "destruction"},
    "record_type.witness": {"id": "kesaksian", "en": "attestation"},
    # --- conditions (SPEC 4.9 lines) --------------------------------------------
    "condition.ok": {"id": "baik", "en": "ok"},
    "condition.damaged": {"id": "rusak", "en": "damaged"},
    "condition.wet": {"id": "basah", "en": "wet"},
    "condition.missing": {"id": "tidak ada", "en": "missing"},
    "condition.opened": {"id": "terbuka", "en": "opened"},
    # --- incident kinds (SPEC 4.11) ---------------------------------------------
    "incident_kind.damage": {"id": "kerusakan", "en": "damage"},
    "incident_kind.loss": {"id": "kehilangan", "en": "loss"},
    "incident_kind.flood": {"id": "banjir", "en": "flood"},
    "incident_kind.other": {"id": "lainnya", "en": "other"},
    # --- item kinds (SPEC 4.4) --------------------------------------------------
    "item_kind.box": {"id": "kotak suara", "en": "ballot box"},
    "item_kind.ballots": {"id": "surat suara", "en": "ballots"},
    "item_kind.form": {"id": "formulir", "en": "form"},
    "item_kind.seal": {"id": "segel", "en": "seal"},
    "item_kind.ink": {"id": "tinta", "en": "ink"},
    "item_kind.other": {"id": "lainnya", "en": "other"},
    # --- roles (README "Who signs what") ----------------------------------------
    "role_name.kpu": {"id": "KPU", "en": "KPU"},
    "role_name.printer": {"id": "percetakan", "en": "printer"},
    "role_name.ppk": {"id": "PPK", "en": "PPK"},
    "role_name.pps": {"id": "PPS", "en": "PPS"},
    "role_name.kpps": {"id": "KPPS", "en": "KPPS"},
    "role_name.escort": {"id": "pengawal", "en": "escort"},
    "role_name.witness": {"id": "saksi/pengawas", "en": "witness"},
    # --- record fields, as a summary names them (SPEC 4) ---------------------------
    "field.box": {"id": "kotak", "en": "box"},
    "field.seals": {"id": "segel", "en": "seals"},
    "field.description": {"id": "uraian", "en": "description"},
    "field.kind": {"id": "jenis", "en": "kind"},
    "field.condition": {"id": "kondisi", "en": "condition"},
    "field.place": {"id": "tempat", "en": "place"},
    "field.purpose": {"id": "keperluan", "en": "purpose"},
    "field.site": {"id": "lokasi", "en": "site"},
    "field.to": {"id": "kepada", "en": "to"},
    "field.handover": {"id": "serah terima", "en": "handover"},
    "field.intact": {"id": "utuh", "en": "intact"},
    "field.reason": {"id": "alasan", "en": "reason"},
    "field.method": {"id": "cara", "en": "method"},
    "field.statement": {"id": "pernyataan", "en": "statement"},
    "field.target": {"id": "rekaman", "en": "record"},
    "field.qty": {"id": "jumlah", "en": "qty"},
    "field.note": {"id": "catatan", "en": "note"},
    "field.used": {"id": "terpakai", "en": "used"},
    "field.unused": {"id": "sisa", "en": "unused"},
    "field.spoiled": {"id": "rusak", "en": "spoiled"},
    "field.qty_lost": {"id": "jumlah hilang", "en": "qty lost"},
    "field.escorts": {"id": "pengawal", "en": "escorts"},
    "field.witnesses": {"id": "saksi", "en": "witnesses"},
    "field.exception": {"id": "pengecualian", "en": "exception"},
    "field.incident": {"id": "kejadian", "en": "incident"},
    "field.key": {"id": "kunci", "en": "key"},
    "field.role": {"id": "peran", "en": "role"},
    "field.region": {"id": "wilayah", "en": "region"},
    "field.name": {"id": "nama", "en": "name"},
    "field.org": {"id": "organisasi", "en": "org"},
    "field.contents": {"id": "isi", "en": "contents"},
    "field.withdrawn": {"id": "ditarik", "en": "withdrawn"},
    "field.voided": {"id": "dibatalkan", "en": "voided"},
    "field.lines": {"id": "barang", "en": "items"},
    "word.yes": {"id": "ya", "en": "yes"},
    "word.no": {"id": "tidak", "en": "no"},
    # --- typed words that are none of the above ----------------------------------
    "error.bad_incident_kind": {"id": "jenis kejadian tidak dikenal: {value} (pilih: {expected})",
                                "en": "unknown incident kind: {value} (choose: {expected})"},
    "error.bad_choice": {"id": "nilai tidak dikenal: {value} (pilih: {expected})",
                         "en": "unknown value: {value} (choose: {expected})"},
    # --- yes/no facts shown in summaries ----------------------------------------
    "word.intact": {"id": "utuh", "en": "intact"},
    "word.broken": {"id": "rusak", "en": "broken"},
}
