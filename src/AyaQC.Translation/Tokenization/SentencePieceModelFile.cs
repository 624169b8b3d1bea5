using Google.Protobuf;

namespace AyaQC.Translation.Tokenization;

public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }

public enum SentencePieceModelType { Unigram = 1, Bpe = 2, Word = 3, Char = 4 }

public sealed record SentencePiece(string Piece, float Score, PieceType Type);

/// <summary>The parts of a SentencePiece ModelProto (sentencepiece_model.proto) that encoding and decoding need, read
/// field by field with Google.Protobuf's CodedInputStream: pieces (1), trainer_spec (2), normalizer_spec (3).</summary>
public sealed class SentencePieceModelFile
{
    public List<SentencePiece> Pieces { get; } = [];
    public SentencePieceModelType ModelType { get; private set; } = SentencePieceModelType.Unigram;
    public bool ByteFallback { get; private set; }
    public bool TreatWhitespaceAsSuffix { get; private set; }
    public string UnknownSurface { get; private set; } = " \u2047 ";
    public string NormalizerName { get; private set; } = "";
    public byte[] PrecompiledCharsMap { get; private set; } = [];
    public bool AddDummyPrefix { get; private set; } = true;
    public bool RemoveExtraWhitespaces { get; private set; } = true;
    public bool EscapeWhitespaces { get; private set; } = true;

    public static SentencePieceModelFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model not found: {path}", path);
        try { return Parse(File.ReadAllBytes(path)); }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path} is not a SentencePiece model (protobuf): {e.Message}", e);
        }
    }

    public static SentencePieceModelFile Parse(byte[] bytes)
    {
        var model = new SentencePieceModelFile();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: model.Pieces.Add(ReadPiece(input.ReadBytes())); break;
                case 2: model.ReadTrainerSpec(input.ReadBytes()); break;
                case 3: model.ReadNormalizerSpec(input.ReadBytes()); break;
                default: input.SkipLastField(); break;
            }
        }
        if (model.Pieces.Count == 0) throw new InvalidDataException("SentencePiece model has no pieces");
        return model;
    }

    static SentencePiece ReadPiece(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string piece = "";
        float score = 0;
        var type = PieceType.Normal;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: piece = input.ReadString(); break;
                case 2: score = input.ReadFloat(); break;
                case 3: type = (PieceType)input.ReadEnum(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new SentencePiece(piece, score, type);
    }

    void ReadTrainerSpec(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 3: ModelType = (SentencePieceModelType)input.ReadEnum(); break;
                case 24: TreatWhitespaceAsSuffix = input.ReadBool(); break;
                case 35: ByteFallback = input.ReadBool(); break;
                case 44: UnknownSurface = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
    }

    void ReadNormalizerSpec(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: NormalizerName = input.ReadString(); break;
                case 2: PrecompiledCharsMap = input.ReadBytes().ToByteArray(); break;
                case 3: AddDummyPrefix = input.ReadBool(); break;
                case 4: RemoveExtraWhitespaces = input.ReadBool(); break;
                case 5: EscapeWhitespaces = input.ReadBool(); break;
                default: input.SkipLastField(); break;
            }
        }
    }
}
