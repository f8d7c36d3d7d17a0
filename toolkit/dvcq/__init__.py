"""dvcq: Excel forms, validation, consolidation and narrative reports for dân vận chính quyền."""

# The one source of the version (setup.cfg reads it); raised only by `make release` (packaging/release.py).
__version__ = "0.2.0.dev0"
