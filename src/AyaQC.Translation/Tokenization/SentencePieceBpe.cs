using System.Collections.Concurrent;
using System.Text;

namespace AyaQC.Translation.Tokenization;

/// <summary>A SentencePiece BPE model (Sennrich et al. 2016, as SentencePiece implements it): normalise, split into
/// characters, then repeatedly merge the adjacent pair whose concatenation is a piece with the highest score (ties:
/// the leftmost pair). Pieces marked unused are split back into the pieces they were merged from; anything not in the
/// vocabulary is the unknown id, and a run of unknown pieces is one unknown piece. Ids are SentencePiece's own (see <see cref="NllbTokenizer"/> for NLLB's).</summary>
public sealed class SentencePieceBpe
{
    readonly SentencePieceModelFile _model;
    readonly SentencePieceNormalizer _normalizer;
    readonly Dictionary<string, int> _pieces = new(StringComparer.Ordinal);   // normal, user-defined, unused
    readonly Dictionary<string, int> _reserved = new(StringComparer.Ordinal); // control, unknown, byte
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _pieceLookup;
    readonly string[] _userDefined;
    // Words seen before, with their pieces (before the unknown-run rule); bounded so a stream of rare words cannot grow it.
    const int WordCacheLimit = 1 << 16;
    readonly ConcurrentDictionary<string, (string Piece, int Id)[]>? _wordCache;
    readonly ConcurrentDictionary<string, (string Piece, int Id)[]>.AlternateLookup<ReadOnlySpan<char>> _wordLookup;

    public int UnknownId { get; }
    public int Count => _model.Pieces.Count;
    public SentencePieceModelFile Model => _model;

    public SentencePieceBpe(SentencePieceModelFile model, string source = "SentencePiece model")
        : this(model, source, wordAtATime: true)
    {
    }

