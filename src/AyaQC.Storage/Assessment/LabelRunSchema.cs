namespace AyaQC.Storage.Assessment;

/// <summary>Schema step 9 (issue 11): full label recomputations (job + stored labels) and rows sent back for more votes.</summary>
static class LabelRunSchema
{
    public static readonly IReadOnlyList<string> Step9 =
    [
        // One full recomputation of a project's labels: the job's progress and, once done, what it computed on.
        """
        CREATE TABLE label_runs (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL REFERENCES projects(id),
            method TEXT NOT NULL,
            state TEXT NOT NULL,
            signature TEXT NULL,
            alpha DOUBLE PRECISION NULL,
            as_of_votes BIGINT NULL,
            total_rows BIGINT NOT NULL,
            rows_done BIGINT NOT NULL,
            active_ms BIGINT NOT NULL,
            attempts INTEGER NOT NULL,
            error TEXT NULL,
            created_at BIGINT NOT NULL,
            started_at BIGINT NULL,
            finished_at BIGINT NULL)
        """,
        "CREATE INDEX label_runs_by_project ON label_runs (project_id, finished_at)",
        """
        CREATE TABLE run_labels (
            run_id TEXT NOT NULL REFERENCES label_runs(id),
            row_no INTEGER NOT NULL,
            row_id TEXT NOT NULL,
            label TEXT NOT NULL,
            posterior DOUBLE PRECISION NOT NULL,
            votes INTEGER NOT NULL,
            entropy DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (run_id, row_no))
        """,
        // A row sent back to the crowd: it needs `more` valid votes beyond those it held after `after_votes` votes.
        """
        CREATE TABLE project_row_requests (
            project_id TEXT NOT NULL REFERENCES projects(id),
            request_no INTEGER NOT NULL,
            row_id TEXT NOT NULL,
            more INTEGER NOT NULL,
            after_votes BIGINT NOT NULL,
            requested_at BIGINT NOT NULL,
            PRIMARY KEY (project_id, request_no))
        """,
    ];
}
