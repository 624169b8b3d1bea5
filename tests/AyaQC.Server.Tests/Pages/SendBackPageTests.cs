using System.Net;
using System.Text;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Assessment;
using AyaQC.Server.Tests.Datasets;
using AyaQC.Server.Tests.Filtering;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Pages;

/// <summary>The lead sends a filter job's rows in review back to the crowd from the model card page; nobody else can.</summary>
public class SendBackPageTests
{
    /// <summary>60 labelled rows, five assessors who each gave every row they were served one vote (one vote per row),
    /// and a filter job whose unreachable precision targets leave rows in review. Needs <see cref="FilterJobTests.Settings"/>.</summary>
    internal sealed record ReviewWorld(DatasetResponse Dataset, ProjectResponse Project, IReadOnlyList<RegisteredAssessor> Assessors, JobResponse Job, int InReview);

    internal static async Task<ReviewWorld> ReviewJobAsync(ApiServer api)
    {
        var (jsonl, bySource) = LabelsJobTests.LabelledRows(60);
        var ds = await api.Admin.ImportDatasetAsync("labelled", new MemoryStream(Encoding.UTF8.GetBytes(jsonl)));
        var assessors = (await api.Admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            Enumerable.Range(1, 5).Select(i => new AssessorRegistration($"A{i}", ["swh_Latn"])).ToList()))).Assessors;
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("one vote each", ds.Id, "judge",
            new PoolRequest(Assessors: assessors.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 1),
            Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 4));
        await api.Admin.SetProjectStateAsync(project.Id, "open");
        foreach (var a in assessors)
            await ProjectFlowTests.WorkAsync(api.As(a.Token!), project.Id, item => bySource[item.Source].Good ? "good" : "bad");
        var started = await api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 20,
            KeepPrecision: 0.999, DropPrecision: 0.999));
        var job = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(180));
        Assert.True(job.State == "succeeded", $"filter job {job.State}: {job.Error}");
        var review = (await api.Admin.ListDecisionsAsync(ds.Id, decision: "review", limit: 1000)).Rows.Count;
        Assert.True(review > 0, "no row left in review");
        return new ReviewWorld(ds, project, assessors, job, review);
    }

    /// <summary>What each assessor is offered next: "no_work" for all while no row's need was raised.</summary>
    internal static async Task<List<string>> NextStatusesAsync(ApiServer api, ReviewWorld w)
    {
        var statuses = new List<string>();
        foreach (var a in w.Assessors) statuses.Add((await api.As(a.Token!).NextInProjectAsync(w.Project.Id)).Status);
        return statuses;
    }

    static async Task AssertNothingSentAsync(ApiServer api, ReviewWorld w) => Assert.All(await NextStatusesAsync(api, w), s => Assert.Equal("no_work", s));

    [Fact]
    public async Task Only_the_lead_sends_rows_back_from_the_card_with_a_form_token_and_the_count_sent_is_the_rows_in_review()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite, settings: FilterJobTests.Settings());
        var w = await ReviewJobAsync(api);
        var card = $"/lead/filter-jobs/{w.Job.Id}";
        var action = card + "/send-back";
        await AssertNothingSentAsync(api, w);

        // An assessor's page session: the card and the form's target answer 403 (the assessor's own pages give the form token).
        using (var assessor = new PageClient(api.Server.BaseAddress))
        {
            await assessor.SignInAsync(w.Assessors[0].Token!);
            Assert.Equal(HttpStatusCode.Forbidden, (await assessor.GetAsync(card)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await assessor.PostFormAsync("/work", action, ("votes", "2"))).StatusCode);
        }
        // A pipeline token opens no page session, and as a bearer token it is not a page session either.
        var pipeline = await api.Admin.CreatePipelineTokenAsync("nightly");
        using (var outsider = new PageClient(api.Server.BaseAddress))
        {
            var signIn = await outsider.PostFormAsync("/", "/sign-in", ("token", pipeline.Token!));
            Assert.NotEqual(HttpStatusCode.Redirect, signIn.StatusCode);
            var bearer = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent([new("votes", "2")]) };
            bearer.Headers.Authorization = new("Bearer", pipeline.Token);
            using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Server.BaseAddress };
            var response = await noRedirects.SendAsync(bearer);
            // The page scheme does not read bearer tokens: it sends the caller to sign in, as for no session at all.
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/?return=", response.Headers.Location!.ToString());
        }
        await AssertNothingSentAsync(api, w);

        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        var page = await lead.GetHtmlAsync(card);
        Assert.Contains($"This job left {w.InReview} rows in review", page);
        Assert.Contains($"action=\"{action}\"", page);
        // Without the form's anti-forgery token the post is refused; bad vote counts are named and nothing is sent.
        Assert.Equal(HttpStatusCode.BadRequest, (await lead.PostRawAsync(action, ("votes", "2"))).StatusCode);
        foreach (var (votes, says) in new[] { ("abc", "votes: &#39;abc&#39; is not a whole number"), ("0", "votes: must be between 1 and 20") })
        {
            var refused = await lead.PostFormAsync(card, action, ("votes", votes));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(says, await refused.Content.ReadAsStringAsync());
        }
        await AssertNothingSentAsync(api, w);

        var sent = await lead.PostFormAsync(card, action, ("votes", "2"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"{card}?sent={w.InReview}&votes=2#send-back", sent.Headers.Location!.ToString());
        Assert.Contains($"{w.InReview} rows in review sent back to the crowd: each needs 2 more votes.", await lead.GetHtmlAsync($"{card}?sent={w.InReview}&votes=2"));
        Assert.Contains("item", await NextStatusesAsync(api, w));
    }
}
