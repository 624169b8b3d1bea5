namespace AyaQC.Core.Metrics;

/// <summary>A growable char array reused between calls, so text passes do not allocate strings.</summary>
internal sealed class CharBuffer(int capacity = 256)
{
    public char[] Chars = new char[Math.Max(16, capacity)];
    public int Length;

    public Span<char> Span => Chars.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void EnsureFree(int count)
    {
        if (Length + count <= Chars.Length) return;
        Array.Resize(ref Chars, Math.Max(Chars.Length * 2, Length + count));
    }

    public void AppendUnchecked(char c) => Chars[Length++] = c;

    public void Append(char c)
    {
        if (Length == Chars.Length) EnsureFree(1);
        Chars[Length++] = c;
    }

    public void Append(ReadOnlySpan<char> s)
    {
        EnsureFree(s.Length);
        s.CopyTo(Chars.AsSpan(Length));
        Length += s.Length;
    }

    /// <summary>Swaps contents with another buffer (a text pass writes into the other buffer, then swaps).</summary>
    public void SwapWith(CharBuffer other)
    {
        (Chars, other.Chars) = (other.Chars, Chars);
        (Length, other.Length) = (other.Length, Length);
    }

    public override string ToString() => new(Chars, 0, Length);
}
