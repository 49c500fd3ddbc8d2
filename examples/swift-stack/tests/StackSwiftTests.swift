import Testing
@testable import Stacks

@Test func topAndCount() {
    var stack = Stack<String>()
    #expect(stack.isEmpty)
    stack.push("a")
    stack.push("b")
    #expect(stack.top == "b")
    #expect(stack.count == 2)
    #expect(!stack.isEmpty)
}
