namespace AyaQC.Core.Metrics;

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
