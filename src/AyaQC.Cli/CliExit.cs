namespace AyaQC.Cli;

/// <summary>
/// The one error convention of every <c>ayaqc</c> command (printed by <c>--help</c>): exit 0 done, 1 refused (bad
/// input, a server refusal, an unreachable server), 2 usage (unknown command or option, missing or malformed argument);
/// the reason goes to stderr as lines starting <c>error: </c>.
/// </summary>
public static class CliExit
{
    public const int Ok = 0, Refused = 1, Usage = 2;

    public const string Help =
        "Exit codes: 0 done, 1 refused (bad input, server refusal, server unreachable), 2 usage error; errors go to stderr as 'error: <reason>'.";

    /// <summary>Writes <c>error: message</c> to <paramref name="stderr"/> (default: the process's stderr) and returns <see cref="Refused"/>.</summary>
    public static int Refuse(string message, TextWriter? stderr = null)
    {
        (stderr ?? Console.Error).WriteLine($"error: {message}");
        return Refused;
    }
}
