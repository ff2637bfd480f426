"""Filters: one module per concern.  Importing this package registers every step."""

from .normalize import Normalize, NormalizeSettings, normalize

__all__ = ["Normalize", "NormalizeSettings", "normalize"]
