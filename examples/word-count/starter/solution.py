def word_count(text):
    """Return {word: count} for the words of text."""
    raise NotImplementedError
