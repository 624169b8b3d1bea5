using AyaQC.Core.Metrics;

namespace AyaQC.Core.Tests.Metrics;

/// <summary>Python str semantics where .NET differs (shared/research/mt-metrics.md §3).</summary>
public class PythonTextTests
{
    [Fact]
    public void Whitespace_set_is_pythons_29_code_points()
    {
        int[] python = [9, 10, 11, 12, 13, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
            0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
            0x2028, 0x2029, 0x202F, 0x205F, 0x3000];
        var ours = Enumerable.Range(0, 0x10000).Where(c => PythonText.IsWhiteSpace((char)c)).ToArray();
        Assert.Equal(python, ours);
        Assert.False(PythonText.IsWhiteSpace('\u200B'));
        Assert.False(char.IsWhiteSpace('\x1C')); // the reason this class exists
    }

    [Theory]
    [InlineData("İstanbul", "i\u0307stanbul")]
    [InlineData("ΟΔΟΣ", "οδος")]           // final sigma at the end
    [InlineData("ΟΔΟΣ.", "οδος.")]          // '.' is case-ignorable: still final
    [InlineData("ΑΣ ΑΣ", "ας ας")]
    [InlineData("ΑΣ.Α", "ασ.α")]            // a cased letter follows: not final
    [InlineData("Σ", "σ")]                  // nothing cased before: not final
    [InlineData("1Σ", "1σ")]
    [InlineData("ʰΣ", "ʰσ")]                // modifier letters are case-ignorable
    [InlineData("ᾼΣ", "ᾳς")]
    [InlineData("𝐀BC 𐐀", "𝐀bc 𐐨")]          // astral: Deseret has case, mathematical bold does not
    [InlineData("HABARI ZA ASUBUHI", "habari za asubuhi")]
    public void Lower_matches_python(string input, string expected)
    {
        Assert.Equal(expected, PythonText.Lower(input));
    }

    [Fact]
    public void Collapse_whitespace_splits_on_python_whitespace()
    {
        Assert.Equal("a b c", PythonText.CollapseWhiteSpace(" a\u001Cb\u3000 c\u2028"));
        Assert.Equal("a\u200Bb", PythonText.CollapseWhiteSpace("a\u200Bb "));
    }
}
