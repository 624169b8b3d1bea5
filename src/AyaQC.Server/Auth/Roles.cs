namespace AyaQC.Server.Auth;

/// <summary>The two roles: the vendor running rounds, and an assessor being qualified. Also the policy names.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Assessor = "assessor";
    public const string AssessorIdClaim = "ayaqc:assessor_id";
    public const string AssessorNameClaim = "ayaqc:assessor_name";
}
