import Testing
@testable import Solution

@Test func simple() { #expect(isPalindrome("racecar")) }
@Test func ignoresCaseAndPunctuation() { #expect(isPalindrome("A man, a plan, a canal: Panama")) }
@Test func notAPalindrome() { #expect(!isPalindrome("swift")) }
@Test func empty() { #expect(isPalindrome("")) }
