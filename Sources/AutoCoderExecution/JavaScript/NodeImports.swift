import AutoCoder
import Foundation

/// Jest (through Babel) resolves `import … from './x'` to `x.js` or `x/index.js`; node's ES modules need the file's
/// own name. node's resolver hooks run in a worker, which the run's permission model refuses, so the relative
/// imports that name no extension are given theirs in the files themselves before the run.
enum NodeImports {
    /// `files` with every extensionless relative import (`from './x'`, `import './x'`, `import('./x')`) that names
    /// another of `files` given that file's name.
    static func resolvingExtensionless(_ files: [CodeFile]) -> [CodeFile] {
        let paths = Set(files.map(\.path))
        return files.map { file in
            guard JavaScriptToolchain().isSource(file.path) else { return file }
            var file = file
            file.content = file.content.replacing(
                /(?<lead>\bfrom\s*|\bimport\s*\(?\s*)(?<quote>['"])(?<spec>\.{1,2}\/[^'"\n]+)\k<quote>/
            ) { match in
                let spec = String(match.output.spec)
                let whole = String(match.output.0)
                guard !JavaScriptToolchain().isSource(spec), !spec.hasSuffix(".json"),
                    let suffix = JavaScriptToolchain.file(importedAs: spec, by: file.path, among: paths)?.suffix,
                    !suffix.isEmpty
                else { return whole }
                return match.output.lead + match.output.quote + spec + suffix + match.output.quote
            }
            return file
        }
    }
}
