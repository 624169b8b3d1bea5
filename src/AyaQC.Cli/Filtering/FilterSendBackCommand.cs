using System.CommandLine;
using AyaQC.Cli.Qualification;

namespace AyaQC.Cli.Filtering;

/// <summary>
/// <c>ayaqc filter send-back</c>: the rows a filter job left in review go back to the project's crowd for more votes
/// (the assessment's send-back route, <c>POST /api/v1/projects/{id}/send-back</c>); run the filter job again once
/// they have them.
/// </summary>
public static class FilterSendBackCommand
{
    public static Command Create()
    {
        var connection = new ServerConnection();
        var project = new Option<string>("--project") { Description = "Project whose crowd votes again (prj_...; open or paused, over the job's dataset)", Required = true };
        var job = new Option<string>("--job") { Description = "Succeeded filter job whose 'review' rows go back (fjob_...)", Required = true };
        var votes = new Option<int?>("--votes") { Description = "More valid votes each row needs, from assessors who have not voted on it (server default 2)" };
        var command = new Command("send-back", "Send the rows a filter job put in review back to a project's crowd for more votes");
        foreach (var o in new Option[] { project, job, votes }) command.Options.Add(o);
        connection.AddTo(command);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var sent = await connection.AdminClient(pr).SendBackAsync(pr.GetValue(project)!, pr.GetValue(job)!, pr.GetValue(votes), ct);
            pr.InvocationConfiguration.Output.WriteLine($"sent {sent.Rows} rows in review back to project {sent.ProjectId} for {sent.VotesPerRow} more votes each; " +
                                                        $"then: ayaqc filter run --dataset DATASET --project {sent.ProjectId}");
        }));
        return command;
    }
}
