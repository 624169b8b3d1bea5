namespace AyaQC.Storage.Datasets;

/// <summary>Schema step 4 (issue 10). Numbers are DOUBLE PRECISION, which SQLite stores as REAL.</summary>
static class DatasetSchema
{
    public static readonly IReadOnlyList<string> Step4 =
    [
        """
        CREATE TABLE datasets (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            format TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            labelled_count INTEGER NOT NULL,
            signal_columns TEXT NOT NULL,
            metadata_columns TEXT NOT NULL,
            created_at BIGINT NOT NULL)
        """,
        // seq: the row's position in the file (1-based), the cursor for paging and the unit of job checkpoints.
        """
        CREATE TABLE dataset_rows (
            dataset_id TEXT NOT NULL REFERENCES datasets(id),
            seq INTEGER NOT NULL,
            row_id TEXT NOT NULL,
            line INTEGER NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            translation TEXT NOT NULL,
            post_edit TEXT NULL,
            label TEXT NULL,
            signals_json TEXT NULL,
            metadata_json TEXT NULL,
            PRIMARY KEY (dataset_id, seq))
        """,
        "CREATE UNIQUE INDEX ux_dataset_rows_row_id ON dataset_rows (dataset_id, row_id)",
        // next_seq is the checkpoint: every row with a smaller seq has its result, written in the same transaction.
        """
        CREATE TABLE backtranslation_jobs (
            id TEXT PRIMARY KEY,
            dataset_id TEXT NOT NULL REFERENCES datasets(id),
            state TEXT NOT NULL,
            queue TEXT NOT NULL,
            options_json TEXT NOT NULL,
            signature TEXT NOT NULL,
            total_rows INTEGER NOT NULL,
            rows_done INTEGER NOT NULL,
            rows_failed INTEGER NOT NULL,
            next_seq INTEGER NOT NULL,
            active_ms BIGINT NOT NULL,
            attempts INTEGER NOT NULL,
            cancel_requested INTEGER NOT NULL,
            error TEXT NULL,
            device TEXT NULL,
            device_note TEXT NULL,
            hangfire_job_id TEXT NULL,
            created_at BIGINT NOT NULL,
            started_at BIGINT NULL,
            updated_at BIGINT NOT NULL,
            finished_at BIGINT NULL)
        """,
        "CREATE INDEX ix_backtranslation_jobs_dataset ON backtranslation_jobs (dataset_id, created_at)",
        // flags: ",code,code," for exact LIKE filters; flag_reasons: JSON [{flag, reason}] naming why each was raised.
        """
        CREATE TABLE backtranslation_results (
            job_id TEXT NOT NULL REFERENCES backtranslation_jobs(id),
            seq INTEGER NOT NULL,
            row_id TEXT NOT NULL,
            status TEXT NOT NULL,
            back_translation TEXT NULL,
            chrf DOUBLE PRECISION NULL,
            length_ratio DOUBLE PRECISION NULL,
            source_cut INTEGER NOT NULL,
            flags TEXT NOT NULL,
            flag_reasons TEXT NULL,
            failure TEXT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (job_id, seq))
        """,
    ];
}
