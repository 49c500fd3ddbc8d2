import AutoCoder
import Foundation

/// What seals a Go run (``VerdictSeal``), written beside the tests when they are all in one directory and none
/// declares a `TestMain`; otherwise the run has no seal, and the declared tests and the scan guard it alone.
/// - A package of its own, under a name made for the run (`autocoderseal` and 16 hexadecimal digits, which the
///   code cannot import since it never knows it), reads the secret from descriptor 3 to its end in its `init`.
///   The test package imports it, so Go initialises it before any variable of the code's package.
/// - A `TestMain` in the tests' package wraps each test function, so that each test that the framework runs
///   seals its end (`case passed|failed|skipped NAME`), prints `start` first, and `m.Run`'s own status at the end.
///   A result in `go test -json`'s output for a test that was never sealed did not come from the framework.
struct GoSeal {
    let files: [CodeFile]
    /// The tests' package, which `go test` runs alone (`./DIR`, or `.`), so that the seal's own package is not
    /// listed among the results.
    let packagePattern: String
    /// The tests' directory (`""` at the module's root): the only one the code may add Go files to, since a package
    /// of its own, imported by them, could be initialised before the seal's and read the secret first.
    let directory: String

    init?(tests: [CodeFile], module: String) {
        let sources = tests.filter { $0.path.hasSuffix("_test.go") && !$0.isBinary }
        let directories = Set(sources.map { ($0.path as NSString).deletingLastPathComponent })
        guard directories.count == 1, let directory = directories.first,
            !sources.contains(where: { $0.content.contains("TestMain") }),
            let package = sources.lazy.compactMap({ $0.content.firstMatch(of: /(?m)^package\s+(\w+)/) }).first
        else { return nil }
        let name = "autocoderseal" + String(UInt64.random(in: 1 << 60...UInt64.max), radix: 16)
        let prefix = directory.isEmpty ? "" : directory + "/"
        packagePattern = directory.isEmpty ? "." : "./" + directory
        self.directory = directory
        files = [
            CodeFile(path: "\(name)/seal.go", content: Self.sealPackage(name)),
            CodeFile(
                path: prefix + "zz_autocoder_seal_test.go",
                content: Self.testMain(package: String(package.1), importing: module + "/" + name, as: name)),
        ]
    }

    /// The module path of `go.mod` among `files`, else autocoder's own (`solution`).
    static func module(of files: [CodeFile]) -> String {
        files.first { $0.path == "go.mod" }.flatMap { $0.content.firstMatch(of: /(?m)^module\s+(\S+)/) }
            .map { String($0.1) } ?? "solution"
    }

    static func sealPackage(_ name: String) -> String {
        """
        package \(name)

        import (
        \t"io"
        \t"os"
        )

        var secret string
        var out = os.NewFile(1, "seal-out")

        func init() {
        \tpipe := os.NewFile(3, "seal")
        \tread, _ := io.ReadAll(pipe)
        \tpipe.Close()
        \tsecret = string(read)
        }

        // Line prints one sealed line.
        func Line(text string) {
        \tout.WriteString("\\n\(VerdictSeal.marker) " + secret + " " + text + "\\n")
        }

        """
    }

    static func testMain(package: String, importing path: String, as name: String) -> String {
        """
        package \(package)

        import (
        \tautocoderhex "encoding/hex"
        \tautocoderos "os"
        \tautocoderreflect "reflect"
        \tautocoderstrconv "strconv"
        \tautocodertesting "testing"
        \tautocoderunsafe "unsafe"

        \t\(name) "\(path)"
        )

        func TestMain(m *autocodertesting.M) {
        \tfield := autocoderreflect.ValueOf(m).Elem().FieldByName("tests")
        \tif field.IsValid() && field.Type() == autocoderreflect.TypeOf([]autocodertesting.InternalTest(nil)) {
        \t\ttests := (*[]autocodertesting.InternalTest)(autocoderunsafe.Pointer(field.UnsafeAddr()))
        \t\tfor index := range *tests {
        \t\t\tname, run := (*tests)[index].Name, (*tests)[index].F
        \t\t\t(*tests)[index].F = func(t *autocodertesting.T) {
        \t\t\t\tfinished := false
        \t\t\t\tdefer func() {
        \t\t\t\t\toutcome := "passed"
        \t\t\t\t\tif t.Skipped() {
        \t\t\t\t\t\toutcome = "skipped"
        \t\t\t\t\t} else if !finished || t.Failed() {
        \t\t\t\t\t\toutcome = "failed"
        \t\t\t\t\t}
        \t\t\t\t\t\(name).Line("case " + outcome + " " + autocoderhex.EncodeToString([]byte(name)))
        \t\t\t\t}()
        \t\t\t\trun(t)
        \t\t\t\tfinished = true
        \t\t\t}
        \t\t}
        \t\t\(name).Line("start")
        \t}
        \tcode := m.Run()
        \t\(name).Line("end " + autocoderstrconv.Itoa(code))
        \tautocoderos.Exit(code)
        }

        """
    }
}
