using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Server.Pages;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Pages;

public partial class PagesTests
{
    static async Task<(ApiServer Api, List<RegisteredAssessor> Assessors, RoundResponse Round)> StartAsync(int assessors = 2, int items = 12)
    {
        var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        var (_, registered, round) = await api.OpenRoundAsync(assessors, items, new RoundPolicy(MinItemsBeforeEarlyStop: 100));
        return (api, registered, round);
    }

    static string NextItemId(string html) => Regex.Match(html, "name=\"itemId\" value=\"([^\"]+)\"").Groups[1].Value;

    static async Task<GoldItem> GoldOf(ApiServer api, string roundId, string itemId) =>
        (await api.Server.Services.GetRequiredService<IQualificationStore>().GetRoundItemAsync(roundId, itemId))!;

    [Fact]
    public async Task Every_page_demands_its_role()
    {
        var (api, assessors, round) = await StartAsync();
        await using var _ = api;
        var pages = api.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/api/") && !e.RoutePattern.RawText.StartsWith("/openapi") && e.RoutePattern.RawText != "/health"
                        && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => e.RoutePattern.RawText!).Distinct().ToList();
        Assert.Contains("/lead/rounds/{id}", pages);
        Assert.Contains("/work/rounds/{roundId}", pages);

        Assert.Contains("/lead/projects/{id}", pages);
        Assert.Contains("/lead/projects/{id}/hter", pages);
        Assert.Contains("/work/projects/{projectId}", pages);
        Assert.Contains("/lead/datasets/{id}", pages);
        var project = await ProjectPagesTests.OpenProjectAsync(api, assessors, round.GoldSetId);

        using var anonymous = new PageClient(api.Server.BaseAddress);
        using var assessor = new PageClient(api.Server.BaseAddress);
        await assessor.SignInAsync(assessors[0].Token!);
        using var admin = new PageClient(api.Server.BaseAddress);
        await admin.SignInAsync(api.AdminKey);

