from solution import word_count


def test_simple():
    assert word_count("one fish two fish") == {"one": 1, "fish": 2, "two": 1}


def test_case_is_ignored():
    assert word_count("Go go GO") == {"go": 3}


def test_punctuation_is_stripped():
    assert word_count("Hello, world! Hello.") == {"hello": 2, "world": 1}


def test_empty_text():
    assert word_count("") == {}
