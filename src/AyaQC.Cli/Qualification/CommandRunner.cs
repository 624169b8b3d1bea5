using AyaQC.Client;
using Spectre.Console;

namespace AyaQC.Cli.Qualification;

/// <summary>Runs a command body and turns the expected failures into one clear message and exit code 1.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task> body)
    {
        try
        {
            await body();
            return 0;
        }
        catch (AyaQCApiException e)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
        }
        catch (HttpRequestException e)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] cannot reach the server ({Markup.Escape(e.Message)}); start one with `ayaqc serve` or pass --server");
        }
        catch (Exception e) when (e is CommandException or IOException or InvalidOperationException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
        }
        return 1;
    }
}
