using System.Globalization;
using System.Text;

namespace AyaQC.Core.Metrics;

/// <summary>
/// The Python 3 <c>str</c> semantics sacreBLEU relies on, where .NET differs: the whitespace set of
/// <c>str.split()</c> (it includes U+001C–U+001F) and <c>str.lower()</c> (full case mapping: U+0130 becomes
/// "i̇", and a capital sigma at the end of a word becomes ς). Culture-independent.
/// </summary>
public static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c> for one UTF-16 unit; every Python whitespace code point is in the BMP.</summary>
    public static bool IsWhiteSpace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\x1C' and <= ' ' => true,
        '\x85' or '\xA0' or '\u1680' => true,
        >= '\u2000' and <= '\u200A' => true,
        '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        _ => false,
    };

    /// <summary>Length of <paramref name="s"/> after Python's <c>rstrip()</c>.</summary>
    public static int RStripLength(ReadOnlySpan<char> s)
    {
        var n = s.Length;
        while (n > 0 && IsWhiteSpace(s[n - 1])) n--;
        return n;
    }

    /// <summary>Python's <c>str.lower()</c> as a new string.</summary>
    public static string Lower(string s)
    {
        var buffer = new CharBuffer(s.Length + 8);
        AppendLower(s, buffer);
        return buffer.ToString();
    }

    /// <summary>Python's <c>' '.join(s.split())</c>.</summary>
    public static string CollapseWhiteSpace(string s)
    {
        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsWhiteSpace(s[i])) i++;
            var start = i;
            while (i < s.Length && !IsWhiteSpace(s[i])) i++;
            if (i > start)
            {
                if (sb.Length > 0) sb.Append(' ');
                sb.Append(s, start, i - start);
            }
        }
        return sb.ToString();
    }

    /// <summary>Appends Python's <c>s.lower()</c> to <paramref name="dest"/>.</summary>
    internal static void AppendLower(ReadOnlySpan<char> s, CharBuffer dest)
    {
        dest.EnsureFree(s.Length + 8);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c < 0x80)
            {
                dest.AppendUnchecked(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var lower = Rune.ToLowerInvariant(new Rune(c, s[i + 1]));
                dest.EnsureFree(2 + s.Length - i);
                dest.Length += lower.EncodeToUtf16(dest.Chars.AsSpan(dest.Length));
                i++;
            }
            else if (c == '\u0130')
            {
                // SpecialCasing.txt: İ lowers to i + COMBINING DOT ABOVE (one char becomes two).
                dest.EnsureFree(2 + s.Length - i);
                dest.AppendUnchecked('i');
                dest.AppendUnchecked('\u0307');
            }
            else if (c == '\u03A3')
            {
                dest.AppendUnchecked(IsFinalSigma(s, i) ? '\u03C2' : '\u03C3');
            }
            else
            {
                dest.AppendUnchecked(char.ToLowerInvariant(c));
            }
        }
    }

    /// <summary>
    /// Unicode's Final_Sigma context, as CPython applies it: a cased letter before (skipping case-ignorable
    /// characters) and no cased letter after (again skipping case-ignorable ones).
    /// </summary>
    static bool IsFinalSigma(ReadOnlySpan<char> s, int index)
    {
        var j = index;
        var before = -1;
        while (j > 0)
        {
            var cp = CodePointBefore(s, ref j);
            if (!IsCaseIgnorable(cp)) { before = cp; break; }
        }
        if (before < 0 || !IsCased(before)) return false;
        j = index + 1;
        while (j < s.Length)
        {
            var cp = CodePointAt(s, ref j);
            if (!IsCaseIgnorable(cp)) return !IsCased(cp);
        }
        return true;
    }

    static int CodePointBefore(ReadOnlySpan<char> s, ref int j)
    {
        var c = s[--j];
        if (char.IsLowSurrogate(c) && j > 0 && char.IsHighSurrogate(s[j - 1]))
            return char.ConvertToUtf32(s[--j], c);
        return c;
    }

    static int CodePointAt(ReadOnlySpan<char> s, ref int j)
    {
        var c = s[j++];
        if (char.IsHighSurrogate(c) && j < s.Length && char.IsLowSurrogate(s[j]))
            return char.ConvertToUtf32(c, s[j++]);
        return c;
    }

    /// <summary>Unicode "Cased": letters with case, plus anything with a case mapping (circled letters, Roman numerals).</summary>
    static bool IsCased(int cp)
    {
        if (!Rune.IsValid(cp)) return false;
        var rune = new Rune(cp);
        var cat = Rune.GetUnicodeCategory(rune);
        if (cat is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter)
            return true;
        if (cp is 0xAA or 0xBA || cp is >= 0x2B0 and <= 0x2B8 || cp is >= 0x2C0 and <= 0x2C1 || cp is >= 0x2E0 and <= 0x2E4)
            return true; // Other_Lowercase without a case mapping
        return Rune.ToLowerInvariant(rune) != rune || Rune.ToUpperInvariant(rune) != rune;
    }

    /// <summary>Unicode "Case_Ignorable": marks, format characters, modifiers and the word-internal punctuation of UAX #29.</summary>
    static bool IsCaseIgnorable(int cp)
    {
        switch (cp)
        {
            case 0x27: case 0x2E: case 0x3A: case 0x5E: case 0x60: case 0xA8: case 0xAD: case 0xAF:
            case 0xB4: case 0xB7: case 0xB8: case 0x387: case 0x55F: case 0x5F4: case 0x2018: case 0x2019:
            case 0x2024: case 0x2027: case 0xFE13: case 0xFE52: case 0xFE55: case 0xFF07: case 0xFF0E: case 0xFF1A:
                return true;
        }
        if (!Rune.IsValid(cp)) return false;
        return Rune.GetUnicodeCategory(new Rune(cp)) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
    }
}
