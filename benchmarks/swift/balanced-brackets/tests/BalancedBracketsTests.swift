import Testing
@testable import Solution

@Test func balanced() {
    #expect(isBalanced("([]{})"))
    #expect(isBalanced("a(b)c"))
    #expect(isBalanced(""))
}
@Test func unbalanced() {
    #expect(!isBalanced("(]"))
    #expect(!isBalanced("(("))
    #expect(!isBalanced("([)]"))
    #expect(!isBalanced(")("))
}
