using AyaQC.Client;

namespace AyaQC.Cli.Qualification;

/// <summary>Runs a command body and turns the expected failures into one <c>error: …</c> line on stderr and exit code 1 (<see cref="CliExit"/>).</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task> body)
    {
        try
        {
            await body();
            return CliExit.Ok;
        }
        catch (AyaQCApiException e)
        {
            return CliExit.Refuse(e.Message);
        }
        catch (HttpRequestException e)
        {
            return CliExit.Refuse($"cannot reach the server ({e.Message}); start one with `ayaqc serve` or pass --server");
        }
        catch (Exception e) when (e is CommandException or IOException or InvalidOperationException)
        {
            return CliExit.Refuse(e.Message);
        }
    }
}
