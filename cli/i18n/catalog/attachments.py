"""Attachments: files attached to a record by their hash (SPEC 3.8), and how
export carries them in a bundle (SPEC 11.8)."""

MESSAGES = {
    "opt.attach": {
        "id": ("Lampirkan berkas (foto segel, BAST kertas yang dipindai, rekaman CCTV) dengan SHA-256-nya; "
               "berkas tetap di luar buku besar, hash-nya ikut ditandatangani. Boleh diulang (paling banyak 16)."),
        "en": ("Attach a file (seal photo, scanned paper BAST, CCTV clip) by its SHA-256; the file stays "
               "outside the ledger, its hash is signed. Repeatable (at most 16)."),
    },
    "opt.export.attachments": {
        "id": "Folder berisi berkas lampiran; yang cocok dengan hash di rekaman dimasukkan ke bundel.",
        "en": "Folder holding attached files; those matching a record's hash are put into the bundle.",
    },
    "error.attach_too_many": {"id": "{n} lampiran; paling banyak {limit} per rekaman",
                              "en": "{n} attachments; at most {limit} per record"},
    "error.attach_twice": {"id": "berkas {path} sama isinya dengan {other}: lampirkan sekali saja",
                           "en": "file {path} has the same content as {other}: attach it once"},
    "error.attach_name": {
        "id": "nama berkas {path}: paling banyak {limit} karakter, tanpa karakter kendali",
        "en": "file name {path}: at most {limit} characters, with no control character",
    },
    "error.attach_not_file": {"id": "{path} bukan berkas biasa", "en": "{path} is not a regular file"},
    "error.attach_too_large": {"id": "berkas {path} lebih besar dari {limit} bita",
                               "en": "file {path} is larger than {limit} bytes"},
    "error.attach_needs_output": {"id": "--attachments hanya bersama -o (bundel yang sedang ditulis)",
                                  "en": "--attachments only with -o (a bundle being written)"},
    "error.attach_folder": {"id": "folder lampiran {path} tidak ada", "en": "attachments folder {path} does not exist"},
    "error.attach_bundle_full": {
        "id": "lampiran membuat bundel lebih dari {limit} bita: ekspor lebih sedikit barang, atau tanpa --attachments",
        "en": "the attachments make the bundle larger than {limit} bytes: export fewer items, or without --attachments",
    },
    "out.attached": {"id": "lampiran: {name} ({size} bita) sha256:{sha256}",
                     "en": "attached: {name} ({size} bytes) sha256:{sha256}"},
    "export.attachments_in": {"id": "lampiran dalam bundel: {n} berkas", "en": "attachments in the bundle: {n} files"},
    "export.attachment_absent": {
        "id": "lampiran tidak ada di folder, tidak dimasukkan: {name} sha256:{sha256}",
        "en": "attachment not in the folder, not included: {name} sha256:{sha256}",
    },
    "finding.bundle.attachment_absent": {
        "id": "lampiran {name} (sha256 {sha256}) tidak ada di bundel: tidak diperiksa",
        "en": "attachment {name} (sha256 {sha256}) is not in the bundle: not checked",
    },
    "finding.bundle.attachment_mismatch": {
        "id": "lampiran {name}: berkas di bundel bukan yang ditandatangani rekaman (sha256 {sha256})",
        "en": "attachment {name}: the bundle's file is not the one the record signed (sha256 {sha256})",
    },
    "finding.bundle.attachment_unnamed": {
        "id": "bundel memuat berkas (sha256 {sha256}) yang tidak dilampirkan rekaman mana pun",
        "en": "the bundle carries a file (sha256 {sha256}) that no record attaches",
    },
    "attach.report.title": {"id": "Lampiran", "en": "Attachments"},
    "attach.col.attachment": {"id": "berkas", "en": "file"},
    "attach.col.media": {"id": "jenis", "en": "type"},
    "attach.col.size": {"id": "ukuran (bita)", "en": "size (bytes)"},
    "attach.col.sha256": {"id": "SHA-256", "en": "SHA-256"},
    "attach.col.record": {"id": "rekaman", "en": "record"},
    "attach.col.checked": {"id": "diperiksa", "en": "checked"},
    "attach.state.ok": {"id": "ada di bundel, hash cocok", "en": "in the bundle, hash matches"},
    "attach.state.absent": {"id": "tidak ada di bundel: tidak diperiksa", "en": "not in the bundle: not checked"},
    "attach.state.bad": {"id": "TIDAK COCOK", "en": "DOES NOT MATCH"},
}
