"""LibreOffice Calc: the control workbook dvcq-dieu-khien.ods (ods), whose buttons run a Python macro stored
in the document (macros/dieukhien.py) that calls the installed dvcq command with --json and shows its answer:
the Excel control workbook's cells, buttons and words (dvcq.forms.control) for offices without Excel.
"""
