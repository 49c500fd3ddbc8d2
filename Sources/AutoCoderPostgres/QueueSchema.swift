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
            // The claim: problems whose leases ran out once too often are marked failed; then the oldest free
            // problem (queued, or running under a lease that ran out) is taken, skipping those other workers are
            // taking at this moment, under a new fencing token.
            """
            CREATE FUNCTION autocoder_claim(worker text, lease_seconds double precision)
            RETURNS TABLE (bench_id text, "position" integer, attempts integer, lease_token bigint, problem text)
            LANGUAGE plpgsql AS $$
            #variable_conflict use_column
            BEGIN
                UPDATE autocoder_problems
                SET state = 'failed', finished_at = clock_timestamp(), lease_expires_at = NULL,
                    failure = 'its worker stopped renewing the lease ' || attempts || ' time(s), the most '
                        || '--max-attempts allows; last held by ' || coalesce(leased_by, 'nobody')
                WHERE state = 'running' AND lease_expires_at < clock_timestamp() AND attempts >= max_attempts;
                RETURN QUERY
                WITH next AS (
                    SELECT bench_id, position FROM autocoder_problems
                    WHERE state IN ('queued', 'running') AND (state = 'queued' OR lease_expires_at < clock_timestamp())
                        AND attempts < max_attempts
                    ORDER BY seq LIMIT 1
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE autocoder_problems p
                SET state = 'running', attempts = p.attempts + 1, lease_token = nextval('autocoder_lease_tokens'),
                    leased_by = worker, started_at = clock_timestamp(),
                    lease_expires_at = clock_timestamp() + make_interval(secs => lease_seconds)
                FROM next
                WHERE p.bench_id = next.bench_id AND p.position = next.position
                RETURNING p.bench_id, p.position, p.attempts, p.lease_token, p.problem::text;
            END
            $$
            """,
            // The result, written only under the lease's current token (else counted as refused); then, when a
            // worker is named, its next claim, in the same round trip.
            """
            CREATE FUNCTION autocoder_finish(
                finished_bench text, finished_position integer, token bigint, outcome jsonb, worker text,
                lease_seconds double precision)
            RETURNS TABLE (
                written boolean, bench_id text, "position" integer, attempts integer, lease_token bigint, problem text)
            LANGUAGE plpgsql AS $$
            #variable_conflict use_column
            DECLARE
                was_written boolean;
            BEGIN
                UPDATE autocoder_problems
                SET state = 'done', result = outcome, finished_at = clock_timestamp(), lease_expires_at = NULL
                WHERE bench_id = finished_bench AND position = finished_position AND lease_token = token
                    AND state = 'running';
                was_written := FOUND;
                IF NOT was_written THEN
                    UPDATE autocoder_problems SET refused_results = refused_results + 1
                    WHERE bench_id = finished_bench AND position = finished_position;
                END IF;
                IF worker IS NOT NULL THEN
                    RETURN QUERY SELECT was_written, c.* FROM autocoder_claim(worker, lease_seconds) c;
                    IF FOUND THEN RETURN; END IF;
                END IF;
                RETURN QUERY SELECT was_written, NULL::text, NULL::integer, NULL::integer, NULL::bigint, NULL::text;
            END
            $$
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
