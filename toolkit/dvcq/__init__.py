"""dvcq: Excel forms, validation, consolidation and narrative reports for dân vận chính quyền."""

__version__ = "0.1.0"
