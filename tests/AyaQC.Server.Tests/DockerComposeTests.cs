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
        }
        var worker = (YamlMappingNode)services["gpu-worker"];
        Assert.Contains("nvidia", worker["deploy"].ToString());
        var command = ((YamlSequenceNode)worker["command"]).Children.Select(c => c.ToString()).ToList();
        Assert.Equal("backtranslate", command[0]);
        Assert.Equal("cuda", command[command.IndexOf("--device") + 1]);
    }
}
