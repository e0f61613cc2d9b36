"""Reference data files shipped with the package (read by ledger.regions).

A package of its own only so that packaging tools treat the folder's
JSON/CSV/MD files as package data without extra configuration. See README.md
here for what each file is and under which licence.
"""
