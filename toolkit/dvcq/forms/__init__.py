"""The forms as specified: the YAML specifications of the plan, the reception log and the periodic
report (templates/forms/, the one source of truth), the blank and prefilled workbooks built from them,
the layouts of older versions, the plan's typed document model and deadline terms, and the labels and
target bounds every later stage reads.
"""
