namespace AyaQC.Core.Metrics;

/// <summary>
/// The Western tokenisation shared by mteval-v13a (BLEU's <c>13a</c>) and tercom's <c>-N</c> normalisation:
/// pad ASCII punctuation with spaces, split periods and commas off words but not out of numbers, and split a
/// dash after a digit. Hand-written passes with the semantics of the regex substitutions sacreBLEU applies
/// one after another (leftmost, non-overlapping), so no regex or string is allocated per sentence.
/// </summary>
internal static class WesternPunctuation
{
    /// <summary>Replaces every occurrence of <paramref name="from"/> (leftmost first, non-overlapping).</summary>
    public static void ReplaceAll(CharBuffer text, CharBuffer scratch, string from, string to)
    {
        if (text.Span.IndexOf(from.AsSpan(), StringComparison.Ordinal) < 0) return;
        scratch.Clear();
        var rest = (ReadOnlySpan<char>)text.Span;
        int at;
        while ((at = rest.IndexOf(from.AsSpan(), StringComparison.Ordinal)) >= 0)
        {
            scratch.Append(rest[..at]);
            scratch.Append(to);
            rest = rest[(at + from.Length)..];
        }
        scratch.Append(rest);
        text.SwapWith(scratch);
    }

    /// <summary>Surrounds <paramref name="text"/> with one space on each side.</summary>
    public static void Pad(CharBuffer text, CharBuffer scratch)
    {
        scratch.Clear();
        scratch.EnsureFree(text.Length + 2);
        scratch.AppendUnchecked(' ');
        scratch.Append(text.Span);
        scratch.Append(' ');
        text.SwapWith(scratch);
    }

    /// <summary>
    /// Applies the punctuation passes to already padded text. <paramref name="possessives"/> adds tercom's
    /// <c>'s </c> → <c> 's </c> step between the punctuation and the period/comma passes.
    /// </summary>
    public static void Split(CharBuffer text, CharBuffer scratch, bool possessives)
    {
        PadPunctuation(text, scratch);
        if (possessives) ReplaceAll(text, scratch, "'s ", " 's ");
        SplitPeriodCommaAfterNonDigit(text, scratch);
        SplitPeriodCommaBeforeNonDigit(text, scratch);
        SplitDashAfterDigit(text, scratch);
    }

    /// <summary>The class <c>[{-~[-` -&amp;(-+:-@/]</c>: ASCII punctuation and symbols except ' , - . and the space itself is included.</summary>
    static bool IsPaddedPunctuation(char c) =>
        c is (>= '{' and <= '~') or (>= '[' and <= '`') or (>= ' ' and <= '&') or (>= '(' and <= '+') or (>= ':' and <= '@') or '/';

    static bool IsDigit(char c) => c is >= '0' and <= '9';

    // ([{-~[-` -&(-+:-@/]) -> " \1 "
    static void PadPunctuation(CharBuffer text, CharBuffer scratch)
    {
        var s = text.Span;
        scratch.Clear();
        scratch.EnsureFree(s.Length * 3);
        foreach (var c in s)
        {
            if (IsPaddedPunctuation(c))
            {
                scratch.AppendUnchecked(' ');
                scratch.AppendUnchecked(c);
                scratch.AppendUnchecked(' ');
            }
            else scratch.AppendUnchecked(c);
        }
        text.SwapWith(scratch);
    }

    // ([^0-9])([\.,]) -> "\1 \2 "
    static void SplitPeriodCommaAfterNonDigit(CharBuffer text, CharBuffer scratch)
    {
        var s = text.Span;
        scratch.Clear();
        scratch.EnsureFree(s.Length * 2);
        var i = 0;
        while (i < s.Length)
        {
            if (i + 1 < s.Length && !IsDigit(s[i]) && s[i + 1] is '.' or ',')
            {
                scratch.AppendUnchecked(s[i]);
                scratch.AppendUnchecked(' ');
                scratch.AppendUnchecked(s[i + 1]);
                scratch.AppendUnchecked(' ');
                i += 2;
            }
            else scratch.AppendUnchecked(s[i++]);
        }
        text.SwapWith(scratch);
    }

    // ([\.,])([^0-9]) -> " \1 \2"
    static void SplitPeriodCommaBeforeNonDigit(CharBuffer text, CharBuffer scratch)
    {
        var s = text.Span;
        scratch.Clear();
        scratch.EnsureFree(s.Length * 2);
        var i = 0;
        while (i < s.Length)
        {
            if (i + 1 < s.Length && s[i] is '.' or ',' && !IsDigit(s[i + 1]))
            {
                scratch.AppendUnchecked(' ');
                scratch.AppendUnchecked(s[i]);
                scratch.AppendUnchecked(' ');
                scratch.AppendUnchecked(s[i + 1]);
                i += 2;
            }
            else scratch.AppendUnchecked(s[i++]);
        }
        text.SwapWith(scratch);
    }

    // ([0-9])(-) -> "\1 \2 "
    static void SplitDashAfterDigit(CharBuffer text, CharBuffer scratch)
    {
        var s = text.Span;
        if (s.IndexOf('-') < 0) return;
        scratch.Clear();
        scratch.EnsureFree(s.Length * 2);
        var i = 0;
        while (i < s.Length)
        {
            if (i + 1 < s.Length && IsDigit(s[i]) && s[i + 1] == '-')
            {
                scratch.AppendUnchecked(s[i]);
                scratch.AppendUnchecked(' ');
                scratch.AppendUnchecked('-');
                scratch.AppendUnchecked(' ');
                i += 2;
            }
            else scratch.AppendUnchecked(s[i++]);
        }
        text.SwapWith(scratch);
    }
}
