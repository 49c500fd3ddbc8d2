import AutoCoder
import Foundation

extension PytestExecutor {
    /// Why `task`'s test suite cannot be run at all, found by reading it (never running it): a test file that does
    /// not parse (with its file and line), or a suite with no test in it. `nil` when it looks runnable, or when it
    /// cannot be read for another reason (the run reports that). It keeps the inventory for the runs to come.
    public func suiteProblem(for task: CodingTask) async -> String? {
        guard let interpreter = try? await PythonInterpreter.resolve(explicit: python),
            let workspace = try? Workspace.create()
        else { return nil }
        defer { workspace.remove() }
        guard (try? workspace.write(task.tests)) != nil else { return nil }
        let modules = Self.testModules(task.tests)
        let key = TestInventory.Key(modules: modules, of: task.tests, interpreter: interpreter.path)
        switch await TestInventory.read(key, in: workspace.directory.path) {
        case .failure(let error) where error.reason.contains(", line "):
            let reason = error.reason.hasPrefix("ValueError: ") ? String(error.reason.dropFirst(12)) : error.reason
            return "The tests cannot be collected: \(reason)."
        case .success(let inventory) where inventory.tests.isEmpty:
            return "No test functions in \(modules.joined(separator: ", ")): pytest would collect nothing."
        default:
            return nil
        }
    }
}
