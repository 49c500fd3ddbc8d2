/// The run store's tables, as one list of named migrations that SQLite and PostgreSQL both apply in order (each
/// once). Add a migration for every change; never edit one that has shipped. The statements are written in the SQL
/// both understand; ``postgres(_:)`` changes the one type name that differs.
public enum StoreSchema {
    public static let migrations: [(name: String, statements: [String])] = [
        (
            "v1",
            [
                """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY NOT NULL,
                    started_at REAL NOT NULL,
                    finished_at REAL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
                    pid INTEGER,
                    process_start TEXT,
                    task_title TEXT NOT NULL,
                    task_json TEXT NOT NULL,
                    settings_json TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT,
                    replay_of TEXT REFERENCES run(id) ON DELETE SET NULL,
                    solved INTEGER,
                    stop_reason TEXT,
                    iterations INTEGER NOT NULL DEFAULT 0,
                    prompt_tokens INTEGER NOT NULL DEFAULT 0,
                    completion_tokens INTEGER NOT NULL DEFAULT 0,
                    cost_usd REAL,
                    error TEXT,
                    duration_ms INTEGER
                )
                """,
                """
                CREATE INDEX run_started_at ON run(started_at)
                """,
                """
                CREATE TABLE generator_call (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    iteration INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    feedback TEXT,
                    reply TEXT,
                    files_json TEXT NOT NULL,
                    problem TEXT,
                    prompt_tokens INTEGER,
                    completion_tokens INTEGER,
                    cost_usd REAL,
                    usage_estimated INTEGER,
                    latency_ms INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (run_id, iteration)
                )
                """,
                """
                CREATE TABLE step (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    iteration INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    files_json TEXT NOT NULL,
                    duration_ms INTEGER NOT NULL,
                    generation_ms INTEGER NOT NULL,
                    PRIMARY KEY (run_id, iteration)
                )
                """,
                """
                CREATE TABLE test_result (
                    run_id TEXT NOT NULL,
                    iteration INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    num_passed INTEGER NOT NULL,
                    num_failed INTEGER NOT NULL,
                    num_errors INTEGER NOT NULL,
                    num_skipped INTEGER NOT NULL,
                    exit_code INTEGER,
                    duration_ms INTEGER NOT NULL,
                    output TEXT NOT NULL,
                    message TEXT,
                    PRIMARY KEY (run_id, iteration),
                    FOREIGN KEY (run_id, iteration) REFERENCES step(run_id, iteration) ON DELETE CASCADE
                )
                """,
                """
                CREATE TABLE test_case (
                    run_id TEXT NOT NULL,
                    iteration INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    suite TEXT,
                    outcome TEXT NOT NULL,
                    message TEXT,
                    details TEXT,
                    PRIMARY KEY (run_id, iteration, position),
                    FOREIGN KEY (run_id, iteration) REFERENCES test_result(run_id, iteration) ON DELETE CASCADE
                )
                """,
            ]
        ),
        // What the integrity check saw (`TestResult.integrity`, as JSON), per tested step.
        ("v2", ["ALTER TABLE test_result ADD COLUMN integrity_json TEXT"]),
    ]

    /// `statement` for PostgreSQL: its REAL is single precision, too coarse for the times the store keeps.
    public static func postgres(_ statement: String) -> String {
        statement.replacing(/\bREAL\b/, with: "DOUBLE PRECISION")
    }
}
