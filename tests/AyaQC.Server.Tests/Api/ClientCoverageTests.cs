using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using AyaQC.Client;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Api;

/// <summary>The typed client covers the whole API: every route the server publishes has a method on the Refit interface.</summary>
public class ClientCoverageTests
{
    static string Normalise(string method, string path) =>
        $"{method.ToUpperInvariant()} /{Regex.Replace(path.Trim('/'), @"\{[^}]+\}", "{}")}";

    [Fact]
    public async Task Every_served_route_has_a_client_method()
    {
        await using var api = await ApiServer.StartAsync("sqlite");
        using var doc = JsonDocument.Parse(await api.Http.GetStringAsync("/openapi/v1.json"));
        var served = new SortedSet<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
            if (operation.Name is "get" or "post" or "put" or "delete" or "patch")
                served.Add(Normalise(operation.Name, path.Name));
        Assert.Contains("POST /api/v1/gold-sets", served);

        var client = typeof(IAyaQCApi).GetMethods()
            .Select(m => m.GetCustomAttribute<Refit.HttpMethodAttribute>())
            .Where(a => a != null)
            .Select(a => Normalise(a!.Method.Method, a.Path))
            .ToHashSet();
        var missing = served.Where(s => !client.Contains(s)).ToArray();
        Assert.True(missing.Length == 0, "served routes without a method on IAyaQCApi: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task The_generated_client_reads_health_and_turns_problems_into_exceptions()
    {
        await using var api = await ApiServer.StartAsync("sqlite");
        var health = await api.Admin.HealthAsync();
        Assert.Equal("ok", health.Status);
        Assert.True(health.SchemaVersion >= 1);
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.GetRoundAsync("rnd_missing"));
        Assert.Equal(404, e.Status);
        var anonymous = await Assert.ThrowsAsync<AyaQCApiException>(() => new AyaQCClient(api.Http).ListRoundsAsync());
        Assert.Equal(401, anonymous.Status);
    }
}
