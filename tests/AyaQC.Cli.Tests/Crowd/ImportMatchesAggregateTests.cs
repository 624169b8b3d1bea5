using System.CommandLine;
using System.Globalization;
using AyaQC.Cli.Crowd;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Core.Crowd;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using AyaQC.Tests.Shared;

namespace AyaQC.Cli.Tests.Crowd;

/// <summary>
/// A vendor migrating from another platform imports crowd-kit shaped answers into a project; the labels the
/// service computes must be exactly those of <c>ayaqc aggregate</c> on the same file, method by method.
/// </summary>
public class ImportMatchesAggregateTests : IDisposable
{
    readonly string _temp = Directory.CreateTempSubdirectory("ayaqc-import-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    static Dictionary<string, (string Label, double Posterior)> Aggregate(string answers, string method, string output)
    {
        var root = new RootCommand();
        var bench = new Command("bench");
        var simulate = new Command("simulate");
        CrowdCommands.AddTo(root, bench, simulate);
        var error = new StringWriter();
        var exit = root.Parse(["aggregate", "--answers", answers, "--method", method, "--out", output])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.True(exit == 0, error.ToString());
        return File.ReadLines(output).Skip(1).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => (f[1], double.Parse(f[2], CultureInfo.InvariantCulture)));
    }

    [SharedDataFact]
    public async Task Imported_answers_get_the_labels_of_ayaqc_aggregate_method_by_method()
    {
        var key = ApiTokens.NewAdminKey();
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
        {
            Storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(_temp, "ayaqc.db")}" },
            AdminKey = key, LoadShippedSets = false,
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var admin = new AyaQCClient(http, key);
        // Every method on the two smallest sets; majority vote and Dawid–Skene on all five.
        var plan = new (string Set, IReadOnlyList<string> Methods)[]
        {
            ("bluebirds", CrowdMethods.Names), ("temp", CrowdMethods.Names), ("rte", ["mv", "ds"]),
            ("dog", ["mv", "ds"]), ("web", ["mv", "ds"]),
        };
        foreach (var (set, methods) in plan)
        {
            var file = RepoPaths.InShared("crowd-data", set, "answers.tsv");
            var project = await admin.CreateProjectAsync(new CreateProjectRequest($"migrated {set}", null, "import"));
            var imported = await admin.ImportAnswersAsync(project.Id, await File.ReadAllTextAsync(file));
            Assert.Equal(File.ReadLines(file).Skip(1).Count(l => l.Length > 0), imported.Votes);
            foreach (var method in methods)
            {
                var expected = Aggregate(file, method, Path.Combine(_temp, $"{set}-{method}.tsv"));
                var labels = await admin.AllLabelsAsync(project.Id, method);
                Assert.Equal(expected.Count, labels.Count);
                foreach (var l in labels)
                {
                    var (label, posterior) = expected[l.RowId];
                    Assert.True(label == l.Label, $"{set}/{method}: task {l.RowId}: service {l.Label}, aggregate {label}");
                    Assert.True(Math.Abs(posterior - l.Posterior) < 1e-6, $"{set}/{method}: task {l.RowId}: posterior {l.Posterior} vs {posterior}");
                }
            }
        }
    }
}
