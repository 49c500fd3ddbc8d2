"""Splitting text into words."""

import re

_WORD = re.compile(r"[A-Za-z0-9']+")


def words(text):
    """The words of `text`: runs of letters, digits and apostrophes."""
    return _WORD.findall(text)


def raw_words(text):
    """The whitespace-separated pieces of `text`, punctuation included."""
    return text.split()
