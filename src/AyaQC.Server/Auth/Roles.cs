namespace AyaQC.Server.Auth;

/// <summary>The roles: the vendor (admin, also the lead who overrides decisions), an assessor, a reviewer of post-edits, and a pipeline that reads exports. Also the policy names.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Assessor = "assessor";
    public const string Reviewer = "reviewer";
    /// <summary>A pipeline token: reads exports, nothing else.</summary>
    public const string Pipeline = "pipeline";
    /// <summary>Policy of the export routes: an admin or a pipeline token.</summary>
    public const string Export = "export";
    public const string PipelineIdClaim = "ayaqc:pipeline_id";
    public const string AdminNameClaim = "ayaqc:admin_name";
    public const string ReviewerIdClaim = "ayaqc:reviewer_id";
    public const string AssessorIdClaim = "ayaqc:assessor_id";
    public const string AssessorNameClaim = "ayaqc:assessor_name";
}
