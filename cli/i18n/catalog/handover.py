"""``serah handover``: prepare, cosign, submit, accept, refuse, show."""

MESSAGES = {
    "cmd.handover.short": {"id": "Serah terima: siapkan, terima, tolak.", "en": "Handovers: prepare, accept, refuse."},
    "cmd.handover": {
        "id": (
            "Serah terima barang antarpetugas.\n"
            "\n"
            "Pemberi menyiapkan dan menandatangani (prepare) lalu mendapat berkas .serah;\n"
            "pengawal dan saksi dapat ikut menandatangani berkas itu (cosign); penerima\n"
            "memeriksa jumlah, segel dan kondisi lalu menerima (accept) atau menolak\n"
            "(refuse). Selisih dicatat oleh penerimaan itu sendiri, tidak pernah diam-diam.\n"
            "\n"
            "Contoh alur:\n"
            "  serah handover prepare KS-3101011001001-PPWP --to pps-3101011001 \\\n"
            "      --site \"Dermaga Pulau Panggang\" --purpose \"distribusi ke PPS\" --as ppk-310101\n"
            "  serah handover accept handover-1a2b3c4d5e6f.serah --as pps-3101011001"
        ),
        "en": (
            "Handovers of items between custodians.\n"
            "\n"
            "The giver prepares and signs (prepare) and gets a .serah file; escorts and\n"
            "witnesses may co-sign that file (cosign); the receiver checks counts, seals\n"
            "and condition, then accepts (accept) or refuses (refuse). Differences are\n"
            "recorded by the acceptance itself, never silently.\n"
            "\n"
            "Example flow:\n"
            "  serah handover prepare KS-3101011001001-PPWP --to pps-3101011001 \\\n"
            "      --site \"Pulau Panggang pier\" --purpose \"distribution to PPS\" --as ppk-310101\n"
            "  serah handover accept handover-1a2b3c4d5e6f.serah --as pps-3101011001"
        ),
    },
    "cmd.handover.prepare.short": {"id": "Siapkan serah terima dan tulis berkasnya.", "en": "Prepare a handover and write its file."},
    "cmd.handover.prepare": {
        "id": (
            "Siapkan serah terima BARANG yang Anda pegang kepada penerima (--to), dengan\n"
            "tempat, lokasi dan tujuan. Jumlah, segel dan isi kotak diambil dari buku besar\n"
            "dan ditandatangani. Menulis berkas serah terima (SPEC 7.1) dan, kecuali\n"
            "--offline, langsung mencatatnya; barang berstatus dalam perjalanan.\n"
            "Dengan --offline berkas dibawa ke penerima, yang mencatatnya saat menerima;\n"
            "pengawal/saksi menandatangani berkas itu lebih dulu dengan handover cosign.\n"
            "\n"
            "Contoh:\n"
            "  serah handover prepare KS-3101021002001-PPWP KS-3101021002001-DPR \\\n"
            "      --to kpps-3101021002001 --site \"Dermaga Pulau Tidung\" \\\n"
            "      --purpose \"distribusi logistik ke TPS\" --escort polair-1 --offline -o tidung-001.serah --as pps-3101021002"
        ),
        "en": (
            "Prepare a handover of ITEMs you hold to a receiver (--to), with place, site\n"
            "and purpose. Counts, seals and box contents come from the ledger and are\n"
            "signed. Writes the handover file (SPEC 7.1) and, unless --offline, records\n"
            "it at once; the items are then in transit.\n"
            "With --offline the file travels to the receiver, who records it on\n"
            "acceptance; escorts/witnesses first co-sign the file with handover cosign.\n"
            "\n"
            "Example:\n"
            "  serah handover prepare KS-3101021002001-PPWP KS-3101021002001-DPR \\\n"
            "      --to kpps-3101021002001 --site \"Pulau Tidung pier\" \\\n"
            "      --purpose \"distribution to the TPS\" --escort polair-1 --offline -o tidung-001.serah --as pps-3101021002"
        ),
    },
    "cmd.handover.cosign.short": {"id": "Tanda tangani bersama berkas serah terima atau rekaman (pengawal/saksi).",
                                  "en": "Co-sign a handover file or a record file (escort/witness)."},
    "cmd.handover.cosign": {
        "id": (
            "Pengawal atau saksi ikut menandatangani berkas serah terima yang belum dicatat\n"
            "(disiapkan dengan --offline), atau berkas rekaman open/destroy (disiapkan dengan -o),\n"
            "di perangkat saksi sendiri. Berkas diperbarui di tempat. Juga: serah cosign BERKAS.\n"
            "\n"
            "Contoh:\n"
            "  serah handover cosign tidung-001.serah --as polair-1"
        ),
        "en": (
            "An escort or witness co-signs a handover file that is not yet recorded\n"
            "(prepared with --offline), or an open/destroy record file (written with -o), on the\n"
            "witness's own device. The file is updated in place. Also: serah cosign FILE.\n"
            "\n"
            "Example:\n"
            "  serah handover cosign tidung-001.serah --as polair-1"
        ),
    },
    "cmd.cosign.short": {"id": "Tanda tangani bersama berkas rekaman atau serah terima (saksi/pengawal).",
                         "en": "Co-sign a record file or a handover file (witness/escort)."},
    "cmd.cosign": {
        "id": (
            "Saksi atau pengawal menandatangani bersama, di perangkatnya sendiri, berkas rekaman\n"
            "(open/destroy yang ditulis dengan -o) atau berkas serah terima (--offline). Kunci\n"
            "saksi tidak pernah berpindah ke perangkat lain. Berkas diperbarui di tempat; yang\n"
            "ditandatangani ditampilkan.\n"
            "\n"
            "Contoh:\n"
            "  serah cosign buka-001.serah --as ptps-001"
        ),
        "en": (
            "A witness or escort co-signs, on their own device, a record file (open/destroy\n"
            "written with -o) or a handover file (--offline). The witness's key never moves to\n"
            "another machine. The file is updated in place; what was signed is shown.\n"
            "\n"
            "Example:\n"
            "  serah cosign open-001.serah --as ptps-001"
        ),
    },
    "cmd.submit.short": {"id": "Catat berkas rekaman atau serah terima ke buku besar.",
                         "en": "Record a record file or a handover file in the ledger."},
    "cmd.submit": {
        "id": (
            "Catat berkas rekaman (sesudah saksi menandatanganinya) atau berkas serah terima.\n"
            "Rekaman yang sudah ada dilewati. Tidak perlu kunci.\n"
            "\n"
            "Contoh:\n"
            "  serah submit buka-001.serah"
        ),
        "en": (
            "Record a record file (once its witness co-signed it) or a handover file. Records\n"
            "already present are skipped. No key needed.\n"
            "\n"
            "Example:\n"
            "  serah submit open-001.serah"
        ),
    },
    "cmd.handover.submit.short": {"id": "Catat berkas serah terima atau rekaman ke buku besar.",
                                  "en": "Record a handover file or a record file in the ledger."},
    "cmd.handover.submit": {
        "id": (
            "Catat rekaman dalam berkas serah terima yang ditandatangani di luar jaringan\n"
            "(sesudah cosign, atau penerimaan yang dibuat offline). Rekaman yang sudah ada\n"
            "dilewati. Tidak perlu kunci: tanda tangannya sudah ada di berkas.\n"
            "\n"
            "Contoh:\n"
            "  serah handover submit tidung-001.serah"
        ),
        "en": (
            "Record the records of a handover file signed offline (after cosign, or an\n"
            "acceptance made offline). Records already present are skipped. No key\n"
            "needed: the signatures are in the file.\n"
            "\n"
            "Example:\n"
            "  serah handover submit tidung-001.serah"
        ),
    },
    "cmd.handover.accept.short": {"id": "Terima barang, dengan jumlah/segel/kondisi yang diamati.", "en": "Accept items, with observed counts/seals/condition."},
    "cmd.handover.accept": {
        "id": (
            "Terima serah terima dalam BERKAS setelah memeriksa barangnya. Tanpa opsi,\n"
            "semua sesuai yang dinyatakan pemberi dan kondisinya baik; bila berbeda, catat\n"
            "yang Anda lihat: selisih menjadi bagian rekaman. Hak pegang berpindah kepada\n"
            "Anda. Rekaman penerimaan ditambahkan ke BERKAS sebagai tanda terima.\n"
            "\n"
            "Contoh:\n"
            "  serah handover accept tidung-001.serah --as kpps-3101021002001\n"
            "  serah handover accept gudang.serah --observed-qty KS-3101011001001-PPWP-SS=260 \\\n"
            "      --condition KS-3101011002004-DPD=damaged --note \"sudut kotak sobek\" --as kpu-3101"
        ),
        "en": (
            "Accept the handover in FILE after checking the items. With no options,\n"
            "everything is as the giver declared and in good condition; where it differs,\n"
            "record what you see: the difference becomes part of the record. Custody\n"
            "moves to you. The acceptance is added to FILE as the giver's receipt.\n"
            "\n"
            "Examples:\n"
            "  serah handover accept tidung-001.serah --as kpps-3101021002001\n"
            "  serah handover accept warehouse.serah --observed-qty KS-3101011001001-PPWP-SS=260 \\\n"
            "      --condition KS-3101011002004-DPD=damaged --note \"box corner torn\" --as kpu-3101"
        ),
    },
    "cmd.handover.refuse.short": {"id": "Tolak serah terima; barang tetap pada pemberi.", "en": "Refuse a handover; the giver keeps the items."},
    "cmd.handover.refuse": {
        "id": (
            "Tolak serah terima dalam BERKAS dengan alasan (misalnya segel rusak, barang\n"
            "tertukar). Hak pegang tetap pada pemberi; barang tidak lagi dalam perjalanan.\n"
            "\n"
            "Contoh:\n"
            "  serah handover refuse tidung-001.serah --reason \"segel kotak DPD putus\" --as kpps-3101021002001"
        ),
        "en": (
            "Refuse the handover in FILE, with a reason (e.g. broken seal, wrong\n"
            "destination). Custody stays with the giver; the items are no longer in transit.\n"
            "\n"
            "Example:\n"
            "  serah handover refuse tidung-001.serah --reason \"DPD box seal cut\" --as kpps-3101021002001"
        ),
    },
    "cmd.handover.show.short": {"id": "Tampilkan isi berkas serah terima.", "en": "Show what a handover file says."},
    "cmd.handover.show": {
        "id": (
            "Tampilkan isi BERKAS serah terima: pemberi, penerima, waktu, tempat, barang,\n"
            "jumlah dan segel yang dinyatakan, dan siapa saja yang menandatangani. Tanda\n"
            "tangan diperiksa. Baca ini sebelum menerima.\n"
            "\n"
            "Contoh:\n"
            "  serah handover show tidung-001.serah"
        ),
        "en": (
            "Show a handover FILE: giver, receiver, time, place, items, declared counts\n"
            "and seals, and who signed. Signatures are checked. Read this before accepting.\n"
            "\n"
            "Example:\n"
            "  serah handover show tidung-001.serah"
        ),
    },
    "cmd.attest.short": {"id": "Saksi/pengawal membubuhkan kesaksian atas rekaman yang sudah ada.", "en": "A witness or escort attests an existing record."},
    "cmd.attest": {
        "id": (
            "Tanda tangan susulan: saksi atau pengawal yang tidak sempat ikut menandatangani\n"
            "sebuah rekaman (misalnya serah terima yang sudah dicatat) membuat rekaman\n"
            "kesaksian yang menyebut rekaman itu, dengan pernyataannya.\n"
            "\n"
            "Contoh:\n"
            "  serah attest ke-ppk.serah --statement \"mengawal penyeberangan, segel utuh\" --as polair-1\n"
            "  serah attest 61ae49d0a94cf8905e6bf91a03f6db57f594c30e7a3d1d87d469f2dd5d6995a5 \\\n"
            "      --statement \"hadir saat pembukaan kotak\" --as pkd-3101011001"
        ),
        "en": (
            "Late co-signature: a witness or escort who could not co-sign a record (for\n"
            "example a handover already recorded) writes a witness record naming it,\n"
            "with a statement.\n"
            "\n"
            "Examples:\n"
            "  serah attest to-ppk.serah --statement \"escorted the crossing, seals intact\" --as polair-1\n"
            "  serah attest 61ae49d0a94cf8905e6bf91a03f6db57f594c30e7a3d1d87d469f2dd5d6995a5 \\\n"
            "      --statement \"present at the opening\" --as pkd-3101011001"
        ),
    },
    "opt.statement": {"id": "Pernyataan saksi.", "en": "The witness's statement."},
    "error.bad_record_id": {
        "id": "bukan identitas rekaman (64 digit heksadesimal) atau berkas serah terima: {value}",
        "en": "not a record id (64 hex digits) or a handover file: {value}",
    },
    "opt.to": {"id": "Penerima: nama kunci, berkas .pub, atau kunci publik.", "en": "Receiver: key name, .pub file or public key."},
    "opt.place": {"id": "Kode wilayah tempat serah terima (bawaan: wilayah Anda).", "en": "Region code where the handover happens (default: yours)."},
    "opt.site": {"id": "Lokasi, mis. \"Dermaga Kali Adem, Muara Angke\".", "en": "Site, e.g. \"Dermaga Kali Adem, Muara Angke\"."},
    "opt.purpose": {"id": "Tujuan, mis. \"distribusi logistik ke TPS\".", "en": "Purpose, e.g. \"distribution to the TPS\"."},
    "opt.escort": {"id": "Pengawal yang diharapkan ikut menandatangani (boleh diulang).", "en": "An escort expected to co-sign (repeatable)."},
    "opt.witness": {"id": "Saksi yang diharapkan ikut menandatangani (boleh diulang).", "en": "A witness expected to co-sign (repeatable)."},
    "opt.output": {"id": "Berkas serah terima yang ditulis (bawaan handover-ID.serah).", "en": "Handover file to write (default handover-ID.serah)."},
    "opt.offline": {
        "id": "Jangan catat sekarang: berkas dibawa ke penerima.",
        "en": "Do not record now: the file travels to the receiver.",
    },
    "opt.observed_qty": {"id": "Jumlah yang dihitung (BARANG=N).", "en": "Quantity counted (ITEM=N)."},
    "opt.observed_seals": {"id": "Nomor segel yang ditemukan (KOTAK=S1,S2).", "en": "Seal numbers found (BOX=S1,S2)."},
    "opt.note": {"id": "Catatan untuk satu barang (BARANG=TEKS) atau semua.", "en": "A note for one item (ITEM=TEXT) or all."},
    "opt.receipt": {"id": "Tulis tanda terima ke berkas ini (bawaan: BERKAS).", "en": "Write the receipt to this file (default: FILE)."},
    "out.prepared": {
        "id": "serah terima {id} dicatat ({n} barang, dalam perjalanan); berkas: {file}",
        "en": "handover {id} recorded, items in transit: {n}; file: {file}",
    },
    "out.prepared_to": {
        "id": "penerima: {name} ({org}; {role} {region}), sidik jari {fingerprint}",
        "en": "receiver: {name} ({org}; {role} {region}), fingerprint {fingerprint}",
    },
    "out.prepared_offline": {
        "id": "serah terima {id} ditandatangani ({n} barang), belum dicatat; bawa berkas {file} ke penerima",
        "en": "handover {id} signed, items: {n}, not yet recorded; take the file {file} to the receiver",
    },
    "out.cosign_later_hint": {
        "id": "catatan: pengawal/saksi tidak dapat lagi menandatangani berkas ini; gunakan --offline lalu handover cosign sebelum dicatat, atau serah attest sesudahnya",
        "en": "note: escorts/witnesses can no longer co-sign this file; use --offline, then handover cosign before it is recorded, or serah attest afterwards",
    },
    "out.cosigned_record": {
        "id": "{file}: {type} {number} oleh {author} (barang: {items}) ditandatangani bersama oleh {fingerprint}; catat: serah submit {file}",
        "en": "{file}: {type} {number} by {author} (items: {items}) co-signed by {fingerprint}; record it: serah submit {file}",
    },
    "out.cosigned": {"id": "{file}: ditandatangani bersama oleh {fingerprint}; nomor serah terima tetap {id}",
                     "en": "{file}: co-signed by {fingerprint}; the handover number stays {id}"},
    "out.submit_appended": {"id": "dicatat: {id}", "en": "recorded: {id}"},
    "out.submit_present": {"id": "sudah ada: {id}", "en": "already present: {id}"},
    "out.accepted": {"id": "diterima: {n} barang, rekaman {id}", "en": "accepted, items: {n}; record {id}"},
    "out.discrepancy": {
        "id": "  selisih {item} {field}: dinyatakan {declared}, diamati {observed}",
        "en": "  discrepancy {item} {field}: declared {declared}, observed {observed}",
    },
    "out.receipt_written": {"id": "tanda terima ditulis ke {file}", "en": "receipt written to {file}"},
    "out.receipt_failed": {
        "id": "peringatan: penerimaan sudah tercatat, tetapi tanda terima tidak dapat ditulis ke {file}",
        "en": "warning: the answer is recorded, but the receipt could not be written to {file}",
    },
    "out.refused": {"id": "ditolak: rekaman {id}; barang tetap pada pemberi", "en": "refused: record {id}; the giver keeps the items"},
    "show.handover": {"id": "serah terima", "en": "handover"},
    "show.from": {"id": "dari", "en": "from"},
    "show.to": {"id": "kepada", "en": "to"},
    "show.time": {"id": "waktu", "en": "time"},
    "show.place": {"id": "tempat", "en": "place"},
    "show.purpose": {"id": "tujuan", "en": "purpose"},
    "show.signed_by": {"id": "ditandatangani", "en": "signed by"},
    "show.exception": {"id": "pengecualian", "en": "exception"},
    "show.closed": {"id": "ditutup oleh", "en": "closed by"},
    "show.not_closed": {
        "id": "TIDAK DITUTUP: {record} ditandatangani {author}, bukan penerima yang disebut",
        "en": "NOT CLOSED: {record} is signed by {author}, not the named receiver",
    },
    "show.unchecked": {"id": "tanpa buku besar", "en": "without the ledger"},
    "show.unchecked_text": {
        "id": "tidak diperiksa apakah penanda tangan terdaftar dan apakah rekaman menyambung rantai barang "
              "(serah verify pada buku besar, atau serah handover submit)",
        "en": "not checked whether the signers are enrolled and whether the records continue the items' chains "
              "(serah verify on the ledger, or serah handover submit)",
    },
}
