"""Statistics over the words and sentences of a text."""

from .tokens import raw_words, words


def word_count(text):
    """How many words `text` has."""
    return len(words(text))


def mean_word_length(text):
    """The mean length of the words of `text`, 0.0 when it has none."""
    pieces = raw_words(text)
    if not pieces:
        return 0.0
    return sum(len(piece) for piece in pieces) / len(pieces)


def sentence_count(text):
    """How many sentences `text` has: runs ended by '.', '!' or '?'."""
    count = 0
    ended = True
    for character in text:
        if character in ".!?":
            if not ended:
                count += 1
            ended = True
        elif not character.isspace():
            ended = False
    return count + (0 if ended else 1)
