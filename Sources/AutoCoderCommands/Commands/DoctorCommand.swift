import ArgumentParser
import AutoCoder
import AutoCoderApp
import AutoCoderExecution
import Foundation

/// `autocoder doctor`: what protects code under test on this machine, and whether tests can run at all.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract:
            "Show which sandbox layers are active on this machine, why any is not, and each language's toolchain.",
        discussion: """
            Exit codes: 0 tests can run (missing layers are reported, not fatal) · 3 the default language's \
            toolchain (Python and pytest) is unusable.
            """)

    @OptionGroup var execution: SandboxOptions

    /// What `--json` prints: the layers, the view, each toolchain's fields, and the problem.
    struct Report: Encodable {
        var layers: [SandboxLayerStatus]
        /// What the code sees of the filesystem, when the view is made here.
        var view: [FilesystemView.Line]?
        var toolchains: [ToolchainDiagnosis]
        /// Why the default language's tests cannot run here.
        var problem: String?
        /// The provider used when none is named, and what to expect of it.
        var provider: String?
        var providerNote: String?

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// Written by hand: each toolchain's fields sit beside the report's own.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(layers, forKey: Key(stringValue: "layers"))
            try container.encode(view, forKey: Key(stringValue: "view"))
            for (key, value) in toolchains.flatMap(\.fields) {
                try container.encode(value, forKey: Key(stringValue: key))
            }
            try container.encode(provider, forKey: Key(stringValue: "provider"))
            try container.encode(providerNote, forKey: Key(stringValue: "provider_note"))
            try container.encode(problem, forKey: Key(stringValue: "problem"))
        }
    }

    func run() async throws {
        let capabilities = await SandboxCapabilities.current()
        var toolchains: [ToolchainDiagnosis] = []
        let limits = execution.limits()
        let sandbox = limits.sandboxConfiguration
        for toolchain in Toolchains.all { toolchains.append(await toolchain.diagnose(limits.toolchainSettings())) }
        let main = toolchains[0]
        var report = Report(
            layers: capabilities.layers(for: sandbox), toolchains: toolchains, problem: main.problem)
        if !main.runtimeDirectories.isEmpty, sandbox.makesView(capabilities) {
            let run = FileManager.default.temporaryDirectory.appendingPathComponent("autocoder-XXXXXX").path
            report.view =
                sandbox.view(
                    writable: ["work", "report", "home"].map { "\(run)/\($0)" }, readOnly: main.runtimeDirectories
                ).lines
        }
        report.provider = await execution.session(RunConfiguration(), quiet: true).automaticProvider()
        report.providerNote =
            report.provider == "local"
            ? "the embedded SmolLM2-135M: enough for a first run with no key and for the loop's plumbing (it solves "
                + "the demo), too small for real tasks (it solved none of the first 7 HumanEval problems here). For useful "
                + "work, set ANTHROPIC_API_KEY or OPENAI_API_KEY, run Ollama with a coder model "
                + "(--provider ollama --model qwen2.5-coder:7b), or point --provider openai --base-url at any "
                + "OpenAI-compatible server."
            : nil
        if execution.json {
            try Terminal.json(report)
        } else {
            Terminal.out("Sandbox layers on this machine:")
            let width = (report.layers.map(\.layer.rawValue.count).max() ?? 0) + 2
            for status in report.layers {
                let name = status.layer.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                Terminal.out("  \(status.active ? "✓" : "✗") \(name)\(status.detail)")
            }
            if let view = report.view {
                let name = Toolchains.all[0].displayName
                Terminal.out("What the code sees (for \(name) runs):")
                let width = (view.map(\.path.count).max() ?? 0) + 2
                for line in view {
                    Terminal.out("  \(line.path.padding(toLength: width, withPad: " ", startingAt: 0))\(line.access)")
                }
            }
            for line in toolchains.flatMap(\.lines) { Terminal.out(line) }
            Terminal.out(
                "Model (when --provider is not given): \(report.provider ?? "none")"
                    + (report.providerNote.map { ", \($0)" } ?? ""))
        }
        if let problem = report.problem { throw CLIExit.toolFailure(problem) }
    }
}
