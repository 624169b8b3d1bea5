using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Server.Tests.Support;
using AyaQC.Tests.Shared.Browser;
using AyaQC.Storage;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace AyaQC.Server.Tests.Browser;

/// <summary>The pages in a real browser (Debian's chromium): an assessor on a phone with the keyboard, a lead on the dashboard.</summary>
public class BrowserTests
{
    const int PhoneWidth = 360, PhoneHeight = 760, DesktopWidth = 1280, DesktopHeight = 900;

    static void Keys(HeadlessChromium browser, string keys) => new Actions(browser.Web).SendKeys(keys).Perform();

    static void WaitFor(HeadlessChromium browser, Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!Holds(condition))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"waited 30 s for {what}; page: {browser.Web.Url}");
            Thread.Sleep(50);
        }
    }

    // An element read while the page is being replaced goes stale: that is "not yet", not a failure.
    static bool Holds(Func<bool> condition)
    {
        try { return condition(); }
        catch (StaleElementReferenceException) { return false; }
    }

    static void AssertFitsWidth(HeadlessChromium browser, int width) =>
        Assert.True(Convert.ToInt64(browser.Js("return document.documentElement.scrollWidth;")) <= width,
            $"{browser.Web.Url} scrolls sideways at {width} px");

    [ChromiumFact]
    public async Task An_assessor_completes_a_round_with_the_keyboard_on_a_phone()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        var (_, assessors, round) = await api.OpenRoundAsync(assessors: 1, itemsPerAssessor: 8, new RoundPolicy(MinItemsBeforeEarlyStop: 100),
            name: "November qualification");
        var store = api.Server.Services.GetRequiredService<IQualificationStore>();
        using var browser = new HeadlessChromium();
        browser.Viewport(PhoneWidth, PhoneHeight, mobile: true);
        var web = browser.Web;

        web.Navigate().GoToUrl(new Uri(api.Server.BaseAddress, "/"));
        browser.Screenshot("phone-sign-in");
        Contrast.AssertReadable(browser);
        AxeBasics.AssertPasses(browser);
        Keys(browser, assessors[0].Token! + OpenQA.Selenium.Keys.Enter); // the token field has focus
        WaitFor(browser, () => web.Url.EndsWith("/work"), "the rounds page");
        AssertFitsWidth(browser, PhoneWidth);
        browser.Screenshot("phone-my-rounds");
        Contrast.AssertReadable(browser);
        AxeBasics.AssertPasses(browser);
        // Every way into the round is on screen at 360 px: no sideways scrolling of the table to find it.
        var links = (IReadOnlyCollection<object>)browser.Js(
            "return Array.from(document.querySelectorAll('a[href^=\"/work/rounds/\"]')).map(a => Math.ceil(a.getBoundingClientRect().right));")!;
        Assert.Equal(2, links.Count); // the round's name and "Continue"
        Assert.All(links, right => Assert.True(Convert.ToInt64(right) <= PhoneWidth, $"a link to the round ends at {right} px, off a {PhoneWidth} px screen"));
        Assert.Equal(0L, browser.Js("return Array.from(document.querySelectorAll('.scroll')).filter(d => d.scrollWidth > d.clientWidth).length;")); // nothing hidden sideways

        // Tab to the round's link and open it, as a keyboard user would.
        for (var tabs = 0; tabs < 20 && web.SwitchTo().ActiveElement().GetAttribute("href")?.Contains("/work/rounds/") != true; tabs++)
            Keys(browser, OpenQA.Selenium.Keys.Tab);
        Keys(browser, OpenQA.Selenium.Keys.Enter);
        WaitFor(browser, () => web.Url.Contains($"/work/rounds/{round.Id}"), "the item page");

        for (var k = 1; k <= 8; k++)
        {
            WaitFor(browser, () => web.FindElements(By.CssSelector("h1")).FirstOrDefault()?.Text == $"Item {k} of 8", $"item {k}");
            AssertFitsWidth(browser, PhoneWidth);
            if (k == 1) { browser.Screenshot("phone-item"); Contrast.AssertReadable(browser); AxeBasics.AssertPasses(browser); }
            var itemId = web.FindElement(By.Name("itemId")).GetAttribute("value")!;
            var gold = (await store.GetRoundItemAsync(round.Id, itemId))!;
            if (gold.Label == Verdict.Good) Keys(browser, "g");
            else
            {
                Keys(browser, "b");
                var index = gold.ErrorType is { } t ? ErrorTypes.All.ToList().IndexOf(t) + 1 : 0;
                if (index is > 0 and <= 9) Keys(browser, index.ToString());
                if (k == 2 || gold.ErrorType != null) browser.Screenshot("phone-item-bad");
                Keys(browser, OpenQA.Selenium.Keys.Enter);
            }
        }
        WaitFor(browser, () => web.PageSource.Contains("you have finished this round"), "the closing page");
        Assert.Contains("You answered 8 of 8 items", web.FindElement(By.TagName("main")).Text);
        browser.Screenshot("phone-round-done");
        Contrast.AssertReadable(browser);
        AxeBasics.AssertPasses(browser);

        var result = (await api.Admin.GetResultsAsync(round.Id)).Assessors.Single();
        Assert.Equal(8, result.Answered);
        Assert.Equal(8, result.Correct); // every keystroke reached the server as meant
    }

    [ChromiumFact]
    public async Task A_lead_reads_every_dashboard_page_and_every_chart_has_visible_text()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite, settings: Filtering.FilterJobTests.Settings());
        var (dataset, filterJob) = await Pages.ModelCardPageTests.TrainedJobAsync(api);
        var (set, assessors, round) = await api.OpenRoundAsync(assessors: 6, itemsPerAssessor: 12);
        var store = api.Server.Services.GetRequiredService<IQualificationStore>();
        var rng = new Random(3);
        foreach (var (a, i) in assessors.Select((a, i) => (a, i)))
        {
            var me = api.As(a.Token!);
            for (var next = await me.NextItemAsync(round.Id); next.Item is { } item; next = await me.NextItemAsync(round.Id))
            {
                var gold = (await store.GetRoundItemAsync(round.Id, item.ItemId))!;
                var right = rng.NextDouble() < 0.45 + 0.1 * i; // a spread of skills
                var verdict = right ? gold.Label : gold.Label == Verdict.Good ? Verdict.Bad : Verdict.Good;
                await me.AnswerAsync(round.Id, new AnswerRequest(item.ItemId, verdict == Verdict.Good ? "good" : "bad",
                    verdict == Verdict.Bad && right ? gold.ErrorType : null));
            }
        }

        // An assessment project the same crowd worked on, for the project dashboard.
        var project = await Pages.ProjectPagesTests.OpenProjectAsync(api, assessors, set.Id, controlRate: 0.3);
        foreach (var (a, i) in assessors.Select((a, i) => (a, i)))
        {
            var me = api.As(a.Token!);
            for (var next = await me.NextInProjectAsync(project.Id); next.Item is { } item;)
                next = (await me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, rng.NextDouble() < 0.7 ? "good" : "bad"))).Next;
        }

        using var browser = new HeadlessChromium();
        var web = browser.Web;
        browser.Viewport(DesktopWidth, DesktopHeight, mobile: false);
        web.Navigate().GoToUrl(new Uri(api.Server.BaseAddress, "/"));
        web.FindElement(By.Id("token")).SendKeys(api.AdminKey + OpenQA.Selenium.Keys.Enter);
        WaitFor(browser, () => web.Url.EndsWith("/lead"), "the rounds page");

        var pages = new[] { ("rounds", "/lead"), ("round", $"/lead/rounds/{round.Id}"), ("assessors", "/lead/assessors"), ("hter", "/lead/hter"),
            ("projects", "/lead/projects"), ("project", $"/lead/projects/{project.Id}"), ("datasets", "/lead/datasets"),
            ("dataset", $"/lead/datasets/{dataset.Id}"), ("model-card", $"/lead/filter-jobs/{filterJob.Id}") };
        // The contrast check can fail: light grey text on white is caught.
        web.Navigate().GoToUrl(new Uri(api.Server.BaseAddress, "/lead"));
        browser.Js("const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#aaaaaa'; document.querySelector('main').append(p);");
        Assert.Contains(Contrast.Check(browser).Failures, f => f.Contains("\"faint\""));
        // So can the basics: a field nobody named is caught.
        browser.Js("const i = document.createElement('input'); i.type = 'text'; i.name = 'nameless'; document.querySelector('main').append(i);");
        Assert.Contains(AxeBasics.Check(browser), f => f.Contains("[name=nameless] has no label"));

        foreach (var (size, width, height, mobile) in new[] { ("desktop", DesktopWidth, DesktopHeight, false), ("phone", PhoneWidth, PhoneHeight, true) })
        {
            browser.Viewport(width, height, mobile);
            foreach (var (name, path) in pages)
            {
                web.Navigate().GoToUrl(new Uri(api.Server.BaseAddress, path));
                Assert.DoesNotContain("403", web.Title);
                // Each chart: its title and axis labels are drawn text with a real size on screen.
                var charts = (IReadOnlyCollection<object>)browser.Js("""
                    return Array.from(document.querySelectorAll('figure svg')).map(svg => {
                      const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim().length > 0);
                      const drawn = texts.filter(t => { const b = t.getBBox(); return b.width > 0 && b.height > 0; });
                      const r = svg.getBoundingClientRect();
                      return [svg.getAttribute('aria-label'), drawn.length, texts.length, r.width];
                    });
                    """)!;
                if (name is "round" or "project") Assert.Equal(4, charts.Count);
                if (name is "model-card") Assert.Equal(6, charts.Count);
                if (!mobile) Contrast.AssertReadable(browser);
                AxeBasics.AssertPasses(browser);
                foreach (IReadOnlyList<object> c in charts)
                {
                    Assert.True(Convert.ToInt64(c[1]) >= 3 && Convert.ToInt64(c[1]) == Convert.ToInt64(c[2]), $"{path} chart '{c[0]}': {c[1]} of {c[2]} texts drawn");
                    Assert.True(Convert.ToDouble(c[3]) <= width, $"{path} chart '{c[0]}' wider than the screen");
                }
                if (mobile) AssertFitsWidth(browser, width + 1);
                browser.Screenshot($"{size}-lead-{name}");
            }
        }
    }

    [ChromiumFact]
    public async Task A_lead_sends_the_rows_in_review_back_to_the_crowd_from_the_model_card_on_a_phone()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite, settings: Filtering.FilterJobTests.Settings());
        var w = await Pages.SendBackPageTests.ReviewJobAsync(api);
        using var browser = new HeadlessChromium();
        var web = browser.Web;
        browser.Viewport(PhoneWidth, PhoneHeight, mobile: true);
        web.Navigate().GoToUrl(new Uri(api.Server.BaseAddress, "/"));
        web.FindElement(By.Id("token")).SendKeys(api.AdminKey + OpenQA.Selenium.Keys.Enter);
        WaitFor(browser, () => web.Url.EndsWith("/lead"), "the rounds page");

        web.Navigate().GoToUrl(new Uri(api.Server.BaseAddress, $"/lead/filter-jobs/{w.Job.Id}"));
        var votes = web.FindElement(By.Id("votes"));
        var button = web.FindElement(By.CssSelector("form.send-back button[type=submit]"));
        Assert.True(button.Displayed);
        browser.Js("arguments[0].scrollIntoView({block: 'center'});", button);
        Assert.True(Convert.ToDouble(browser.Js("return arguments[0].getBoundingClientRect().right;", button)) <= PhoneWidth, "the button is off a phone's screen");
        AssertFitsWidth(browser, PhoneWidth + 1);
        AxeBasics.AssertPasses(browser);
        browser.Screenshot("phone-lead-send-back");

        votes.Clear();
        votes.SendKeys("3");
        button.Click();
        WaitFor(browser, () => web.FindElements(By.Id("send-back-result")).Count == 1, "the send-back result");
        Assert.Equal($"{w.InReview} rows in review sent back to the crowd: each needs 3 more votes.", web.FindElement(By.Id("send-back-result")).Text);
        AssertFitsWidth(browser, PhoneWidth + 1);
        Contrast.AssertReadable(browser);
        AxeBasics.AssertPasses(browser);
        browser.Screenshot("phone-lead-sent-back");
        Assert.Contains("item", await Pages.SendBackPageTests.NextStatusesAsync(api, w)); // the crowd has those rows to vote on again
    }
}
