"""Message catalogues, one module per area; see cli/i18n/__init__.py."""
