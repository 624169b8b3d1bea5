using AyaQC.Tests.Shared;

namespace AyaQC.Translation.Tests;

static class FixturePaths
{
    public static string Dir(params string[] parts) => RepoPaths.InRepo(["tests", "AyaQC.Translation.Tests", "Fixtures", .. parts]);
    public static string TinyModel => Dir("tiny-nllb");
    public static string SpmModel => Dir("tiny-nllb", "sentencepiece.bpe.model");

    public static string[] Lines(params string[] parts) =>
        File.ReadAllText(Dir(parts)).Split('\n') is var l && l[^1] == "" ? l[..^1] : File.ReadAllText(Dir(parts)).Split('\n');
}