        foreach (var pattern in pages)
        {
            var id = pattern.StartsWith("/lead/assessors") ? assessors[0].Id : pattern.Contains("/projects/") ? project.Id
                : pattern.StartsWith("/lead/datasets") ? project.DatasetId! : round.Id;
            var chart = pattern.Contains("/projects/") ? ProjectDashboard.ChartNames[0] : "leaderboard";
            var path = pattern.Replace("{roundId}", round.Id).Replace("{projectId}", project.Id).Replace("{id}", id)
                .Replace("{chart}", chart).Replace("{name}", "ayaqc.css").Replace("{code}", "aql_unknown");
            var open = pattern is "/" or "/assets/{name}" or "/sign-in/{code}";
            var (anon, asAssessor, asAdmin) = (await anonymous.GetAsync(path), await assessor.GetAsync(path), await admin.GetAsync(path));
            if (open)
            {
                Assert.True(anon.StatusCode == HttpStatusCode.OK, $"{path} anonymous: {anon.StatusCode}");
                continue;
            }
            // Anonymous visitors are sent to sign in; a signed-in user of the wrong role gets 403.
            Assert.True(anon.StatusCode == HttpStatusCode.Redirect && anon.Headers.Location!.OriginalString.StartsWith("http") is var _
                && anon.Headers.Location.ToString().Contains("/?return="), $"{path} anonymous: {anon.StatusCode} {anon.Headers.Location}");
            var (mine, other) = pattern.StartsWith("/lead") ? (asAdmin, asAssessor) : (asAssessor, asAdmin);
            // A filter job's card needs a trained model (ModelCardPageTests); here the unknown id answers 404 to its own role.
            var expected = pattern.StartsWith("/lead/filter-jobs/{id}") ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.True(mine.StatusCode == expected, $"{path} own role: {mine.StatusCode}");
            Assert.True(other.StatusCode == HttpStatusCode.Forbidden, $"{path} other role: {other.StatusCode}");
        }
    }

    [Fact]
    public async Task Forms_without_the_anti_forgery_field_are_refused_and_the_cookie_never_opens_the_api()
    {
        var (api, assessors, round) = await StartAsync();
        await using var _ = api;
        using var client = new PageClient(api.Server.BaseAddress);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRawAsync("/sign-in", ("token", assessors[0].Token!))).StatusCode);
        await client.SignInAsync(assessors[0].Token!);
        var item = NextItemId(await client.GetHtmlAsync($"/work/rounds/{round.Id}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRawAsync($"/work/rounds/{round.Id}/answers", ("itemId", item), ("verdict", "good"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        var bad = await new PageClient(api.Server.BaseAddress).PostFormAsync("/", "/sign-in", ("token", "aqt_not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Contains("not known", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_assessor_works_through_a_round_and_refusals_read_as_words()
    {
        var (api, assessors, round) = await StartAsync(items: 10);
        await using var _ = api;
        using var client = new PageClient(api.Server.BaseAddress);
        await client.SignInAsync(assessors[0].Token!);
        var rounds = await client.GetHtmlAsync("/work");
        Assert.Contains($"/work/rounds/{round.Id}", rounds);

        string? first = null;
        for (var k = 1; k <= 10; k++)
        {
            var page = await client.GetHtmlAsync($"/work/rounds/{round.Id}");
            Assert.Contains($"Item {k} of 10", page);
            var item = NextItemId(page);
            first ??= item;
            var gold = await GoldOf(api, round.Id, item);
            var fields = gold.Label == Verdict.Bad
                ? new[] { ("itemId", item), ("verdict", "bad"), ("errorType", gold.ErrorType ?? "") }
                : new[] { ("itemId", item), ("verdict", "good") };
            var posted = await client.PostFormAsync($"/work/rounds/{round.Id}", $"/work/rounds/{round.Id}/answers", fields);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.DoesNotContain("refused", posted.Headers.Location!.ToString());
        }
        var done = await client.GetHtmlAsync($"/work/rounds/{round.Id}");
        Assert.Contains("you have finished this round", done);
        Assert.Contains("You answered 10 of 10 items", done);
        var after = await client.GetHtmlAsync("/work"); // the round is still open, her part is done: no way back in, and it says so
        Assert.DoesNotContain($"/work/rounds/{round.Id}", after);
        Assert.Contains("<td class=\"num\">10 / 10</td><td>finished</td>", after);

        // Answering again: the API's refusal, in words.
        var again = await client.PostFormAsync("/work", $"/work/rounds/{round.Id}/answers", ("itemId", first!), ("verdict", "good"));
        var shown = await client.GetHtmlAsync(again.Headers.Location!.ToString());
        Assert.Contains("already answered", shown);

        var results = await api.Admin.GetResultsAsync(round.Id);
        Assert.Equal(10, results.Assessors.Single(a => a.AssessorId == assessors[0].Id).Answered);
        Assert.Equal(10, results.Assessors.Single(a => a.AssessorId == assessors[0].Id).Correct);
    }

    [Fact]
    public async Task Refusals_for_a_bad_form_and_a_closed_round_and_swahili_text()
    {
        var (api, assessors, round) = await StartAsync();
        await using var _ = api;
        using var client = new PageClient(api.Server.BaseAddress);
        await client.SignInAsync(assessors[0].Token!);
        var item = NextItemId(await client.GetHtmlAsync($"/work/rounds/{round.Id}"));
        var noVerdict = await client.PostFormAsync("/work", $"/work/rounds/{round.Id}/answers", ("itemId", item));
        Assert.Contains("Choose Good or Bad", await client.GetHtmlAsync(noVerdict.Headers.Location!.ToString()));
        var typeWithGood = await client.PostFormAsync("/work", $"/work/rounds/{round.Id}/answers", ("itemId", item), ("verdict", "good"), ("errorType", "omission"));
        Assert.Contains("An error type goes only with Bad", await client.GetHtmlAsync(typeWithGood.Headers.Location!.ToString()));

        var sw = await client.GetHtmlAsync($"/work/rounds/{round.Id}?lang=sw");
        Assert.Contains("lang=\"sw\"", sw);
        Assert.Contains("Je, tafsiri ni nzuri?", sw);
        Assert.Contains("Raundi zangu", await client.GetHtmlAsync("/work")); // remembered

        await api.Admin.CloseRoundAsync(round.Id);
        var closed = await client.GetAsync($"/work/rounds/{round.Id}");
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        Assert.Contains("Raundi hii imefungwa", await closed.Content.ReadAsStringAsync());
    }

    /// <summary>Good and bad items' pages are the same markup once the texts, ids and numbers are taken out.</summary>
    [Fact]
    public async Task Item_pages_carry_no_gold_label_explanation_or_marker()
    {
        var (api, assessors, round) = await StartAsync(items: 12);
        await using var _ = api;
        using var client = new PageClient(api.Server.BaseAddress);
        await client.SignInAsync(assessors[0].Token!);
        var skeletons = new Dictionary<Verdict, string>();
        for (var k = 0; k < 12 && skeletons.Count < 2; k++)
        {
            var page = await client.GetHtmlAsync($"/work/rounds/{round.Id}");
            var item = NextItemId(page);
            var gold = await GoldOf(api, round.Id, item);
            Assert.DoesNotContain(gold.Explanation ?? "\u0000", page);
            var skeleton = page.Replace(System.Net.WebUtility.HtmlEncode(gold.Source), "").Replace(System.Net.WebUtility.HtmlEncode(gold.Translation), "").Replace(item, "");
            skeleton = Regex.Replace(skeleton, "name=\"__af\" value=\"[^\"]+\"", "");
            skeleton = Regex.Replace(skeleton, "[0-9]+", "#");
            skeletons.TryAdd(gold.Label, skeleton);
            await client.PostFormAsync($"/work/rounds/{round.Id}", $"/work/rounds/{round.Id}/answers", ("itemId", item), ("verdict", "good"));
        }
        Assert.Equal(2, skeletons.Count);
        Assert.Equal(skeletons[Verdict.Good], skeletons[Verdict.Bad]);
    }

    [Fact]
    public async Task Pages_are_small_and_carry_a_strict_content_security_policy()
    {
        var (api, assessors, round) = await StartAsync();
        await using var _ = api;
        using var client = new PageClient(api.Server.BaseAddress);
        await client.SignInAsync(assessors[0].Token!);
        var response = await client.GetAsync($"/work/rounds/{round.Id}");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("http", csp);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html); // no inline script
        Assert.DoesNotMatch(" on[a-z]+=", html);            // no inline handlers
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html); // nothing from another origin
        var total = html.Length + (await client.GetHtmlAsync("/assets/ayaqc.css")).Length + (await client.GetHtmlAsync("/assets/ayaqc.js")).Length;
        Assert.True(total < 100 * 1024, $"first load {total} bytes");
        // Every form control has a label.
        foreach (Match m in Regex.Matches(html, "<(input|select)[^>]*id=\"([^\"]+)\""))
            if (!m.Value.Contains("type=\"hidden\"")) Assert.Contains($"for=\"{m.Groups[2].Value}\"", html);
    }

    [Fact]
    public async Task A_one_time_link_signs_an_assessor_in_once()
    {
        var (api, assessors, _) = await StartAsync();
        await using var __ = api;
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/assessors/{assessors[1].Id}/sign-in-links");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.AdminKey);
        var created = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var link = (await created.Content.ReadFromJsonAsync<SignInLinkResponse>())!;
        var path = new Uri(link.Url).PathAndQuery;
        var code = path["/sign-in/".Length..];

        using var client = new PageClient(api.Server.BaseAddress);
        var first = await client.PostFormAsync(path, "/sign-in/link", ("code", code));
        Assert.Equal("/work", first.Headers.Location!.ToString());
        Assert.Contains("My rounds", await client.GetHtmlAsync("/work"));

        using var again = new PageClient(api.Server.BaseAddress);
        var second = await again.PostFormAsync(path, "/sign-in/link", ("code", code));
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Contains("already used or expired", await second.Content.ReadAsStringAsync());

        var asAssessor = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/assessors/{assessors[1].Id}/sign-in-links");
        asAssessor.Headers.Authorization = new AuthenticationHeaderValue("Bearer", assessors[0].Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Http.SendAsync(asAssessor)).StatusCode);
    }

    [Fact]
    public async Task A_reissued_token_or_a_suspension_ends_the_assessors_page_session_on_the_next_request()
    {
        var (api, assessors, _) = await StartAsync(assessors: 3);
        await using var __ = api;
        static async Task<bool> SignedIn(PageClient c) => (await c.GetAsync("/work")).StatusCode == HttpStatusCode.OK;

        // Signed in with the token, then the admin reissues it: the cookie stops working, the new token signs in.
        using var byToken = new PageClient(api.Server.BaseAddress);
        await byToken.SignInAsync(assessors[0].Token!);
        Assert.True(await SignedIn(byToken));
        var fresh = await api.Admin.ReissueTokenAsync(assessors[0].Id);
        var after = await byToken.GetAsync("/work");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/?return=", after.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await byToken.PostFormAsync("/", "/sign-in", ("token", assessors[0].Token!))).StatusCode);
        await byToken.SignInAsync(fresh.Token);
        Assert.True(await SignedIn(byToken));

        // Signed in with a one-time link (or the token), then suspended: both sessions end, and the token no longer signs in.
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/assessors/{assessors[1].Id}/sign-in-links");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.AdminKey);
        var link = (await (await api.Http.SendAsync(request)).Content.ReadFromJsonAsync<SignInLinkResponse>())!;
        var path = new Uri(link.Url).PathAndQuery;
        using var byLink = new PageClient(api.Server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await byLink.PostFormAsync(path, "/sign-in/link", ("code", path["/sign-in/".Length..]))).StatusCode);
        using var other = new PageClient(api.Server.BaseAddress);
        await other.SignInAsync(assessors[1].Token!);
        Assert.True(await SignedIn(byLink) && await SignedIn(other));
        await api.Admin.SuspendAssessorAsync(assessors[1].Id);
        Assert.False(await SignedIn(byLink));
        Assert.False(await SignedIn(other));
        Assert.Equal(HttpStatusCode.Unauthorized, (await new PageClient(api.Server.BaseAddress).PostFormAsync("/", "/sign-in", ("token", assessors[1].Token!))).StatusCode);

        // Someone else's session is untouched throughout.
        using var third = new PageClient(api.Server.BaseAddress);
        await third.SignInAsync(assessors[2].Token!);
        await api.Admin.ReissueTokenAsync(assessors[0].Id);
        Assert.True(await SignedIn(third));
    }

    [Fact]
    public async Task The_lead_dashboard_draws_its_charts_and_links_the_api_and_pngs()
    {
        var (api, assessors, round) = await StartAsync(assessors: 3, items: 10);
        await using var _ = api;
        foreach (var a in assessors.Take(2)) // the third answers nothing
        {
            var me = api.As(a.Token!);
            for (var next = await me.NextItemAsync(round.Id); next.Item is { } item; next = await me.NextItemAsync(round.Id))
                await me.AnswerAsync(round.Id, new AnswerRequest(item.ItemId, "good"));
        }
        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        Assert.Contains($"/lead/rounds/{round.Id}", await lead.GetHtmlAsync("/lead"));
        var page = await lead.GetHtmlAsync($"/lead/rounds/{round.Id}");
        Assert.Contains($"/api/v1/rounds/{round.Id}/results", page);
        Assert.Equal(RoundDashboard.ChartNames.Count, Regex.Matches(page, "<svg").Count);
        Assert.Contains(">Assessor 1<", page);   // names on the leaderboard and heatmap
        // Someone who answered nothing has no accuracy to rank: off the leaderboard, dashes in the table.
        Assert.Contains("Leaderboard (top 2 of 3)", page);
        Assert.Contains("<td>Assessor 3</td><td>undecided</td><td class=\"num\">0 / 10</td><td class=\"num\">–</td><td class=\"num\">–</td>", page);
        var results = await api.Admin.GetResultsAsync(round.Id);
        Assert.Contains($"<td class=\"num\">{results.Summary.Answers}</td>", page);
        foreach (var chart in RoundDashboard.ChartNames)
        {
            Assert.Contains($"/lead/rounds/{round.Id}/charts/{chart}.png", page);
            var png = await lead.GetAsync($"/lead/rounds/{round.Id}/charts/{chart}.png");
            Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
            Assert.Equal((byte)'P', (await png.Content.ReadAsByteArrayAsync())[1]);
        }
        // A post without the form's anti-forgery token (a cross-site form) is refused and makes no link.
        var forged = await lead.PostRawAsync($"/lead/assessors/{assessors[0].Id}/sign-in-link");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain("/sign-in/aql_", await forged.Content.ReadAsStringAsync());
        var link = await lead.PostFormAsync("/lead/assessors", $"/lead/assessors/{assessors[0].Id}/sign-in-link");
        Assert.Contains("/sign-in/aql_", await link.Content.ReadAsStringAsync());

        // Signing out takes the form's token too: a forged post leaves the session as it was, the page's own form ends it.
        Assert.Equal(HttpStatusCode.BadRequest, (await lead.PostRawAsync("/sign-out")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lead.GetAsync("/lead/assessors")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await lead.PostFormAsync("/lead/assessors", "/sign-out")).StatusCode);
        var after = await lead.GetAsync("/lead/assessors");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/?return=", after.Headers.Location!.ToString()); // the sign-in page
    }

    [Fact]
    public async Task The_hter_page_builds_the_report_from_an_upload_and_names_the_bad_line()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        async Task<HttpResponseMessage> Upload(string content) =>
            await lead.PostMultipartAsync("/lead/hter", "/lead/hter", "rows", "rows.jsonl", content);
        var ok = await Upload("{\"id\":\"1\",\"translation\":\"a b c\",\"post_edit\":\"a x c\",\"post_editor\":\"amina\"}\n");
        var html = await ok.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("Post-editor amina", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script", html);
        var bad = await Upload("{\"translation\":\"a\"}\n");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("rows.jsonl line 1: missing field &quot;post_edit&quot;", await bad.Content.ReadAsStringAsync());
    }
}
