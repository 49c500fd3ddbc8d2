import Foundation
import NIOSSL
import PostgresNIO

/// Where the PostgreSQL server is and how to log in, read as libpq reads it: a `postgres://` URL first, then the
/// service file entry `PGSERVICE` (or `?service=`) names, then `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
/// `PGDATABASE`, `PGSSLMODE`. The password is never part of ``description``.
public struct DatabaseAddress: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The folder of the server's Unix socket, when `host` starts with `/`.
    public var socketDirectory: String? { host.hasPrefix("/") ? host : nil }
    public var user: String
    var password: String?
    public var database: String
    /// libpq's `sslmode`: disable, allow, prefer (the default), require, verify-ca or verify-full.
    public var sslMode: String
    /// A CA certificate file for verify-ca and verify-full (`sslrootcert`).
    public var rootCertificate: String?

    /// Reads `url` (`postgres://` or `postgresql://`), with `environment` filling what it leaves out; throws a
    /// message fit for a user (without the password) when it cannot be read.
    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? "")
        else {
            throw DatabaseError.badAddress(
                "the database must be a postgres:// URL (it is '\(Self.redacting(url))').")
        }
        var settings: [String: String] = [:]
        for item in components.queryItems ?? [] { settings[item.name] = item.value ?? "" }
        if let host = components.percentEncodedHost.flatMap({ $0.removingPercentEncoding }), !host.isEmpty {
            settings["host"] = host
        }
        if let port = components.port { settings["port"] = String(port) }
        if let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty {
            settings["user"] = user
        }
        if let password = components.percentEncodedPassword.flatMap({ $0.removingPercentEncoding }) {
            settings["password"] = password
        }
        let path = String(components.path.drop { $0 == "/" })
        if !path.isEmpty { settings["dbname"] = path.removingPercentEncoding ?? path }
        if let service = settings["service"] ?? environment["PGSERVICE"] {
            let entry = try Self.serviceEntry(service, environment: environment)
            settings.merge(entry) { given, _ in given }
        }
        let fromEnvironment = [
            "host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE",
            "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT",
        ]
        for (key, variable) in fromEnvironment where settings[key] == nil {
            settings[key] = environment[variable]
        }
        host = settings["host"] ?? "localhost"
        guard let port = Int(settings["port"] ?? "5432"), (1...65535).contains(port) else {
            throw DatabaseError.badAddress("the database port must be a number from 1 to 65535.")
        }
        self.port = port
        user = settings["user"] ?? environment["USER"] ?? "postgres"
        password = settings["password"]
        database = settings["dbname"] ?? user
        sslMode = settings["sslmode"] ?? "prefer"
        rootCertificate = settings["sslrootcert"]
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw DatabaseError.badAddress(
                "sslmode must be disable, allow, prefer, require, verify-ca or verify-full (it is '\(sslMode)').")
        }
    }

    /// The address without the password: `postgres://user@host:port/database`.
    public var description: String {
        let place = socketDirectory.map { "?host=\($0)" } ?? ""
        return "postgres://\(user)@\(socketDirectory == nil ? host : ""):\(port)/\(database)\(place)"
    }

    /// postgres-nio's configuration for this address; TLS as `sslMode` asks (prefer and require encrypt without
    /// checking the certificate, as libpq does; verify-ca checks it against `sslrootcert` or the system's CAs,
    /// verify-full the host name too).
    public func configuration() throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        } else {
            let tls = try tlsConfiguration()
            let mode: PostgresClient.Configuration.TLS =
                switch sslMode {
                case "disable": .disable
                case "allow", "prefer": .prefer(tls)
                default: .require(tls)
                }
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: mode)
        }
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", Self.applicationName)]
        return configuration
    }

    /// The same for a single connection (which, unlike the pool, reports why a login failed).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        } else {
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: try tlsConfiguration())
            } catch let error as DatabaseError {
                throw error
            } catch {
                throw DatabaseError.badAddress("could not set up TLS: \(error)")
            }
            let mode: PostgresConnection.Configuration.TLS =
                switch sslMode {
                case "disable": .disable
                case "allow", "prefer": .prefer(context)
                default: .require(context)
                }
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: mode)
        }
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", Self.applicationName)]
        return configuration
    }

    private func tlsConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case "verify-full": break
        case "verify-ca": tls.certificateVerification = .noHostnameVerification
        default: tls.certificateVerification = .none
        }
        if let rootCertificate {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificate))
            } catch {
                throw DatabaseError.badAddress("could not read sslrootcert \(rootCertificate): \(error)")
            }
        }
        return tls
    }

    /// The name autocoder's connections give the server (pg_stat_activity's application_name).
    public static let applicationName = "autocoder-worker"

    /// `url` with any password replaced by `***`, for messages.
    public static func redacting(_ url: String) -> String {
        guard var components = URLComponents(string: url) else {
            return url.replacing(/:[^:@\/]*@/, with: ":***@")
        }
        if components.password != nil { components.password = "***" }
        if let items = components.queryItems, items.contains(where: { $0.name == "password" }) {
            components.queryItems = items.map {
                $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0
            }
        }
        return components.string ?? "postgres://…"
    }

    /// The `[name]` section of the service file: `PGSERVICEFILE`, else `~/.pg_service.conf`, else
    /// `PGSYSCONFDIR/pg_service.conf`.
    static func serviceEntry(_ name: String, environment: [String: String]) throws -> [String: String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let files = [
            environment["PGSERVICEFILE"], "\(home)/.pg_service.conf",
            environment["PGSYSCONFDIR"].map { "\($0)/pg_service.conf" } ?? "/etc/postgresql-common/pg_service.conf",
        ].compactMap { $0 }
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            var section: String?
            var entry: [String: String] = [:]
            for raw in text.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                if line.hasPrefix("["), line.hasSuffix("]") {
                    if section == name { return entry }
                    section = String(line.dropFirst().dropLast())
                    continue
                }
                guard section == name, let equals = line.firstIndex(of: "=") else { continue }
                entry[line[..<equals].trimmingCharacters(in: .whitespaces)] =
                    line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            }
            if section == name { return entry }
        }
        throw DatabaseError.badAddress("no service '\(name)' in \(files.joined(separator: ", ")).")
    }
}
