using System.CommandLine;
using AyaQC.Cli.Qualification;
using AyaQC.Tests.Shared;
using FsCheck.Xunit;

namespace AyaQC.Cli.Tests.Qualification;

public class SimulateTests
{
    static (string Name, byte[] Jsonl) ShippedSet() => GoldSetSource.Load(RepoPaths.InRepo("qualification-sets", "en-sw"));

    [Fact]
    public async Task A_simulated_crowd_fails_the_spammers_and_passes_the_skilled()
    {
        var (name, jsonl) = ShippedSet();
        var outcome = await SimulateCommand.RunInProcessAsync(name, jsonl,
            new SimulatedRound.Settings(Assessors: 80, ItemsPerAssessor: 40, Seed: SimulateCommand.DefaultSeed), CancellationToken.None);

        Assert.Equal(0, outcome.Failures);
        Assert.Equal(80, outcome.Results.Assessors.Count);
        string DecisionsOf(AssessorProfile p) => string.Join(",", outcome.Results.Assessors
            .Where(a => outcome.ProfileOf[a.AssessorId] == p).Select(a => a.Decision).Distinct().Order());
        Assert.Equal("pass", DecisionsOf(AssessorProfile.Skilled));
        Assert.Equal("fail", DecisionsOf(AssessorProfile.Spammer));
        Assert.Equal("fail", DecisionsOf(AssessorProfile.BiasedGood));
        Assert.True(outcome.Results.Summary.ItemsSaved > 0, "early stopping should save items");
        Assert.Equal(outcome.Answers, outcome.Results.Summary.Answers);
        // biased assessors miss most bad translations: low recall on bad items is the evidence
        Assert.All(outcome.Results.Assessors.Where(a => outcome.ProfileOf[a.AssessorId] == AssessorProfile.BiasedGood),
            a => Assert.True(a.BadRecall is null or < 0.5, $"{a.Name}: bad recall {a.BadRecall}"));
    }

    [Fact]
    public async Task The_simulate_command_runs_end_to_end()
    {
        var root = new RootCommand();
        var simulate = new Command("simulate");
        QualificationCommands.AddTo(root, new Command("bench"), simulate);
        root.Subcommands.Add(simulate);
        var exit = await root.Parse(["simulate", "--assessors", "12", "--items", "16", "--set", RepoPaths.InRepo("qualification-sets", "en-sw")]).InvokeAsync();
        Assert.Equal(0, exit);
    }

    [Property(MaxTest = 200)]
    public void A_mix_has_the_crowd_size_and_the_shares(byte size, byte s1, byte s2, byte s3)
    {
        var count = size % 250 + 1;
        var shares = new Dictionary<AssessorProfile, double>
        {
            [AssessorProfile.Skilled] = s1 + 1, [AssessorProfile.Average] = s2, [AssessorProfile.Spammer] = s3,
        };
        var mix = SimulatedAssessor.Mix(count, shares);
        Assert.Equal(count, mix.Count);
        var total = shares.Values.Sum();
        foreach (var (profile, share) in shares)
            Assert.InRange(mix.Count(p => p == profile), Math.Floor(share / total * count), Math.Ceiling(share / total * count));
    }

    [Fact]
    public void A_bad_mix_is_refused_naming_the_part()
    {
        var e = Assert.Throws<CommandException>(() => SimulateCommand.ParseMix("skilled=0.5,genius=0.5"));
        Assert.Contains("genius", e.Message);
        Assert.Equal(0.5, SimulateCommand.ParseMix("skilled=0.5,biased-good=0.5")![AssessorProfile.BiasedGood]);
    }
}
