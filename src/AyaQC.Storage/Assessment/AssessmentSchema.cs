namespace AyaQC.Storage.Assessment;

/// <summary>Schema step 5 (issue 11): assessment projects, their pools, votes, suspension events, post-edits, reviewers.</summary>
static class AssessmentSchema
{
    public static readonly IReadOnlyList<string> Step5 =
    [
        // settings_json: the Core board settings; id_key: the secret the opaque item ids are made with (hex).
        """
        CREATE TABLE projects (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            dataset_id TEXT NULL,
            gold_set_id TEXT NULL,
            task_kind TEXT NOT NULL,
            settings_json TEXT NOT NULL,
            id_key TEXT NOT NULL,
            seed INTEGER NOT NULL,
            state TEXT NOT NULL,
            deadline BIGINT NULL,
            created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE project_assessors (
            project_id TEXT NOT NULL REFERENCES projects(id),
            assessor_id TEXT NOT NULL,
            PRIMARY KEY (project_id, assessor_id))
        """,
        // seq orders the votes as the board saw them (replayed in that order). item_id is the opaque id (or an
        // imported task name); seconds is the time from serving to answer.
        """
        CREATE TABLE project_votes (
            project_id TEXT NOT NULL REFERENCES projects(id),
            seq BIGINT NOT NULL,
            assessor_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            label TEXT NOT NULL,
            error_type TEXT NULL,
            seconds DOUBLE PRECISION NOT NULL,
            answered_at BIGINT NOT NULL,
            imported INTEGER NOT NULL,
            PRIMARY KEY (project_id, seq),
            UNIQUE (project_id, assessor_id, item_id))
        """,
        // after_votes: the project's vote count when it happened, so a replay applies it at the same point.
        """
        CREATE TABLE project_events (
            project_id TEXT NOT NULL REFERENCES projects(id),
            event_no INTEGER NOT NULL,
            assessor_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            after_votes BIGINT NOT NULL,
            signal TEXT NULL,
            successes INTEGER NULL,
            count INTEGER NULL,
            wilson_upper DOUBLE PRECISION NULL,
            threshold DOUBLE PRECISION NULL,
            reason TEXT NOT NULL,
            happened_at BIGINT NOT NULL,
            PRIMARY KEY (project_id, event_no))
        """,
        """
        CREATE TABLE post_edits (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL REFERENCES projects(id),
            row_id TEXT NOT NULL,
            assessor_id TEXT NOT NULL,
            text TEXT NOT NULL,
            hter DOUBLE PRECISION NOT NULL,
            signature TEXT NOT NULL,
            state TEXT NOT NULL,
            reviewer_id TEXT NULL,
            reviewed_at BIGINT NULL,
            created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX ix_post_edits_project ON post_edits (project_id, state)",
        // A reviewer may also be an assessor (assessor_id): they never review their own post-edits.
        """
        CREATE TABLE reviewers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            assessor_id TEXT NULL,
            created_at BIGINT NOT NULL)
        """,
    ];
}
