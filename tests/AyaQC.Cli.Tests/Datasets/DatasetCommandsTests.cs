using System.CommandLine;
using AyaQC.Cli.Datasets;

namespace AyaQC.Cli.Tests.Datasets;

/// <summary><c>ayaqc datasets import|list|rows</c> against a real server on loopback.</summary>
public class DatasetCommandsTests
{
    static RootCommand Root()
    {
        var root = new RootCommand();
        DatasetCommands.AddTo(root, new Command("bench"));
        return root;
    }

    [Fact]
    public async Task Import_list_and_browse_a_csv_dataset_from_the_command_line()
    {
        await using var server = await TempServer.StartAsync("ayaqc-cli-ds-");
        async Task<int> Run(params string[] args) => await Root().Parse(server.Remote(args)).InvokeAsync();

        var csv = server.PathIn("talk.csv");
        await File.WriteAllTextAsync(csv,
            "id,source_lang,target_lang,source,translation,label,mt_score\n" +
            "t1,eng_Latn,swh_Latn,Heartbreak Hotel,Hoteli ya Moyo,bad,0.41\n" +
            "t2,eng_Latn,swh_Latn,where do aliens come from,wageni wanatoka wapi,bad,0.77\n" +
            "t3,eng_Latn,swh_Latn,Because whisky is Manly.,Kwa sababu whisky ni Mwanaume,,0.52\n");
        Assert.Equal(0, await Run("datasets", "import", csv, "--batch-id", "talk-1"));
        Assert.Equal(0, await Run("datasets", "import", csv, "--batch-id", "talk-1")); // replayed, not twice
        Assert.Equal(0, await Run("datasets", "list"));

        var ds = Assert.Single(await server.Admin.ListDatasetsAsync());
        Assert.Equal(("talk", 3L, 2L), (ds.Name, ds.Rows, ds.LabelledRows));
        Assert.Equal(["mt_score"], ds.SignalColumns);
        Assert.Equal(0, await Run("datasets", "rows", ds.Id, "--has-label", "true", "--json"));

        var bad = server.PathIn("bad.jsonl");
        await File.WriteAllTextAsync(bad, "{\"id\":\"x\",\"source_lang\":\"eng_Latn\",\"target_lang\":\"swh_Latn\",\"source\":\"a\"}\n");
        Assert.Equal(1, await Run("datasets", "import", bad));
        Assert.Single(await server.Admin.ListDatasetsAsync());
    }
}
