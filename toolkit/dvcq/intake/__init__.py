"""Reading what units send: what a file really is (sniff), reading its cells (read), the named
checks that report into one FileResult per file (checks, messages, issues), the values a file
contributes (measures, a plan's progress), validation of files and folders in worker processes
(validate, parallel), annotated copies, and reading a roll-up back from its hidden data (readback).
"""
