"""Filters: one module per concern.  Importing this package registers every step."""

from .normalize import Normalize, NormalizeSettings, normalize
from .punctuation import FixPunctuation, fix_punctuation
from .ruby import StripRuby, strip_ruby
from .script import Convert, ScriptGuess, convert, detect_script

__all__ = ["Normalize", "NormalizeSettings", "normalize", "StripRuby", "strip_ruby", "Convert", "convert",
           "detect_script", "ScriptGuess", "FixPunctuation", "fix_punctuation"]
