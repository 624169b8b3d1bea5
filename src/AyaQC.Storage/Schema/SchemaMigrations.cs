namespace AyaQC.Storage.Schema;

/// <summary>One forward step of the schema. Steps only add; nothing is ever dropped or rewritten.</summary>
/// <param name="PostgresStatements">Run after <paramref name="Statements"/> on PostgreSQL only (e.g. Orleans clustering, which SQLite has not).</param>
public sealed record SchemaMigration(int Version, string Description, IReadOnlyList<string> Statements, IReadOnlyList<string>? PostgresStatements = null);

/// <summary>The schema's history. The same SQL runs on SQLite and PostgreSQL (TEXT/BIGINT/INTEGER only).</summary>
public static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "qualification rounds: admin keys, gold sets, assessors, rounds, participants, answers",
        [
            """
            CREATE TABLE admin_keys (
                key_hash TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE import_batches (
                batch_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                result_id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (kind, batch_id))
            """,
            """
            CREATE TABLE gold_sets (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE gold_items (
                set_id TEXT NOT NULL REFERENCES gold_sets(id),
                item_id TEXT NOT NULL,
                line INTEGER NOT NULL,
                source_lang TEXT NOT NULL,
                target_lang TEXT NOT NULL,
                source TEXT NOT NULL,
                translation TEXT NOT NULL,
                label TEXT NOT NULL,
                error_type TEXT NULL,
                explanation TEXT NULL,
                PRIMARY KEY (set_id, item_id))
            """,
            """
            CREATE TABLE assessors (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                batch_id TEXT NULL,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE rounds (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                gold_set_id TEXT NOT NULL REFERENCES gold_sets(id),
                items_per_assessor INTEGER NOT NULL,
                policy_json TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NULL,
                closed_at BIGINT NULL)
            """,
            """
            CREATE TABLE round_participants (
                round_id TEXT NOT NULL REFERENCES rounds(id),
                assessor_id TEXT NOT NULL REFERENCES assessors(id),
                item_ids TEXT NOT NULL,
                answered INTEGER NOT NULL,
                correct INTEGER NOT NULL,
                early_decision TEXT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (round_id, assessor_id))
            """,
            "CREATE INDEX ix_round_participants_assessor ON round_participants (assessor_id)",
            """
            CREATE TABLE answers (
                round_id TEXT NOT NULL,
                assessor_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                item_id TEXT NOT NULL,
                verdict TEXT NOT NULL,
                error_type TEXT NULL,
                correct INTEGER NOT NULL,
                answered_at BIGINT NOT NULL,
                PRIMARY KEY (round_id, assessor_id, position),
                UNIQUE (round_id, assessor_id, item_id),
                FOREIGN KEY (round_id, assessor_id) REFERENCES round_participants (round_id, assessor_id))
            """,
        ]),
        new(2, "assessors declare the languages they work in",
        [
            "ALTER TABLE assessors ADD COLUMN languages TEXT NULL",
        ]),
        new(3, "Orleans: assessors can be suspended and carry skill estimates; PostgreSQL holds the cluster's membership",
        [
            "ALTER TABLE assessors ADD COLUMN suspended_at BIGINT NULL",
            """
            CREATE TABLE assessor_skills (
                assessor_id TEXT NOT NULL REFERENCES assessors(id),
                skill TEXT NOT NULL,
                estimate DOUBLE PRECISION NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (assessor_id, skill))
            """,
        ],
        [.. OrleansMembershipSchema.Tables, OrleansMembershipSchema.InsertQueries]),
        new(4, "datasets, their rows, back-translation jobs (progress + checkpoint) and per-row results", Datasets.DatasetSchema.Step4),
        new(5, "assessment projects: pools, votes, suspension events, post-edits, reviewers", Assessment.AssessmentSchema.Step5),
        new(6, "filtering: pipeline tokens, agreement-model jobs, per-row decisions, audited overrides", Filtering.FilteringSchema.Step6),
        new(7, "pages: one-time sign-in links an admin hands to an assessor",
        [
            """
            CREATE TABLE sign_in_links (
                code_hash TEXT PRIMARY KEY,
                assessor_id TEXT NOT NULL REFERENCES assessors(id),
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT NULL)
            """,
        ]),
        new(9, "assessment: full label recomputations with their stored labels, rows sent back for more votes", Assessment.LabelRunSchema.Step9),
    ];

    public static int Latest => All.Max(m => m.Version);
}
