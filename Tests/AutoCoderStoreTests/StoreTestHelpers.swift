import AutoCoderTestSupport
import Foundation
import GRDB

/// Gives a recorded run an owner process that has exited, as if autocoder had been killed.
enum DeadOwner {
    static func assign(runID: String, path: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        await process.exited()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE run SET pid = ?, process_start = 'gone' WHERE id = ?",
                arguments: [process.processIdentifier, runID])
        }
    }
}

/// A SQLite database of some other program.
enum ForeignDatabase {
    static func create(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine')")
        }
        try queue.close()
    }
}
