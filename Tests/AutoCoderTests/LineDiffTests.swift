import AutoCoder
import Foundation
import Testing

@Suite struct LineDiffTests {
    @Test func equalTextsHaveNoDiff() {
        #expect(LineDiff.unified(old: "a\nb\n", new: "a\nb\n", oldName: "x", newName: "x") == "")
    }

    @Test func aChangedLineWithContext() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        #expect(
            LineDiff.unified(old: old, new: new, oldName: "a.py", newName: "a.py")
                == """
                --- a.py
                +++ a.py
                @@ -3,5 +3,5 @@
                 line 3
                 line 4
                -line 5
                +line five
                 line 6
                 line 7
                """)
    }

    @Test func distantChangesMakeSeparateHunks() {
        let old = (1...20).map { "l\($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "l2\n", with: "L2\n").replacingOccurrences(of: "l19\n", with: "")
        let diff = LineDiff.unified(old: old, new: new, oldName: "f", newName: "f", context: 1)
        #expect(diff.components(separatedBy: "\n@@").count == 3)
        #expect(diff.contains("@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3"))
        #expect(diff.contains("-l19"))
    }

    @Test func fromNothing() {
        #expect(
            LineDiff.unified(old: "", new: "x\ny\n", oldName: "f", newName: "f")
                == "--- f\n+++ f\n@@ -1,0 +1,2 @@\n+x\n+y")
    }
}
