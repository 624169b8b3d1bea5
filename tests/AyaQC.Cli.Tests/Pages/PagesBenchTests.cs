using System.CommandLine;
using System.Text.Json;
using AyaQC.Cli.Pages;

namespace AyaQC.Cli.Tests.Pages;

public class PagesBenchTests
{
    [Fact]
    public void Bench_pages_times_both_dashboards_and_writes_its_report()
    {
        var dir = Directory.CreateTempSubdirectory("ayaqc-bench-pages-test-");
        try
        {
            var report = Path.Combine(dir.FullName, "pages.json");
            var bench = new Command("bench");
            bench.Subcommands.Add(PagesBench.Create());
            var root = new RootCommand { bench };
            var error = new StringWriter();
            var exit = root.Parse(["bench", "pages", "--round-answers", "600", "--project-rows", "300", "--repeat", "2", "--out", report])
                .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
            Assert.True(exit == 0, error.ToString());

            var pages = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("pages").EnumerateArray().ToList();
            Assert.Equal(["lead round dashboard", "lead project dashboard"], pages.Select(p => p.GetProperty("page").GetString()));
            Assert.Equal([600, 300], pages.Select(p => p.GetProperty("size").GetInt32()));
            foreach (var p in pages)
            {
                Assert.True(p.GetProperty("coldMs").GetDouble() > 0);
                Assert.InRange(p.GetProperty("warmDataP50Ms").GetDouble(), 0, p.GetProperty("warmP50Ms").GetDouble());
                Assert.True(p.GetProperty("htmlBytes").GetInt32() > 10_000, "every chart drawn into the page");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
