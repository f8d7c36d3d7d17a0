"""Merging valid files into the roll-up of a parent unit: the ledger and coverage of expected
units, the only arithmetic across units (aggregate), targets and plan progress added up, the roll-up
workbook laid out from templates/rollup/tong-hop.yaml (writer, layout) and the SQLite history (store).
"""
