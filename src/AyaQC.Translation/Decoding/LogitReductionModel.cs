using Google.Protobuf;

namespace AyaQC.Translation.Decoding;

/// <summary>Tiny ONNX graphs, built in memory, that reduce a decoder step's logits where they were computed, so that
/// only a few ids (and scores) per row leave the device instead of rows × 256k floats:
/// greedy: <c>ArgMax(logits + bias)</c>; beam: <c>TopK(LogSoftmax(logits + bias), k)</c>. <c>bias</c> is 0, or −∞ at
/// EOS while EOS is barred (min length). Written with protobuf field numbers of onnx.proto (opset 13).</summary>
internal static class LogitReductionModel
{
    const int Float = 1, Int64 = 7;

    public static byte[] ArgMax() => Model(
        [Node("Add", ["logits", "bias"], ["biased"]), Node("ArgMax", ["biased"], ["ids"], ("axis", -1), ("keepdims", 0))],
        [],
        [Output("ids", Int64, "batch_size", "decoder_sequence_length")]);

    public static byte[] TopK(int k) => Model(
        [
            Node("Add", ["logits", "bias"], ["biased"]),
            Node("LogSoftmax", ["biased"], ["log_probs"], ("axis", -1)),
            Node("TopK", ["log_probs", "k"], ["scores", "ids"], ("axis", -1), ("largest", 1), ("sorted", 1)),
        ],
        [Int64Initializer("k", k)],
        [Output("scores", Float, "batch_size", "decoder_sequence_length", "k"), Output("ids", Int64, "batch_size", "decoder_sequence_length", "k")]);

    static byte[] Model(ByteString[] nodes, ByteString[] initializers, ByteString[] outputs)
    {
        var graph = Message(g =>
        {
            foreach (var n in nodes) g.Bytes(1, n);
            g.String(2, "ayaqc_logit_reduction");
            foreach (var i in initializers) g.Bytes(5, i);
            g.Bytes(11, ValueInfo("logits", Float, "batch_size", "decoder_sequence_length", "vocab"));
            g.Bytes(11, ValueInfo("bias", Float, "vocab"));
            foreach (var o in outputs) g.Bytes(12, o);
        });
        return Message(m =>
        {
            m.Varint(1, 7); // ir_version
            m.String(2, "ayaqc");
            m.Bytes(7, graph);
            m.Bytes(8, Message(o => { o.String(1, ""); o.Varint(2, 13); })); // opset_import: default domain, 13
        }).ToByteArray();
    }

    static ByteString Node(string op, string[] inputs, string[] outputs, params (string Name, long Value)[] attributes) => Message(n =>
    {
        foreach (var i in inputs) n.String(1, i);
        foreach (var o in outputs) n.String(2, o);
        n.String(3, op);
        n.String(4, op);
        foreach (var (name, value) in attributes)
            n.Bytes(5, Message(a => { a.String(1, name); a.Varint(3, value); a.Varint(20, 2); })); // type INT
    });

    static ByteString Int64Initializer(string name, long value) => Message(t =>
    {
        t.Varint(1, 1);     // dims: [1]
        t.Varint(2, Int64); // data_type
        t.Varint(7, value); // int64_data
        t.String(8, name);
    });

    static ByteString Output(string name, int type, params string[] dims) => ValueInfo(name, type, dims);

    static ByteString ValueInfo(string name, int type, params string[] dims) => Message(v =>
    {
        v.String(1, name);
        v.Bytes(2, Message(t => t.Bytes(1, Message(tensor => // TypeProto.tensor_type
        {
            tensor.Varint(1, type);
            tensor.Bytes(2, Message(shape => { foreach (var d in dims) shape.Bytes(1, Message(dim => dim.String(2, d))); }));
        }))));
    });

    sealed class Writer(CodedOutputStream output)
    {
        public void Varint(int field, long value) { output.WriteTag(field, WireFormat.WireType.Varint); output.WriteInt64(value); }
        public void String(int field, string value) { output.WriteTag(field, WireFormat.WireType.LengthDelimited); output.WriteString(value); }
        public void Bytes(int field, ByteString value) { output.WriteTag(field, WireFormat.WireType.LengthDelimited); output.WriteBytes(value); }
    }

    static ByteString Message(Action<Writer> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(new Writer(output));
        output.Flush();
        return ByteString.CopyFrom(stream.ToArray());
    }
}
