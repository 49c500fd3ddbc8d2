import AutoCoderPostgres
import AutoCoderTestSupport
import Foundation
import Testing

/// Reading a database's address as libpq does: the URL, then the service file, then the PG* variables.
struct DatabaseAddressTests {
    @Test func theURLWinsAndTheEnvironmentFillsTheRest() throws {
        let address = try DatabaseAddress(
            "postgres://alice:s3cret@db.example:6543/bench?sslmode=require",
            environment: ["PGUSER": "bob", "PGPASSWORD": "other", "PGHOST": "elsewhere"])
        #expect(address.host == "db.example" && address.port == 6543 && address.user == "alice")
        #expect(address.database == "bench" && address.sslMode == "require")
        #expect(address.description == "postgres://alice@db.example:6543/bench")
        #expect(!address.description.contains("s3cret"))
        let fromEnvironment = try DatabaseAddress(
            "postgres://", environment: ["PGUSER": "bob", "PGHOST": "db2", "PGPORT": "7000", "PGDATABASE": "q"])
        #expect(fromEnvironment.description == "postgres://bob@db2:7000/q")
        #expect(fromEnvironment.sslMode == "prefer")
    }

    @Test func aServiceFileEntryFillsWhatTheURLLeavesOut() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "services.conf", "[other]\nhost=wrong\n\n[queue]\nhost = svc-host\nport=5999\nuser=svc\ndbname=svcdb\n")
        let address = try DatabaseAddress(
            "postgres:///named",
            environment: ["PGSERVICE": "queue", "PGSERVICEFILE": file.path, "HOME": "/nonexistent"])
        #expect(address.description == "postgres://svc@svc-host:5999/named")
        #expect(throws: DatabaseError.self) {
            try DatabaseAddress(
                "postgres://?service=missing", environment: ["PGSERVICEFILE": file.path, "HOME": "/nonexistent"])
        }
    }

    @Test func aUnixSocketFolderIsAHostThatStartsWithASlash() throws {
        let address = try DatabaseAddress("postgres://me@/db?host=/run/postgresql&port=5433", environment: [:])
        #expect(address.socketDirectory == "/run/postgresql" && address.port == 5433)
    }

    @Test func badAddressesAreRefusedWithoutThePassword() {
        for (url, words) in [
            ("mysql://u:pw@h/d", "postgres:// URL"), ("postgres://u:pw@h:99999/d", "port"),
            ("postgres://u:pw@h/d?sslmode=sometimes", "sslmode"),
        ] {
            do {
                _ = try DatabaseAddress(url, environment: [:])
                Issue.record("\(url) was accepted")
            } catch let error as DatabaseError {
                #expect(error.description.contains(words) && !error.description.contains("pw@"), "\(error)")
                #expect(error.isBadInput)
            } catch {
                Issue.record("\(error)")
            }
        }
        #expect(DatabaseAddress.redacting("postgres://u:pw@h/d") == "postgres://u:***@h/d")
    }
}
