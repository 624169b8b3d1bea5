using AyaQC.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace AyaQC.Server.Tests;

/// <summary>No Docker engine here: the compose file is kept honest by parsing it.</summary>
public class DockerComposeTests
{
    static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepoPaths.InRepo("docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    static string Env(YamlMappingNode service, string name) =>
        ((YamlMappingNode)service["environment"]).Children.Single(c => ((YamlScalarNode)c.Key).Value == name).Value.ToString();

    [Fact]
    public void Compose_describes_postgres_two_server_nodes_and_a_gpu_worker()
    {
        var services = Services();
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        Assert.Contains("postgres", names);
        var servers = names.Where(n => n.StartsWith("server", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, servers.Count);
        foreach (var s in servers)
        {
            var node = (YamlMappingNode)services[s];
            Assert.Equal("postgres", Env(node, "Storage__Provider"));
            Assert.Contains("Host=postgres", Env(node, "Storage__ConnectionString"));
            Assert.Contains("postgres", node["depends_on"].ToString());
            // one Orleans cluster: fixed silo/gateway ports, exposed to the other node, which reaches this one by service name
            Assert.Equal(s, Env(node, "Cluster__AdvertisedHost"));
            var exposed = ((YamlSequenceNode)node["expose"]).Children.Select(c => c.ToString()).ToList();
            Assert.Contains(Env(node, "Cluster__SiloPort"), exposed);
            Assert.Contains(Env(node, "Cluster__GatewayPort"), exposed);
            var health = string.Join(' ', ((YamlSequenceNode)node["healthcheck"]["test"]).Children.Select(c => c.ToString()));
            Assert.Contains("/health", health);
        }
        var worker = (YamlMappingNode)services["gpu-worker"];
        var device = (YamlMappingNode)((YamlSequenceNode)worker["deploy"]["resources"]["reservations"]["devices"]).Children.Single();
        Assert.Equal("nvidia", device["driver"].ToString());
        Assert.Equal(["gpu"], ((YamlSequenceNode)device["capabilities"]).Children.Select(c => c.ToString()));
        var command = ((YamlSequenceNode)worker["command"]).Children.Select(c => c.ToString()).ToList();
        Assert.Equal("worker", command[0]);
        Assert.Equal("gpu", command[command.IndexOf("--queues") + 1]);
        Assert.Equal("cuda", command[command.IndexOf("--device") + 1]);
        Assert.Equal("postgres", Env(worker, "Storage__Provider"));
        Assert.Equal("gpu", worker["build"]["target"].ToString());
        foreach (var s in servers) Assert.Equal("cpu", services[s]["build"]["target"].ToString());
    }

    [Fact]
    public void The_gpu_target_carries_the_gpu_package_on_cuda_13_and_the_default_target_the_cpu_one()
    {
        var stages = new Dictionary<string, List<string>>();
        var args = new Dictionary<string, string>();
        List<string>? current = null;
        string? last = null;
        foreach (var line in File.ReadLines(RepoPaths.InRepo("Dockerfile")).Select(l => l.Trim()))
        {
            if (line.StartsWith("ARG ") && current == null && line.Contains('='))
                args[line[4..line.IndexOf('=')]] = line[(line.IndexOf('=') + 1)..];
            if (!line.StartsWith("FROM ")) { current?.Add(line); continue; }
            var parts = line.Split(' ');
            last = parts[^1];
            stages[last] = current = [line];
        }
        Assert.Equal("cpu", last); // `docker build .` without a target gives the CPU image
        var gpuBase = stages["gpu"][0].Split(' ')[1];
        if (gpuBase.StartsWith("${")) gpuBase = args[gpuBase[2..^1]];
        Assert.Matches(@"^nvidia/cuda:13\.\d+\.\d+-cudnn-runtime-", gpuBase); // CUDA 13 + cuDNN 9 (the 13.x images carry cuDNN 9)
        Assert.Contains("COPY --from=build-gpu /app .", stages["gpu"]);
        Assert.Contains(stages["build-gpu"], l => l.StartsWith("RUN dotnet publish") && l.Contains("-p:AyaQCGpu=true"));
        Assert.Contains("COPY --from=build /app .", stages["cpu"]);
        Assert.Contains(stages["build"], l => l.StartsWith("RUN dotnet publish") && !l.Contains("AyaQCGpu"));
        Assert.DoesNotContain(File.ReadAllText(RepoPaths.InRepo("Dockerfile")), "npm");
    }
}
