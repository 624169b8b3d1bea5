using System.CommandLine;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using AyaQC.Tests.Shared;

namespace AyaQC.Cli.Tests.Qualification;

/// <summary>The vendor's commands against a real server on loopback.</summary>
public class AdminCommandsTests
{
    static RootCommand Root()
    {
        var root = new RootCommand();
        QualificationCommands.AddTo(root, new Command("bench"), new Command("simulate"));
        return root;
    }

    [Fact]
    public async Task Register_open_close_and_read_a_round_from_the_command_line()
    {
        var dir = Directory.CreateTempSubdirectory("ayaqc-cli-test-");
        var key = ApiTokens.NewAdminKey();
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
        {
            Storage = new StorageOptions { ConnectionString = $"Data Source={Path.Combine(dir.FullName, "t.db")}" },
            AdminKey = key,
            SetsPath = RepoPaths.InRepo("qualification-sets"),
        });
        string[] Remote(params string[] args) => [.. args, "--server", server.BaseAddress.ToString(), "--admin-key", key];
        async Task Run(params string[] args) => Assert.Equal(0, await Root().Parse(Remote(args)).InvokeAsync());

        var tokens = Path.Combine(dir.FullName, "tokens.tsv");
        await Run("qualification", "assessors", "register", "--name", "Amina", "--name", "Baraka", "--language", "swh_Latn", "--tokens-out", tokens);
        await Run("qualification", "rounds", "open", "--name", "first", "--gold-set", "en-sw", "--items", "10", "--seed", "3", "--min-items", "5");

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var admin = new AyaQCClient(http, key);
        var round = Assert.Single(await admin.ListRoundsAsync());
        Assert.Equal(2, round.Participants);
        Assert.Equal(5, round.Policy.MinItemsBeforeEarlyStop);
        var lines = await File.ReadAllLinesAsync(tokens);
        Assert.Equal(2, lines.Length);
        var me = admin.WithToken(lines[0].Split('\t')[2]);
        var item = (await me.NextItemAsync(round.Id)).Item!;
        await me.AnswerAsync(round.Id, new(item.ItemId, "good"));

        await Run("qualification", "rounds", "close", round.Id);
        await Run("qualification", "rounds", "results", round.Id, "--top-k", "1", "--json");
        Assert.Equal("closed", (await admin.GetRoundAsync(round.Id)).Status);

        // a bad name in a file is refused by line, and nobody of that file is registered
        var names = Path.Combine(dir.FullName, "names.txt");
        await File.WriteAllLinesAsync(names, ["Chausiku", "", new string('x', 300)]);
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try { Assert.Equal(1, await Root().Parse(Remote("qualification", "assessors", "register", "--file", names)).InvokeAsync()); }
        finally { Console.SetError(original); }
        Assert.StartsWith("error: ", stderr.ToString());
        Assert.Contains("names.txt line 3", stderr.ToString());
        Assert.Equal(2, (await admin.ListAssessorsAsync()).Count);

        // a refused request exits with 1 (here: a closed round cannot be closed again)
        Assert.Equal(1, await Root().Parse(Remote("qualification", "rounds", "close", round.Id)).InvokeAsync());
        // an unknown gold set name is reported, not thrown
        Assert.Equal(1, await Root().Parse(Remote("qualification", "rounds", "open", "--name", "x", "--gold-set", "nope")).InvokeAsync());
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_error()
    {
        var exit = await Root().Parse(["qualification", "rounds", "list", "--server", "http://127.0.0.1:1", "--admin-key", "aqa_x"]).InvokeAsync();
        Assert.Equal(1, exit);
    }
}
