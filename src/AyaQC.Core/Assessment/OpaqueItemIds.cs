using System.Security.Cryptography;
using System.Text;

namespace AyaQC.Core.Assessment;

/// <summary>
/// Item ids an assessor sees: rows and control items are named in one keyed space (HMAC-SHA256 of the kind and
/// the id under the project's secret key, 20 base32 characters), so neither the id's shape nor its order tells a
/// control item from a real row.
/// </summary>
public sealed class OpaqueItemIds(byte[] key)
{
    const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public string Row(string rowId) => Of("row\0" + rowId);
    public string Control(string goldItemId) => Of("control\0" + goldItemId);

    string Of(string text)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text), mac);
        Span<char> id = stackalloc char[20];
        for (var i = 0; i < id.Length; i++)
        {
            // 5 bits per character from the MAC's bit stream.
            var bit = i * 5;
            var word = (mac[bit / 8] << 8) | mac[bit / 8 + 1];
            id[i] = Alphabet[(word >> (11 - bit % 8)) & 31];
        }
        return new string(id);
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);
}
