"""The paper the field already uses, printed by ``serah``: the BAST of one
handover (``bast.py``), QR labels for boxes and ballot packs (``labels.py``)
and the check digit that makes a scanned or typed label safe to accept
(``check_digit.py``).

Why on the CLI side: these are documents for people, in their language
(``cli/i18n``), drawn with the evidence report's ReportLab helpers
(``cli/report/pdf.py``); the ledger itself never needs them.
"""
