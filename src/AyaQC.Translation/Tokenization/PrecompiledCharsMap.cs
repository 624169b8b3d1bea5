using System.Buffers.Binary;

namespace AyaQC.Translation.Tokenization;

/// <summary>SentencePiece's compiled normalisation rules (e.g. nmt_nfkc): a little-endian uint32 trie size, a
/// Darts-clone double-array trie over UTF-8 bytes whose values are offsets, then the NUL-terminated replacement
/// strings those offsets point into. The longest rule matching at a position wins.</summary>
public sealed class PrecompiledCharsMap
{
    readonly uint[] _units;
    readonly byte[] _replacements;

    public PrecompiledCharsMap(byte[] blob)
    {
        if (blob.Length <= 4) throw new InvalidDataException("precompiled_charsmap is too short");
        var trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieSize % 4 != 0 || 4 + trieSize > blob.Length)
            throw new InvalidDataException($"precompiled_charsmap trie size {trieSize} does not fit the {blob.Length}-byte blob");
        _units = new uint[trieSize / 4];
        for (var i = 0; i < _units.Length; i++) _units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4 + i * 4));
        _replacements = blob[(4 + (int)trieSize)..];
    }

    /// <summary>Longest rule that matches a prefix of <paramref name="utf8"/>: its length in bytes (0 if none) and
    /// its replacement bytes.</summary>
    public int LongestMatch(ReadOnlySpan<byte> utf8, out ReadOnlySpan<byte> replacement)
    {
        replacement = default;
        var best = 0;
        var bestValue = -1;
        uint node = 0;
        var unit = _units[0];
        node ^= Offset(unit);
        for (var i = 0; i < utf8.Length; i++)
        {
            node ^= utf8[i];
            if (node >= _units.Length) break;
            unit = _units[node];
            if (Label(unit) != utf8[i]) break;
            node ^= Offset(unit);
            if (HasLeaf(unit))
            {
                best = i + 1;
                bestValue = (int)(_units[node] & 0x7FFFFFFF);
            }
        }
        if (bestValue < 0) return 0;
        var end = Array.IndexOf(_replacements, (byte)0, bestValue);
        replacement = _replacements.AsSpan(bestValue, (end < 0 ? _replacements.Length : end) - bestValue);
        return best;
    }

    // Darts-clone unit layout.
    static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;
    static uint Label(uint unit) => unit & (0x80000000u | 0xFF);
    static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
