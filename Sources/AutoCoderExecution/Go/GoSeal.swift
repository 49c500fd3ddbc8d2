import AutoCoder
import Foundation

/// The `TestMain` that seals a Go run (``VerdictSeal``): it reads the secret from descriptor 3 to its end before any
/// test, runs the tests, and prints `m.Run`'s own status with the secret on a standard output of its own. Written
/// beside the test files, in their package, when they are all in one directory and none declares a `TestMain`;
/// otherwise the run has no seal and the declared tests and the scan guard it alone.
struct GoSeal {
    let file: CodeFile

    init?(tests: [CodeFile]) {
        let sources = tests.filter { $0.path.hasSuffix("_test.go") && !$0.isBinary }
        let directories = Set(sources.map { ($0.path as NSString).deletingLastPathComponent })
        guard directories.count == 1, let directory = directories.first,
            !sources.contains(where: { $0.content.contains("TestMain") }),
            let package = sources.lazy.compactMap({ $0.content.firstMatch(of: /(?m)^package\s+(\w+)/) }).first
        else { return nil }
        let path = (directory.isEmpty ? "" : directory + "/") + "zz_autocoder_seal_test.go"
        file = CodeFile(path: path, content: Self.source(package: String(package.1)))
    }

    static func source(package: String) -> String {
        """
        package \(package)

        import (
        \tautocoderio "io"
        \tautocoderos "os"
        \tautocoderstrconv "strconv"
        \tautocodertesting "testing"
        )

        func TestMain(m *autocodertesting.M) {
        \tseal := autocoderos.NewFile(3, "seal")
        \tsecret, _ := autocoderio.ReadAll(seal)
        \tseal.Close()
        \tout := autocoderos.NewFile(1, "seal-out")
        \tcode := m.Run()
        \tout.WriteString("\\n\(VerdictSeal.marker) " + string(secret) + " end " + autocoderstrconv.Itoa(code) + "\\n")
        \tautocoderos.Exit(code)
        }

        """
    }
}
