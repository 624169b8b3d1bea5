using System.Security.Cryptography;
using System.Text;

namespace AyaQC.Server.Auth;

/// <summary>
/// Admin keys (<c>aqa_…</c>) and assessor tokens (<c>aqt_…</c>): 256 random bits, so a plain SHA-256 is a
/// safe thing to store (no dictionary to attack); the token itself is shown once and never stored.
/// </summary>
public static class ApiTokens
{
    public const string AdminPrefix = "aqa_", AssessorPrefix = "aqt_", ReviewerPrefix = "aqr_", PipelinePrefix = "aqp_";

    public static string NewAdminKey() => AdminPrefix + RandomPart();
    public static string NewAssessorToken() => AssessorPrefix + RandomPart();
    public static string NewReviewerToken() => ReviewerPrefix + RandomPart();
    public static string NewPipelineToken() => PipelinePrefix + RandomPart();

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static string RandomPart() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
