"""Word and sentence statistics for plain text."""

from .stats import mean_word_length, sentence_count, word_count
from .tokens import words

__all__ = ["mean_word_length", "sentence_count", "word_count", "words"]
