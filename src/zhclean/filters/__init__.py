"""Filters: one module per concern.  Importing this package registers every step."""

from .normalize import Normalize, NormalizeSettings, normalize
from .punctuation import FixPunctuation, fix_punctuation
from .ruby import StripRuby, strip_ruby
from .script import Convert, ScriptGuess, convert, detect_script

__all__ = ["Normalize", "NormalizeSettings", "normalize", "StripRuby", "strip_ruby", "Convert", "convert",
           "detect_script", "ScriptGuess", "FixPunctuation", "fix_punctuation"]

from .dedup import DedupCorpus, DedupParagraphs, DedupSettings, dedup_paragraphs  # noqa: E402

__all__ += ["DedupParagraphs", "DedupSettings", "DedupCorpus", "dedup_paragraphs"]

from .boilerplate import StripBoilerplate, learn_recurring_lines, strip_boilerplate  # noqa: E402
from .paragraphs import RejoinParagraphs, RejoinSettings, rejoin_paragraphs  # noqa: E402

__all__ += ["StripBoilerplate", "RejoinParagraphs", "strip_boilerplate", "rejoin_paragraphs", "learn_recurring_lines",
            "RejoinSettings"]

from .mojibake import FixMojibake, MojibakeSettings, fix_mojibake  # noqa: E402

__all__ += ["FixMojibake", "MojibakeSettings", "fix_mojibake"]
