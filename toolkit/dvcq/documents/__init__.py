"""Documents a chairman signs: the typed report context built from a roll-up or a unit's own files,
the narrative báo cáo (Word and Markdown) in the form of Nghị định 30/2020/NĐ-CP (decree), and the
plan: importing a kế hoạch from text, Word or PDF into a plan workbook, and writing a plan workbook
back as the kế hoạch document.
"""
