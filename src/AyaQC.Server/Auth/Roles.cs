namespace AyaQC.Server.Auth;

/// <summary>The roles: the vendor (admin), an assessor, and a reviewer of post-edits. Also the policy names.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Assessor = "assessor";
    public const string Reviewer = "reviewer";
    public const string ReviewerIdClaim = "ayaqc:reviewer_id";
    public const string AssessorIdClaim = "ayaqc:assessor_id";
    public const string AssessorNameClaim = "ayaqc:assessor_name";
}
