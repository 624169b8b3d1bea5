using System.Text.RegularExpressions;

namespace AyaQC.Core.Metrics;

/// <summary>
/// tercom's tokenisation as sacreBLEU applies it before TER: rstrip, lower-case (Python semantics) unless
/// case-sensitive, optional <c>-N</c> normalisation (with optional Asian splitting), optional punctuation
/// removal, then split on Python whitespace. Reuses its buffers; one instance per thread.
/// </summary>
internal sealed class TerTokenizer(TerOptions options)
{
    readonly CharBuffer _text = new();
    readonly CharBuffer _scratch = new();

    public TerOptions Options { get; } = options;

    /// <summary>Tokenises <paramref name="sentence"/> and appends the token ids to <paramref name="ids"/>.</summary>
    public void Tokenize(ReadOnlySpan<char> sentence, TokenInterner interner, IntList ids)
    {
        Normalize(sentence);
        interner.AppendTokens(_text.Span, add: true, ids);
    }

    /// <summary>The tokenised sentence, tokens joined by single spaces (for display and tests).</summary>
    public string TokenizeToString(string sentence)
    {
        Normalize(sentence);
        return PythonText.CollapseWhiteSpace(_text.ToString());
    }

    void Normalize(ReadOnlySpan<char> sentence)
    {
        _text.Clear();
        sentence = sentence[..PythonText.RStripLength(sentence)];
        if (sentence.IsEmpty) return;
        if (Options.CaseSensitive) _text.Append(sentence);
        else PythonText.AppendLower(sentence, _text);

        if (Options.Normalized)
        {
            WesternPunctuation.ReplaceAll(_text, _scratch, "\n-", "");
            WesternPunctuation.ReplaceAll(_text, _scratch, "\n", " ");
            WesternPunctuation.ReplaceAll(_text, _scratch, "&quot;", "\"");
            WesternPunctuation.ReplaceAll(_text, _scratch, "&amp;", "&");
            WesternPunctuation.ReplaceAll(_text, _scratch, "&lt;", "<");
            WesternPunctuation.ReplaceAll(_text, _scratch, "&gt;", ">");
            WesternPunctuation.Pad(_text, _scratch);
            WesternPunctuation.Split(_text, _scratch, possessives: true);
            if (Options.AsianSupport) ApplyRegexes(AsianSplitting);
        }
        if (Options.NoPunct)
        {
            RemoveChars(static c => c is '.' or ',' or '?' or ':' or ';' or '!' or '"' or '(' or ')');
            if (Options.AsianSupport) RemoveChars(IsAsianPunctuation);
        }
    }

    void RemoveChars(Func<char, bool> remove)
    {
        var s = _text.Span;
        var n = 0;
        foreach (var c in s)
            if (!remove(c)) s[n++] = c;
        _text.Length = n;
    }

    // Asian support is rare and not on the hot path: the same substitutions as sacreBLEU's tercom port,
    // including its quirks (the range U+3200–U+3F22, and "^[...]" where "[^...]" was meant for kana).
    static readonly (Regex Pattern, string Replacement)[] AsianSplitting =
    [
        (new Regex("([\u4e00-\u9fff\u3400-\u4dbf])", RegexOptions.CultureInvariant), " $1 "),
        (new Regex("([\u31c0-\u31ef\u2e80-\u2eff])", RegexOptions.CultureInvariant), " $1 "),
        (new Regex("([\u3300-\u33ff\uf900-\ufaff\ufe30-\ufe4f])", RegexOptions.CultureInvariant), " $1 "),
        (new Regex("([\u3200-\u3f22])", RegexOptions.CultureInvariant), " $1 "),
        (new Regex("(^|^[\u3040-\u309f])([\u3040-\u309f]+)(?=$|^[\u3040-\u309f])", RegexOptions.CultureInvariant), "$1 $2 "),
        (new Regex("(^|^[\u30a0-\u30ff])([\u30a0-\u30ff]+)(?=$|^[\u30a0-\u30ff])", RegexOptions.CultureInvariant), "$1 $2 "),
        (new Regex("(^|^[\u31f0-\u31ff])([\u31f0-\u31ff]+)(?=$|^[\u31f0-\u31ff])", RegexOptions.CultureInvariant), "$1 $2 "),
        (new Regex("([\u3001\u3002\u3008-\u3011\u3014-\u301f\uff61-\uff65\u30fb])", RegexOptions.CultureInvariant), " $1 "),
        (new Regex("([\uff0e\uff0c\uff1f\uff1a\uff1b\uff01\uff02\uff08\uff09])", RegexOptions.CultureInvariant), " $1 "),
    ];

    static bool IsAsianPunctuation(char c) =>
        c is '\u3001' or '\u3002' or (>= '\u3008' and <= '\u3011') or (>= '\u3014' and <= '\u301f')
            or (>= '\uff61' and <= '\uff65') or '\u30fb'
            or '\uff0e' or '\uff0c' or '\uff1f' or '\uff1a' or '\uff1b' or '\uff01' or '\uff02' or '\uff08' or '\uff09';

    void ApplyRegexes((Regex Pattern, string Replacement)[] steps)
    {
        var s = _text.ToString();
        foreach (var (pattern, replacement) in steps) s = pattern.Replace(s, replacement);
        _text.Clear();
        _text.Append(s);
    }
}

/// <summary>A growable int list reused between sentences.</summary>
internal sealed class IntList
{
    public int[] Items = new int[64];
    public int Count;

    public Span<int> Span => Items.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Add(int value)
    {
        if (Count == Items.Length) Array.Resize(ref Items, Count * 2);
        Items[Count++] = value;
    }
}
