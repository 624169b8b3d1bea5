using System.Buffers;
using System.Text;

namespace AyaQC.Translation.Tokenization;

/// <summary>SentencePiece's normaliser: the model's precompiled character map (longest rule first, over UTF-8),
/// then its whitespace rules: drop leading, trailing and repeated spaces, add the dummy prefix, write spaces as ▁.</summary>
public sealed class SentencePieceNormalizer
{
    public const char SpaceSymbol = '\u2581';
    static readonly byte[] SpaceSymbolUtf8 = Encoding.UTF8.GetBytes("\u2581");
    static readonly byte[] ReplacementChar = Encoding.UTF8.GetBytes("\uFFFD");

    readonly PrecompiledCharsMap? _map;
    readonly bool _addDummyPrefix, _removeExtraWhitespaces, _escapeWhitespaces;

    public SentencePieceNormalizer(SentencePieceModelFile model)
    {
        _map = model.PrecompiledCharsMap.Length > 0 ? new PrecompiledCharsMap(model.PrecompiledCharsMap) : null;
        _addDummyPrefix = model.AddDummyPrefix;
        _removeExtraWhitespaces = model.RemoveExtraWhitespaces;
        _escapeWhitespaces = model.EscapeWhitespaces;
    }

    public string Normalize(string text)
    {
        var input = Encoding.UTF8.GetBytes(text).AsSpan();
        var output = new ArrayBufferWriter<byte>(input.Length * 3 / 2 + 4);
        if (_removeExtraWhitespaces)
        {
            while (!input.IsEmpty)
            {
                var n = NormalizePrefix(input, out var rep);
                if (!(rep.Length == 1 && rep[0] == (byte)' ')) break;
                input = input[n..];
            }
        }
        if (input.IsEmpty) return "";
        if (_addDummyPrefix) output.Write(_escapeWhitespaces ? SpaceSymbolUtf8 : " "u8);

        var previousWasSpace = _removeExtraWhitespaces;
        while (!input.IsEmpty)
        {
            var n = NormalizePrefix(input, out var piece);
            while (previousWasSpace && !piece.IsEmpty && piece[0] == (byte)' ') piece = piece[1..];
            if (!piece.IsEmpty)
            {
                var rest = piece;
                int space;
                while (_escapeWhitespaces && (space = rest.IndexOf((byte)' ')) >= 0)
                {
                    output.Write(rest[..space]);
                    output.Write(SpaceSymbolUtf8);
                    rest = rest[(space + 1)..];
                }
                output.Write(rest);
                previousWasSpace = piece[^1] == (byte)' ';
            }
            input = input[n..];
            if (!_removeExtraWhitespaces) previousWasSpace = false;
        }

        var result = Encoding.UTF8.GetString(output.WrittenSpan);
        if (_removeExtraWhitespaces)
        {
            var space = _escapeWhitespaces ? SpaceSymbol : ' ';
            result = result.TrimEnd(space);
        }
        return result;
    }

    /// <summary>Length consumed from <paramref name="input"/> and what it normalises to: the longest charsmap rule,
    /// else one UTF-8 character copied (a malformed byte becomes U+FFFD).</summary>
    int NormalizePrefix(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
        if (_map != null)
        {
            var n = _map.LongestMatch(input, out replacement);
            if (n > 0) return n;
        }
        if (Rune.DecodeFromUtf8(input, out _, out var length) != OperationStatus.Done)
        {
            replacement = ReplacementChar;
            return 1;
        }
        replacement = input[..length];
        return length;
    }
}
