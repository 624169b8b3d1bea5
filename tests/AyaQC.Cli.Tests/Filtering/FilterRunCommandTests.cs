using System.CommandLine;
using System.Globalization;
using System.Text;
using AyaQC.Cli.Filtering;
using AyaQC.Contracts;

namespace AyaQC.Cli.Tests.Filtering;

/// <summary><c>ayaqc filter run</c> against a real server on loopback: starts the job, follows it, prints counts and verdict.</summary>
public class FilterRunCommandTests
{
    /// <summary>n rows, 2 of 3 good; mt_score separates them (with noise); the first 3/4 carry the truth as their label.</summary>
    static string Rows(int n)
    {
        var rng = new Random(3);
        var rows = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            var good = rng.NextDouble() < 0.67;
            var score = Math.Clamp((good ? 0.7 : 0.4) + (rng.NextDouble() - 0.5) * 0.4, 0, 1);
            var label = i < n * 3 / 4 ? $",\"label\":\"{(good ? "good" : "bad")}\"" : "";
            rows.Append(CultureInfo.InvariantCulture, $$"""{"id":"r{{i}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"Sentence {{i}}.","translation":"Sentensi {{i}}.","mt_score":{{score:0.###}}{{label}}}""").Append('\n');
        }
        return rows.ToString();
    }

    static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        FilterCommands.AddTo(root, new Command("bench"), new Command("simulate"));
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Filter_run_starts_a_job_follows_it_in_plain_lines_and_prints_the_counts_and_the_cards_verdict()
    {
        await using var server = await TempServer.StartAsync("ayaqc-cli-filter-run-",
            new Dictionary<string, string?> { ["Jobs:PollIntervalSeconds"] = "0.2", ["Jobs:SchedulePollIntervalSeconds"] = "0.2", ["Jobs:Queues"] = "default" });
        var admin = server.Admin;
        var ds = await admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(160))), signals: "mt_score");

        var (code, output, error) = await RunAsync(server.Remote("filter", "run", "--dataset", ds.Id, "--folds", "3", "--iterations", "20", "--chunk-size", "40"));
        Assert.True(code == 0, $"{error}\n{output}");
        var job = Assert.Single(await admin.ListFilterJobsAsync(ds.Id));
        Assert.Equal("succeeded", job.State);
        Assert.Contains($"started filter job {job.Id}", output);
        // The first line comes from the start response (queued or already running, in the training stage); later stages
        // show only if a poll catches them, which depends on the machine's speed.
        Assert.Matches($@"{job.Id} (queued|running): training the model", output);
        Assert.Contains($"job {job.Id} succeeded: 160 of 160 rows decided", output);
        var counts = await admin.CountDecisionsAsync(ds.Id);
        Assert.Equal(160, counts.Keep + counts.Review + counts.Drop);
        Assert.Equal((0L, 0L), (counts.Undecided, counts.Overridden));
        Assert.Contains($"decisions: keep {counts.Keep}, review {counts.Review}, drop {counts.Drop} (0 by a lead's override, 0 undecided)", output);
        var card = await admin.GetModelCardAsync(job.Id);
        Assert.Contains("verdict: " + card.GetProperty("verdict").GetString(), output);
        Assert.Contains("on 120 labelled rows", output);
        Assert.DoesNotContain("\u001b[", output); // plain: no ANSI codes when redirected

        // Following a finished job prints the same summary; a lead's override shows in the counts.
        await admin.OverrideDecisionAsync(ds.Id, "r0", "drop", "checked");
        var followed = await RunAsync(server.Remote("filter", "run", "--job", job.Id));
        Assert.True(followed.Code == 0, followed.Error);
        Assert.Contains("(1 by a lead's override, 0 undecided)", followed.Output);

        // The rows in review go back to an open project's crowd for more votes (the assessment's send-back route).
        var review = (await admin.CountDecisionsAsync(ds.Id)).Review;
        Assert.True(review > 0, "no row in review");
        var assessors = (await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest([new AssessorRegistration("Amina", ["eng_Latn", "swh_Latn"])]))).Assessors;
        var project = await admin.CreateProjectAsync(new CreateProjectRequest("judge", ds.Id, "judge", new PoolRequest(Assessors: [assessors[0].Id]),
            new OverlapRequest(Fixed: 1), ControlRate: 0, Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 2));
        await admin.SetProjectStateAsync(project.Id, "open");
        var sent = await RunAsync(server.Remote("filter", "send-back", "--project", project.Id, "--job", job.Id, "--votes", "1"));
        Assert.True(sent.Code == 0, sent.Error);
        Assert.Contains($"sent {review} rows in review back to project {project.Id} for 1 more votes each", sent.Output);
        Assert.Equal(1, (await RunAsync(server.Remote("filter", "send-back", "--project", "prj_missing", "--job", job.Id))).Code);

        // Refusals: the server's (too few labels) and the command line's.
        var few = await admin.ImportDatasetAsync("few", new MemoryStream(Encoding.UTF8.GetBytes(Rows(160).Split('\n')[^30..].Aggregate("", (a, l) => a + l + "\n"))));
        Assert.Equal(1, (await RunAsync(server.Remote("filter", "run", "--dataset", few.Id))).Code);
        var usage = await RunAsync(server.Remote("filter", "run"));
        Assert.True(usage.Code != 0 && usage.Error.Contains("--dataset ID"), usage.Error);
    }
}
