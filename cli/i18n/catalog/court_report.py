"""The court report's own blocks: who exported it and for which case, the signature place,
the plain-language key to signatures and check codes, the timeline per handover and the
chain of custody per box (``cli/report/``)."""

MESSAGES = {
    # --- options and refusals ---------------------------------------------------------
    "opt.export.case": {"id": "Perkara yang dilayani laporan ini (nomor atau uraian singkat; maks. 200 karakter).",
                        "en": "The case this report is for (a number or short description; at most 200 characters)."},
    "opt.export.exported_by": {
        "id": "Nama pengekspor di laporan (bawaan: nama terdaftar kunci --as; maks. 200 karakter).",
        "en": "The exporter's name on the report (default: the enrolled name of the --as key; at most 200 characters)."},
    "error.report_bad_text": {
        "id": "{option} tidak dapat dipakai: {why}",
        "en": "{option} cannot be used: {why}"},
    "error.report_text_control": {"id": "berisi karakter kendali", "en": "it contains a control character"},
    "error.report_text_long": {"id": "lebih dari {limit} karakter", "en": "longer than {limit} characters"},
    "error.report_text_empty": {"id": "kosong", "en": "it is empty"},
    # --- attribution and signature place ------------------------------------------------
    "report.attribution": {"id": "Keterangan ekspor", "en": "About this export"},
    "report.case": {"id": "Untuk perkara", "en": "For case"},
    "report.exported_by": {"id": "Diekspor oleh", "en": "Exported by"},
    "report.exported_at": {"id": "Laporan dibuat", "en": "Report made"},
    "report.not_stated": {"id": "(tidak disebutkan)", "en": "(not stated)"},
    "report.signature_place": {"id": "Tanda tangan", "en": "Signatures"},
    "report.sign_exporter": {"id": "Yang mengekspor", "en": "Exported by"},
    "report.sign_receiver": {"id": "Yang menerima laporan", "en": "Received by"},
    "report.sign_name": {"id": "Nama", "en": "Name"},
    "report.sign_date": {"id": "Tanggal", "en": "Date"},
    "report.sign_signature": {"id": "Tanda tangan", "en": "Signature"},
    "report.sign_note": {
        "id": "Tanda tangan di kertas ini menyatakan siapa yang mencetak dan menerima laporan; "
              "keasliannya sendiri dibuktikan oleh sidik jari berkas di setiap halaman.",
        "en": "The signatures on this paper say who printed and who received the report; "
              "its authenticity is shown by the bundle fingerprint on every page."},
    # --- timeline per handover ------------------------------------------------------------
    "report.handover_parties": {"id": "{released} → {received}", "en": "{released} → {received}"},
    "report.block.released": {"id": "Diserahkan", "en": "Released"},
    "report.block.received": {"id": "Diterima", "en": "Received"},
    "report.block.by": {"id": "Oleh", "en": "By"},
    "report.block.signed": {"id": "Turut menandatangani", "en": "Also signed"},
    "report.block.items": {"id": "{count} barang", "en": "{count} items"},
    "report.block.ok_items": {"id": "Sesuai", "en": "As declared"},
    "report.block.item_differs": {"id": "Berbeda", "en": "Differs"},
    "report.col.when_where": {"id": "Waktu dan tempat", "en": "When and where"},
    "report.col.handover": {"id": "Serah terima dan penanda tangan", "en": "Handover and signers"},
    "report.col.items": {"id": "Barang (jumlah dinyatakan / diterima, segel)",
                         "en": "Items (quantity declared / received, seals)"},
    # --- chain per box ----------------------------------------------------------------------
    "report.chains": {"id": "Rantai kustodi per kotak", "en": "Chain of custody per box"},
    "report.chains_note": {
        "id": "Setiap kotak: siapa memegangnya, berurutan, di mana dan kapan ia menerimanya, "
              "dan siapa turut menandatangani serah terima itu.",
        "en": "Each box: who held it, in order, where and when they received it, and who also "
              "signed that handover."},
    "report.chain.registered": {"id": "didaftarkan", "en": "registered"},
    "report.chain.witnessed": {"id": "saksi: {people}", "en": "witness: {people}"},
    "report.chain.unsigned": {"id": "disebut, tidak menandatangani: {people}",
                              "en": "named, did not sign: {people}"},
    "report.chain.none": {"id": "Tidak ada kotak dalam berkas ini.", "en": "No box in this bundle."},
    "report.chain.in_transit": {"id": "dalam perjalanan ke {who}", "en": "in transit to {who}"},
    # --- the key ------------------------------------------------------------------------------
    "report.key": {"id": "Keterangan tanda tangan dan kode pemeriksaan",
                   "en": "Key to signatures and check codes"},
    "report.key.signatures": {"id": "Jenis tanda tangan", "en": "Kinds of signature"},
    "report.key.checks": {"id": "Kode pemeriksaan", "en": "Check codes"},
    "report.key.checks_note": {
        "id": "Kode V untuk rekaman, T untuk log transparansi, B untuk berkas bukti, R untuk tanda terima. "
              "Kesalahan: aturan atau keutuhan dilanggar. Peringatan: mencurigakan tetapi ditandatangani. "
              "Catatan: fakta tercatat yang perlu dilihat orang.",
        "en": "V codes are about records, T about the transparency log, B about the evidence bundle, R about "
              "receipts. Error: a rule or integrity broken. Warning: suspicious but signed. Notice: a recorded "
              "fact a person should look at."},
    "report.key.sig.author": {
        "id": "Pembuat: orang yang membuat rekaman menandatanganinya dengan kuncinya sendiri (Ed25519).",
        "en": "Author: the person who made a record signed it with their own key (Ed25519)."},
    "report.key.sig.cosign": {
        "id": "Tanda tangan bersama: pengawal atau saksi menandatangani rekaman yang sama pada saat itu.",
        "en": "Co-signature: an escort or witness signed the same record at the time."},
    "report.key.sig.attest": {
        "id": "Kesaksian kemudian: saksi menandatangani pernyataan tersendiri tentang rekaman itu.",
        "en": "Later attestation: a witness signed a separate statement about that record."},
    "report.key.sig.named": {
        "id": "Disebut, tidak menandatangani: pemberi menyebut orang ini, tetapi ia tidak pernah menandatangani; "
              "ia bukan saksi serah terima itu.",
        "en": "Named, did not sign: the giver named this person, who never signed; they are not a witness "
              "of that handover."},
    "report.key.sig.log": {
        "id": "Checkpoint log: operator log menandatangani ukuran dan akar pohon semua rekaman pada saat itu.",
        "en": "Log checkpoint: the log operator signed the size and root of the tree of all records at that time."},
    "report.key.sig.witness": {
        "id": "Tanda tangan saksi log (mis. Bawaslu): saksi independen melihat checkpoint yang sama.",
        "en": "Log witness cosignature (e.g. Bawaslu): an independent witness saw the same checkpoint."},
    "report.key.sig.exporter": {
        "id": "Tanda tangan pengekspor: kunci KPU menandatangani cakupan berkas (B11); tanpanya cakupan hanya klaim.",
        "en": "Exporter signature: a KPU key signed the bundle's scope (B11); without it the scope is only a claim."},
    "report.key.V1": {"id": "Pengodean rekaman utuh dan baku.", "en": "The record's encoding is intact and canonical."},
    "report.key.V2": {"id": "Bentuk rekaman: jenis dan kolom yang wajib, tanpa kolom asing.",
                      "en": "Record form: known type, required fields, nothing unknown."},
    "report.key.V3": {"id": "Rekaman milik buku besar ini (genesis yang sama).",
                      "en": "The record belongs to this ledger (the same genesis)."},
    "report.key.V4": {"id": "Setiap tanda tangan sah.", "en": "Every signature is valid."},
    "report.key.V5": {"id": "Penanda tangan berwenang: terdaftar, tidak dicabut, peran dan wilayahnya cocok.",
                      "en": "Signers are authorised: enrolled, not revoked, right role and region."},
    "report.key.V6": {"id": "Pendaftaran dan pencabutan kunci mengikuti aturan.",
                      "en": "Key enrolment and revocation follow the rules."},
    "report.key.V7": {"id": "Rantai barang tersambung: setiap rekaman menunjuk rekaman sebelumnya, tanpa pengulangan.",
                      "en": "The item's chain is linked: each record points to the one before, no replay."},
    "report.key.V8": {"id": "Tidak ada cabang: tidak ada dua kelanjutan dari rekaman yang sama.",
                      "en": "No fork: no two continuations of the same record."},
    "report.key.V9": {"id": "Kustodi: hanya pemegang yang menyerahkan, hanya penerima yang disebut menerima.",
                      "en": "Custody: only the holder hands over, only the named receiver accepts."},
    "report.key.V10": {"id": "Jalur: serah terima di luar jalur yang diizinkan.",
                       "en": "Path: a handover off the allowed path."},
    "report.key.V11": {"id": "Tujuan: penerima bukan wilayah tujuan barang (tertukar).",
                       "en": "Destination: the receiver is not in the item's destination region (swapped)."},
    "report.key.V12": {"id": "Tidak ada rekaman setelah barang dimusnahkan.",
                       "en": "Nothing recorded after an item was destroyed."},
    "report.key.V13": {"id": "Jumlah: yang dinyatakan, diterima dan dihitung; selisih dicatat.",
                       "en": "Counts: declared, received and tallied; differences noted."},
    "report.key.V14": {"id": "Segel: nomor segel yang dinyatakan dan yang ditemukan; selisih dicatat.",
                       "en": "Seals: seal numbers declared and found; differences noted."},
    "report.key.V15": {"id": "Pembukaan kotak: disaksikan, oleh peran dan pada hari yang diizinkan.",
                       "en": "Opening a box: witnessed, by an allowed role on an allowed day."},
    "report.key.V16": {"id": "Waktu tidak mundur sepanjang rantai barang dan tidak di masa depan.",
                       "en": "Time does not go back along an item's chain and is not in the future."},
    "report.key.V17": {"id": "Batas waktu: diterima KPPS setelah batas H-1.",
                       "en": "Deadline: accepted by a KPPS after the H-1 deadline."},
    "report.key.V18": {"id": "Tindakan yang wajib disaksikan (pemusnahan); kejadian dan penolakan dicatat.",
                       "en": "Acts that need a witness (destruction); incidents and refusals listed."},
    "report.key.V19": {"id": "Jeda kustodi: barang lebih dari 72 jam dalam perjalanan tanpa penerima.",
                       "en": "Custody gap: items more than 72 hours in transit with no receiver."},
    "report.key.T1": {"id": "Checkpoint log ditandatangani kunci log yang benar.",
                      "en": "The log checkpoint is signed by the right log key."},
    "report.key.T2": {"id": "Tanda tangan saksi pada checkpoint sah.", "en": "Witness cosignatures on the checkpoint are valid."},
    "report.key.T3": {"id": "Ada checkpoint yang ditandatangani saksi tepercaya.",
                      "en": "There is a checkpoint cosigned by a trusted witness."},
    "report.key.T4": {"id": "Akar pohon checkpoint cocok dengan rekaman.", "en": "The checkpoint's root matches the records."},
    "report.key.T5": {"id": "Setiap rekaman terbukti termasuk dalam checkpoint.",
                      "en": "Every record is proven to be in the checkpoint."},
    "report.key.T6": {"id": "Checkpoint lama dan baru konsisten: sejarah tidak ditulis ulang.",
                      "en": "Older and newer checkpoints agree: history was not rewritten."},
    "report.key.B1": {"id": "Berkas dapat dibaca sebagai berkas bukti Serah.", "en": "The file reads as a Serah evidence bundle."},
    "report.key.B2": {"id": "Susunan bagian berkas benar.", "en": "The bundle's parts are well formed."},
    "report.key.B3": {"id": "Setiap bagian cocok dengan sidik jarinya di manifest.",
                      "en": "Every part matches its fingerprint in the manifest."},
    "report.key.B4": {"id": "Genesis buku besar ada dan cocok dengan manifest.",
                      "en": "The ledger's genesis is present and matches the manifest."},
    "report.key.B5": {"id": "Checkpoint berkas ditandatangani kunci log.", "en": "The bundle's checkpoint is signed by the log key."},
    "report.key.B6": {"id": "Saksi log menandatangani checkpoint berkas.", "en": "Log witnesses cosigned the bundle's checkpoint."},
    "report.key.B7": {"id": "Setiap rekaman terbukti termasuk dalam checkpoint.",
                      "en": "Every record is proven to be in the checkpoint."},
    "report.key.B8": {"id": "Daftar kunci cocok dengan rekaman pendaftaran.", "en": "The key list matches the enrolment records."},
    "report.key.B9": {"id": "Lengkap: tidak ada rekaman rantai barang yang hilang.",
                      "en": "Complete: no record of an item's chain is missing."},
    "report.key.B10": {"id": "Jangkar: kunci yang dipublikasikan KPU dan Bawaslu cocok dengan berkas.",
                       "en": "Anchors: the keys KPU and Bawaslu published match the bundle."},
    "report.key.B11": {"id": "Pengekspor: cakupan berkas ditandatangani kunci KPU.",
                       "en": "Exporter: the bundle's scope is signed by a KPU key."},
    "report.key.B12": {"id": "Cakupan: barang dalam berkas tepat yang dipilih.",
                       "en": "Scope: the bundle holds exactly the items selected."},
    "report.key.R1": {"id": "Tanda terima server cocok dengan checkpoint log.",
                      "en": "A server receipt matches the log's checkpoint."},
}
