"""Microsoft Excel: the control workbook with its VBA buttons (xlsm) and the functions those buttons
call through xlwings (xl), thin adapters over the library.
"""
