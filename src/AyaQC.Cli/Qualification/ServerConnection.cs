using System.CommandLine;
using AyaQC.Client;

namespace AyaQC.Cli.Qualification;

/// <summary>The --server / --admin-key options of the commands that talk to a running AyaQC server.</summary>
public sealed class ServerConnection
{
    public const string DefaultServer = "http://127.0.0.1:5080";
    public const string DefaultKeyFile = "data/admin-key.txt";

    public Option<string> Server { get; } = new("--server")
    {
        Description = $"Server URL (default: $AYAQC_SERVER or {DefaultServer})",
    };

    public Option<string> AdminKey { get; } = new("--admin-key", "--key")
    {
        Description = $"Admin key (default: $AYAQC_ADMIN_KEY, else the key in {DefaultKeyFile} written by `ayaqc serve`)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(AdminKey);
    }

    public Uri ServerUri(ParseResult pr) =>
        new((pr.GetValue(Server) ?? Environment.GetEnvironmentVariable("AYAQC_SERVER") ?? DefaultServer).TrimEnd('/') + "/");

    public string ResolveAdminKey(ParseResult pr)
    {
        var key = pr.GetValue(AdminKey) ?? Environment.GetEnvironmentVariable("AYAQC_ADMIN_KEY");
        if (string.IsNullOrWhiteSpace(key) && File.Exists(DefaultKeyFile)) key = File.ReadAllText(DefaultKeyFile).Trim();
        return string.IsNullOrWhiteSpace(key)
            ? throw new CommandException($"no admin key: pass --admin-key, set AYAQC_ADMIN_KEY, or run from the folder where `ayaqc serve` wrote {DefaultKeyFile}")
            : key;
    }

    public AyaQCClient AdminClient(ParseResult pr) =>
        new(new HttpClient { BaseAddress = ServerUri(pr), Timeout = TimeSpan.FromMinutes(5) }, ResolveAdminKey(pr));

    /// <summary>A command that talks to a running server as admin: its arguments and options, then --server and --key;
    /// the body gets an admin client, and user errors end it with one line and exit 1.</summary>
    public static Command AdminCommand(string name, string description, Func<ParseResult, AyaQCClient, CancellationToken, Task> body, params Symbol[] symbols)
    {
        var connection = new ServerConnection();
        var command = new Command(name, description);
        foreach (var s in symbols)
            if (s is Option o) command.Options.Add(o);
            else if (s is Argument a) command.Arguments.Add(a);
        connection.AddTo(command);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(() => body(pr, connection.AdminClient(pr), ct)));
        return command;
    }
}

/// <summary>A user error the command reports in one line and exits with 1.</summary>
public sealed class CommandException(string message) : Exception(message);
