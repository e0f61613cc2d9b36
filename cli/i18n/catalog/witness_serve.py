"""``serah witness serve``: a witness as a C2SP tlog-witness HTTP service."""

MESSAGES = {
    "cmd.witness.serve.short": {"id": "Layani permintaan tanda tangan bersama (C2SP tlog-witness) lewat HTTP.",
                                "en": "Serve cosignature requests (C2SP tlog-witness) over HTTP."},
    "cmd.witness.serve": {
        "id": (
            "Jalankan saksi sebagai layanan HTTP C2SP tlog-witness: server log KPU mengirim\n"
            "POST /add-checkpoint (ukuran lama, bukti konsistensi, checkpoint) dan saksi\n"
            "menjawab dengan tanda tangan cosignature/v1 hanya bila checkpoint memperpanjang\n"
            "yang terakhir ia tandatangani. Status disimpan (fsync) sebelum menjawab; dua\n"
            "permintaan serentak tidak dapat memundurkannya. Permintaan bertanda tangan log\n"
            "yang ditolak sebagai pandangan terbelah disimpan di STATE.refused/ sebagai bukti.\n"
            "Saksi hanya memerlukan kuncinya, berkas status dan kunci verifikasi log: tidak\n"
            "pernah basis data buku besar.\n"
            "\n"
            "Contoh:\n"
            "  serah witness serve --key w1.key --name bawaslu.go.id/3101/w1 --state w1.json \\\n"
            "      --log kpu-log.vkey --listen 127.0.0.1:8410"
        ),
        "en": (
            "Run the witness as a C2SP tlog-witness HTTP service: KPU's log server sends\n"
            "POST /add-checkpoint (old size, consistency proof, checkpoint) and the witness\n"
            "answers with a cosignature/v1 line only if the checkpoint extends the last one\n"
            "it cosigned. The state is stored (fsync) before answering; two concurrent\n"
            "requests cannot roll it back. Log-signed requests refused as a split view are\n"
            "kept in STATE.refused/ as evidence. The witness needs only its key, its state\n"
            "file and the logs' verifier keys: never the ledger database.\n"
            "\n"
            "Example:\n"
            "  serah witness serve --key w1.key --name bawaslu.go.id/3101/w1 --state w1.json \\\n"
            "      --log kpu-log.vkey --listen 127.0.0.1:8410"
        ),
    },
    "opt.witness_serve_log": {"id": "kunci verifikasi sebuah log yang disaksikan (teks atau berkas; boleh diulang)",
                              "en": "the verifier key of a log to witness (text or file; may be repeated)"},
    "opt.witness_serve_first_time": {
        "id": "log (asal) yang belum pernah ditandatangani saksi ini: boleh mulai dari ukuran 0 (boleh diulang)",
        "en": "a log (origin) this witness never cosigned: it may start from size 0 (may be repeated)"},
    "opt.witness_listen": {"id": "alamat dan porta untuk mendengarkan", "en": "address and port to listen on"},
    "error.cannot_listen": {"id": "tidak dapat mendengarkan di {value}: {detail}",
                            "en": "cannot listen on {value}: {detail}"},
    "error.bad_log_key": {"id": "bukan kunci verifikasi log (Ed25519, tipe 0x01): {key} ({detail})",
                          "en": "not a log verifier key (Ed25519, type 0x01): {key} ({detail})"},
    "error.first_time_unknown_log": {"id": "--first-time {origin}: bukan log yang diberikan dengan --log",
                                     "en": "--first-time {origin}: not a log given with --log"},
    "witness.serving": {"id": "Saksi {key} melayani {url} untuk log: {logs}",
                        "en": "Witness {key} serving {url} for logs: {logs}"},
    # --- serah serve --witness / --quorum (ledger/server/witnessing.py) ---------------------
    "opt.serve_witness": {
        "id": "saksi yang dimintai tanda tangan bersama (C2SP tlog-witness): URL,KUNCI_VERIFIKASI (boleh diulang)",
        "en": "a witness to ask for cosignatures (C2SP tlog-witness): URL,VERIFIER_KEY (may be repeated)"},
    "opt.serve_quorum": {
        "id": "/checkpoint hanya menyajikan checkpoint yang ditandatangani bersama oleh sedikitnya N saksi --witness",
        "en": "/checkpoint serves only a checkpoint cosigned by at least N of the --witness witnesses"},
    "error.bad_witness_option": {"id": "--witness {value}: {detail}", "en": "--witness {value}: {detail}"},
    "error.quorum_too_large": {"id": "--quorum {quorum} memerlukan sedikitnya {quorum} saksi --witness, ada {count}",
                               "en": "--quorum {quorum} needs at least {quorum} --witness witnesses, {count} given"},
}

# --- serah verify https://... (monitor mode, cli/commands/monitor.py) ----------------------
MESSAGES.update({
    "opt.monitor_state": {
        "id": "folder status pemantau untuk URL log (bawaan: SERAH_HOME/monitor/...): checkpoint terakhir yang "
              "diperiksa dan status pemeriksaan, sehingga jalankan berikutnya hanya memeriksa rekaman baru",
        "en": "the monitor's state folder for a log URL (default: SERAH_HOME/monitor/...): the last verified "
              "checkpoint and the checks' state, so the next run checks only new records"},
    "error.monitor_needs_log_key": {
        "id": "memantau log lewat URL memerlukan kunci log yang disematkan (--log-vkey atau --trust)",
        "en": "monitoring a log by URL needs the pinned log key (--log-vkey or --trust)"},
    "error.monitor_setup": {"id": "tidak dapat memantau: {detail}", "en": "cannot monitor: {detail}"},
    "error.monitor_state": {"id": "folder status pemantau tidak dapat dipakai (tidak dibaca sebagai program): {detail}",
                            "en": "the monitor's state folder cannot be used (it is never run as code): {detail}"},
    "error.monitor_fetch": {"id": "{url}: log tidak menyajikan yang harus disajikan ({detail})",
                            "en": "{url}: the log did not serve what it must ({detail})"},
    "monitor.evidence": {"id": "Bukti pandangan terbelah (kedua catatan bertanda tangan) disimpan: {path}",
                         "en": "Split-view evidence (both signed notes) saved: {path}"},
    "monitor.summary": {
        "id": "Checkpoint {size} diperiksa (sebelumnya {previous}): {new} rekaman baru, {kib} KiB dalam {requests} "
              "permintaan, {seconds} detik. Status: {folder}",
        "en": "Checkpoint {size} verified (previously {previous}): {new} new records, {kib} KiB in {requests} "
              "requests, {seconds} s. State: {folder}"},
})
