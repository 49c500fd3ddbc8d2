import Testing
@testable import Solution

@Test func countsRepeatedWords() {
    #expect(wordFrequency("one fish two fish") == ["one": 1, "fish": 2, "two": 1])
}

@Test func ignoresCase() {
    #expect(wordFrequency("Go go GO") == ["go": 3])
}

@Test func punctuationSeparatesWords() {
    #expect(wordFrequency("Hello, world! Hello.") == ["hello": 2, "world": 1])
}

@Test func emptyTextHasNoWords() {
    #expect(wordFrequency("").isEmpty)
}
