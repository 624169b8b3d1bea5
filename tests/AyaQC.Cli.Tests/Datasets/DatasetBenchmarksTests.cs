using System.CommandLine;
using System.Text.Json;
using AyaQC.Cli.Datasets;
using AyaQC.Tests.Shared;

namespace AyaQC.Cli.Tests.Datasets;

/// <summary>Both dataset benchmarks run small, end to end, and write the report their figures are quoted from.</summary>
public class DatasetBenchmarksTests
{
    static (int Exit, string Error) Run(params string[] args)
    {
        var bench = new Command("bench");
        bench.Subcommands.Add(DatasetBenchmarks.BackTranslateJob());
        bench.Subcommands.Add(DatasetBenchmarks.DatasetsImport());
        bench.Subcommands.Add(IdleBenchmark.Create());
        var error = new StringWriter();
        var exit = new RootCommand { bench }.Parse(args).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        return (exit, error.ToString());
    }

    [Fact]
    public void The_job_benchmark_compares_the_job_with_the_engine_and_the_import_benchmark_counts_rows_and_memory()
    {
        var dir = Directory.CreateTempSubdirectory("ayaqc-bench-datasets-test-");
        try
        {
            var jobReport = Path.Combine(dir.FullName, "job.json");
            var (exit, error) = Run("bench", "backtranslate-job", "--model", RepoPaths.InRepo("tests", "AyaQC.Translation.Tests", "Fixtures", "tiny-nllb"),
                "--rows", "64", "--batch-size", "16", "--repeats", "1", "--report", jobReport);
            Assert.True(exit == 0, error);
            var job = JsonDocument.Parse(File.ReadAllText(jobReport)).RootElement;
            Assert.Equal(64, job.GetProperty("rows").GetInt32());
            Assert.True(job.GetProperty("engine_rows_per_s").GetDouble() > 0);
            Assert.True(job.GetProperty("job_rows_per_s").GetDouble() > 0);
            var ratio = job.GetProperty("job_over_engine").GetDouble();
            Assert.Equal(ratio >= 0.9, job.GetProperty("within_10_percent").GetBoolean());
            Assert.Contains("batch:16", job.GetProperty("job_signature").GetString());
            // the job as a user times it: from the POST, pickup included, to the finish after the last stored chunk
            var (total, pickup, running) = (job.GetProperty("job_seconds")[0].GetDouble(), job.GetProperty("job_seconds_post_to_started").GetDouble(),
                job.GetProperty("job_seconds_running").GetDouble());
            Assert.True(pickup >= 0 && running > 0 && Math.Abs(total - pickup - running) < 0.01, $"{total} = {pickup} + {running}?");
            // job_seconds is rounded in the report, which moves 64 rows over a tenth of a second by up to ~0.6 %
            var rate = job.GetProperty("job_rows_per_s").GetDouble();
            Assert.True(Math.Abs(rate - 64 / total) <= 0.01 * rate + 0.1, $"{rate} rows/s from 64 rows in {total} s?");
            Assert.True(job.GetProperty("job_cpu").GetProperty("cpu_seconds").GetDouble() > 0);

            var importReport = Path.Combine(dir.FullName, "import.json");
            (exit, error) = Run("bench", "datasets-import", "--rows", "3000", "--report", importReport);
            Assert.True(exit == 0, error);
            var import = JsonDocument.Parse(File.ReadAllText(importReport)).RootElement;
            Assert.Equal(3000, import.GetProperty("rows").GetInt32());
            Assert.True(import.GetProperty("rows_per_s").GetDouble() > 0);
            Assert.True(import.GetProperty("peak_rss_mib").GetDouble() > 0);

            var idleReport = Path.Combine(dir.FullName, "idle.json");
            (exit, error) = Run("bench", "idle", "--seconds", "1", "--settle", "0", "--report", idleReport);
            Assert.True(exit == 0, error);
            var idle = JsonDocument.Parse(File.ReadAllText(idleReport)).RootElement;
            Assert.True(idle.GetProperty("percent_of_one_core").GetDouble() >= 0);
            Assert.True(idle.GetProperty("seconds").GetDouble() >= 1);
            Assert.All(idle.GetProperty("threads").EnumerateArray(), t => Assert.True(t.GetProperty("cpu_seconds").GetDouble() > 0));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }
}
