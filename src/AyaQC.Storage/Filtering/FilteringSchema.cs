namespace AyaQC.Storage.Filtering;

/// <summary>Schema step 6 (issue 12): pipeline tokens, agreement-model jobs, per-row decisions, audited overrides.</summary>
static class FilteringSchema
{
    public static readonly IReadOnlyList<string> Step6 =
    [
        // A pipeline token may only read exports. revoked_at set = the token no longer works.
        """
        CREATE TABLE pipeline_tokens (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_by TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT NULL)
        """,
        // stage: train → apply; model_zip (base64) and card_json are written when training ends, so a resumed run
        // applies the same model from next_seq on.
        """
        CREATE TABLE filter_jobs (
            id TEXT PRIMARY KEY,
            dataset_id TEXT NOT NULL REFERENCES datasets(id),
            project_id TEXT NULL,
            state TEXT NOT NULL,
            stage TEXT NOT NULL,
            options_json TEXT NOT NULL,
            signature TEXT NOT NULL,
            total_rows INTEGER NOT NULL,
            rows_done INTEGER NOT NULL,
            next_seq INTEGER NOT NULL,
            active_ms BIGINT NOT NULL,
            attempts INTEGER NOT NULL,
            cancel_requested INTEGER NOT NULL,
            error TEXT NULL,
            runner TEXT NULL,
            model_zip TEXT NULL,
            card_json TEXT NULL,
            created_at BIGINT NOT NULL,
            started_at BIGINT NULL,
            updated_at BIGINT NOT NULL,
            finished_at BIGINT NULL)
        """,
        "CREATE INDEX ix_filter_jobs_dataset ON filter_jobs (dataset_id, created_at)",
        // The model's decision on a row (the latest job's) and the lead's override, if any; the effective decision is
        // COALESCE(override_decision, decision). votes/chrf/hter are the values the model saw, for the export.
        """
        CREATE TABLE row_decisions (
            dataset_id TEXT NOT NULL REFERENCES datasets(id),
            seq INTEGER NOT NULL,
            row_id TEXT NOT NULL,
            job_id TEXT NULL,
            decision TEXT NULL,
            p_good DOUBLE PRECISION NULL,
            reasons TEXT NULL,
            signature TEXT NULL,
            votes INTEGER NULL,
            chrf DOUBLE PRECISION NULL,
            hter DOUBLE PRECISION NULL,
            decided_at BIGINT NULL,
            override_decision TEXT NULL,
            override_id TEXT NULL,
            PRIMARY KEY (dataset_id, seq))
        """,
        // Every override a lead made, never rewritten: who, when, why, and what it replaced.
        """
        CREATE TABLE decision_overrides (
            id TEXT PRIMARY KEY,
            dataset_id TEXT NOT NULL REFERENCES datasets(id),
            seq INTEGER NOT NULL,
            row_id TEXT NOT NULL,
            decision TEXT NOT NULL,
            previous_decision TEXT NULL,
            model_decision TEXT NULL,
            reason TEXT NOT NULL,
            lead TEXT NOT NULL,
            created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX ix_decision_overrides_row ON decision_overrides (dataset_id, seq, created_at)",
    ];
}