    /// <summary><paramref name="wordAtATime"/>: false runs BPE over the whole text always (tests compare the two).</summary>
    internal SentencePieceBpe(SentencePieceModelFile model, string source, bool wordAtATime)
    {
        if (model.ModelType != SentencePieceModelType.Bpe)
            throw new InvalidDataException($"{source} is a {model.ModelType} model; AyaQC's tokenizer reads BPE models only (NLLB's sentencepiece.bpe.model)");
        if (model.ByteFallback)
            throw new InvalidDataException($"{source} uses byte fallback, which AyaQC's tokenizer does not implement");
        if (model.TreatWhitespaceAsSuffix)
            throw new InvalidDataException($"{source} treats whitespace as a suffix, which AyaQC's tokenizer does not implement");
        _model = model;
        _normalizer = new SentencePieceNormalizer(model);
        UnknownId = -1;
        for (var i = 0; i < model.Pieces.Count; i++)
        {
            var p = model.Pieces[i];
            if (p.Type is PieceType.Normal or PieceType.UserDefined or PieceType.Unused) _pieces.TryAdd(p.Piece, i);
            else _reserved.TryAdd(p.Piece, i);
            if (p.Type == PieceType.Unknown && UnknownId < 0) UnknownId = i;
        }
        if (UnknownId < 0) throw new InvalidDataException($"{source} has no unknown piece");
        _pieceLookup = _pieces.GetAlternateLookup<ReadOnlySpan<char>>();
        _userDefined = model.Pieces.Where(p => p.Type == PieceType.UserDefined).Select(p => p.Piece)
            .OrderByDescending(p => p.Length).ToArray();
        // When no piece has ▁ after its first character, no merge can cross a word start, and each word (a ▁ and what
        // follows up to the next ▁) can be encoded alone and cached; the ▁ itself must be a piece so that a word never
        // begins with an unknown piece that the unknown-run rule would join to the word before.
        var space = SentencePieceNormalizer.SpaceSymbol.ToString();
        if (wordAtATime && model.EscapeWhitespaces && _pieces.ContainsKey(space) && !_pieces.Keys.Any(p => p.Length > 1 && p.IndexOf(SentencePieceNormalizer.SpaceSymbol, 1) > 0))
        {
            _wordCache = new ConcurrentDictionary<string, (string, int)[]>(StringComparer.Ordinal);
            _wordLookup = _wordCache.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    public static SentencePieceBpe Load(string path) => new(SentencePieceModelFile.Read(path), path);

    public string Normalize(string text) => _normalizer.Normalize(text);

    public string IdToPiece(int id) => _model.Pieces[id].Piece;
    public PieceType TypeOf(int id) => _model.Pieces[id].Type;

    public int PieceToId(string piece) =>
        _reserved.TryGetValue(piece, out var r) ? r : _pieces.TryGetValue(piece, out var p) ? p : UnknownId;

    /// <summary>Pieces with their ids, as spm_encode prints them (an unknown piece keeps its surface text).</summary>
    public List<(string Piece, int Id)> Encode(string text)
    {
        var normalized = _normalizer.Normalize(text);
        var output = new List<(string, int)>();
        if (normalized.Length == 0) return output;
        if (_wordCache == null)
        {
            EncodeWord(normalized, output);
            return output;
        }
        List<(string, int)>? pieces = null;
        var start = 0;
        while (start < normalized.Length)
        {
            var end = normalized.IndexOf(SentencePieceNormalizer.SpaceSymbol, start + 1);
            if (end < 0) end = normalized.Length;
            var word = normalized.AsSpan(start, end - start);
            if (!_wordLookup.TryGetValue(word, out var cached))
            {
                pieces ??= [];
                pieces.Clear();
                var wordText = word.ToString();
                EncodeWord(wordText, pieces);
                cached = pieces.ToArray();
                if (_wordCache.Count < WordCacheLimit) _wordCache.TryAdd(wordText, cached);
            }
            foreach (var (piece, id) in cached) AddJoiningUnknowns(output, piece, id);
            start = end;
        }
        return output;
    }

    // A run of unknown pieces becomes one unknown piece (as spm_encode prints it).
    void AddJoiningUnknowns(List<(string Piece, int Id)> output, string piece, int id)
    {
        if (id == UnknownId && output.Count > 0 && output[^1].Id == UnknownId) output[^1] = (output[^1].Piece + piece, id);
        else output.Add((piece, id));
    }

    /// <summary>BPE over <paramref name="normalized"/> (a whole text, or one word of it), appending to <paramref name="output"/>.</summary>
    void EncodeWord(string normalized, List<(string Piece, int Id)> output)
    {

        var symbols = Split(normalized);
        var agenda = new PriorityQueue<(int Left, int Right, int Length), (float Score, int Left)>(PairOrder.Instance);
        var unusedSplits = new Dictionary<string, (string, string)>(StringComparer.Ordinal);

        void Consider(int left, int right)
        {
            if (left < 0 || right < 0 || symbols[left].Freeze || symbols[right].Freeze) return;
            var span = normalized.AsSpan(symbols[left].Start, symbols[left].Length + symbols[right].Length);
            if (!_pieceLookup.TryGetValue(span, out var id)) return;
            agenda.Enqueue((left, right, span.Length), (_model.Pieces[id].Score, left));
            if (_model.Pieces[id].Type == PieceType.Unused)
                unusedSplits[span.ToString()] = (Text(left), Text(right));
        }

        string Text(int i) => normalized.Substring(symbols[i].Start, symbols[i].Length);

        for (var i = 1; i < symbols.Length; i++) Consider(i - 1, i);
        while (agenda.TryDequeue(out var pair, out _))
        {
            ref var l = ref symbols[pair.Left];
            ref var r = ref symbols[pair.Right];
            // Stale: one side was merged away since this pair was queued.
            if (l.Length == 0 || r.Length == 0 || l.Length + r.Length != pair.Length) continue;
            l.Length += r.Length;
            l.Next = r.Next;
            if (r.Next >= 0) symbols[r.Next].Prev = pair.Left;
            r.Length = 0;
            Consider(l.Prev, pair.Left);
            Consider(pair.Left, l.Next);
        }

        void Emit(string piece)
        {
            var id = PieceToId(piece);
            if (id != UnknownId && _model.Pieces[id].Type == PieceType.Unused && unusedSplits.TryGetValue(piece, out var parts))
            {
                Emit(parts.Item1);
                Emit(parts.Item2);
                return;
            }
            AddJoiningUnknowns(output, piece, id);
        }

        for (var i = 0; i >= 0; i = symbols[i].Next) Emit(Text(i));
    }

    public int[] EncodeIds(string text) => Encode(text).Select(p => p.Id).ToArray();

    /// <summary>Text for SentencePiece ids, as spm_decode writes it: control pieces vanish, the unknown piece becomes
    /// the model's unknown surface (" ⁇ "), ▁ becomes a space and the first piece's leading ▁ is dropped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var atStart = true;
        foreach (var id in ids)
        {
            if (id < 0 || id >= Count) throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} is outside the vocabulary of {Count}");
            var piece = _model.Pieces[id];
            string surface;
            if (piece.Type == PieceType.Control) surface = "";
            else if (piece.Type == PieceType.Unknown) surface = _model.UnknownSurface;
            else
            {
                var p = atStart && piece.Piece.StartsWith(SentencePieceNormalizer.SpaceSymbol) ? piece.Piece[1..] : piece.Piece;
                surface = p.Replace(SentencePieceNormalizer.SpaceSymbol, ' ');
            }
            if (surface.Length > 0) atStart = false;
            text.Append(surface);
        }
        return text.ToString();
    }

    struct Symbol
    {
        public int Start, Length, Prev, Next;
        public bool Freeze;
    }

    /// <summary>One symbol per character; user-defined pieces stay whole and are never merged.</summary>
    Symbol[] Split(string normalized)
    {
        var list = new List<Symbol>();
        var pos = 0;
        while (pos < normalized.Length)
        {
            var length = 0;
            var freeze = false;
            foreach (var u in _userDefined)
                if (normalized.AsSpan(pos).StartsWith(u, StringComparison.Ordinal)) { length = u.Length; freeze = true; break; }
            if (length == 0) length = char.IsHighSurrogate(normalized[pos]) && pos + 1 < normalized.Length ? 2 : 1;
            list.Add(new Symbol { Start = pos, Length = length, Prev = list.Count - 1, Next = pos + length < normalized.Length ? list.Count + 1 : -1, Freeze = freeze });
            pos += length;
        }
        return list.ToArray();
    }

    /// <summary>Highest score first; on equal scores the leftmost pair.</summary>
    sealed class PairOrder : IComparer<(float Score, int Left)>
    {
        public static readonly PairOrder Instance = new();

        public int Compare((float Score, int Left) a, (float Score, int Left) b)
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : a.Left.CompareTo(b.Left);
        }
    }
}
