import AutoCoder

/// Where a Swift task's files go: the tool writes `Package.swift`, the generated code goes in `Sources/MODULE/`,
/// and the task's tests in `Tests/MODULETests/`.
struct SwiftPackageLayout: Hashable, Sendable {
    /// The library module the tests import (`Solution` unless the task's solution path names another).
    let module: String
    /// The Swift language mode the package builds in: the task's, else 6 (what current suites target).
    let languageMode: String

    init(task: CodingTask) {
        let parts = task.solutionPath.split(separator: "/")
        module = parts.count >= 3 && parts[0] == "Sources" ? String(parts[1]) : "Solution"
        languageMode = task.languageMode ?? "6"
    }

    var testsDirectory: String { "Tests/\(module)Tests" }

    /// The manifest: one library target and its test target, no dependencies (so no plugins or macros run at
    /// build time), in the task's language mode (Swift 6 unless the task says `swift_language_mode: 5`). A sealed
    /// run's tests are an executable target instead, whose entry point is autocoder's (``SwiftSealedMain``).
    func manifest(sealed: Bool) -> CodeFile {
        let tests =
            sealed
            ? ".executableTarget(name: \"\(module)Tests\", dependencies: [\"\(module)\"], path: \"\(testsDirectory)\")"
            : ".testTarget(name: \"\(module)Tests\", dependencies: [\"\(module)\"])"
        return CodeFile(
            path: "Package.swift",
            content: """
                // swift-tools-version: 6.0
                // Written by autocoder; not editable by the generator.
                import PackageDescription

                let package = Package(
                    name: "\(module)",
                    targets: [
                        .target(name: "\(module)"),
                        \(tests),
                    ],
                    swiftLanguageModes: [.v\(languageMode)]
                )

                """)
    }

    /// The generated files at their place in the package, or why one of them has no place.
    func placeGenerated(_ files: [CodeFile]) -> Result<[CodeFile], SwiftLayoutProblem> {
        var placed: [CodeFile] = []
        for file in files {
            let parts = file.path.split(separator: "/").filter { $0 != "." }
            if parts.last.map({ $0.lowercased() == "package.swift" }) == true {
                return .failure(SwiftLayoutProblem("autocoder writes Package.swift itself; reply with the code only."))
            }
            guard file.path.hasSuffix(".swift") else {
                return .failure(SwiftLayoutProblem("'\(file.path)' is not a Swift file; reply with .swift files only."))
            }
            if parts.count == 1 {
                placed.append(CodeFile(path: "Sources/\(module)/\(parts[0])", content: file.content))
            } else if parts.count >= 3, parts[0] == "Sources", parts[1] == module {
                placed.append(CodeFile(path: parts.joined(separator: "/"), content: file.content))
            } else {
                return .failure(
                    SwiftLayoutProblem(
                        "'\(file.path)' is outside the module: the code goes in Sources/\(module)/ (or give a bare "
                            + "file name such as \(module).swift)."))
            }
        }
        return .success(placed)
    }

    /// The task's tests at their place in the test target (their file names kept).
    func placeTests(_ tests: [CodeFile]) -> [CodeFile] {
        tests.map {
            var placed = $0
            placed.path = "\(testsDirectory)/\($0.path.split(separator: "/").joined(separator: "/"))"
            return placed
        }
    }
}

/// A generated file that has no place in the package.
struct SwiftLayoutProblem: Error, Hashable, Sendable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
