"""Helpers shared by the tests: paths, LibreOffice, a corpus of filled forms, bad files, mutations,
and the stand-in for Excel's Book."""
