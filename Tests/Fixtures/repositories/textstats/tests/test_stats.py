from textstats import mean_word_length, sentence_count, word_count


def test_word_count():
    assert word_count("It's a dog, a big dog!") == 6


def test_mean_word_length_ignores_punctuation():
    assert mean_word_length("Hi, you!") == 2.5


def test_mean_word_length_of_nothing():
    assert mean_word_length("") == 0.0


def test_sentences():
    assert sentence_count("One. Two! Three? And four") == 4
