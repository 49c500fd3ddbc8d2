import Logging
import PostgresNIO

/// The queue's tables, created and changed by numbered migrations that run once, under an advisory lock, so that
/// workers starting together do not race.
enum QueueSchema {
    /// The migrations in order; the n-th one brings the schema to version n + 1. Never edit one that shipped: add one.
    static let migrations: [[PostgresQuery]] = [
        [
            """
            CREATE TABLE autocoder_benches (
                id text PRIMARY KEY,
                name text NOT NULL,
                plan jsonb NOT NULL,
                problems integer NOT NULL,
                max_attempts integer NOT NULL CHECK (max_attempts >= 1),
                created_at timestamptz NOT NULL DEFAULT clock_timestamp()
            )
            """,
            "CREATE SEQUENCE autocoder_lease_tokens",
            """
            CREATE TABLE autocoder_problems (
                seq bigserial UNIQUE,
                bench_id text NOT NULL REFERENCES autocoder_benches (id) ON DELETE CASCADE,
                position integer NOT NULL,
                task_id text NOT NULL,
                problem jsonb NOT NULL,
                state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
                attempts integer NOT NULL DEFAULT 0,
                max_attempts integer NOT NULL,
                lease_token bigint,
                leased_by text,
                lease_expires_at timestamptz,
                result jsonb,
                failure text,
                refused_results integer NOT NULL DEFAULT 0,
                started_at timestamptz,
                finished_at timestamptz,
                PRIMARY KEY (bench_id, position)
            )
            """,
            // The claim walks this index in enqueueing order and stops at the first free problem.
            "CREATE INDEX autocoder_problems_open ON autocoder_problems (seq) WHERE state IN ('queued', 'running')",
            """
            CREATE INDEX autocoder_problems_leases ON autocoder_problems (lease_expires_at) WHERE state = 'running'
            """,
        ]
    ]

    /// Brings the database's schema up to date.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('autocoder-schema'))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS autocoder_schema (
                    version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var version = 0
            for try await (applied) in try await connection.query(
                "SELECT coalesce(max(version), 0) FROM autocoder_schema", logger: logger
            ).decode(Int.self) {
                version = applied
            }
            for (index, statements) in migrations.enumerated() where index + 1 > version {
                for statement in statements { try await connection.query(statement, logger: logger) }
                try await connection.query(
                    "INSERT INTO autocoder_schema (version) VALUES (\(index + 1))", logger: logger)
            }
        }
    }
}
