using Google.Protobuf;

namespace AyaQC.Translation.Decoding;

/// <summary>Tiny ONNX graphs, built in memory, that do the decoder's per-step host work on the decoder's own device:
/// they reduce a step's logits where they were computed, so only a few ids (and scores) per row leave the device
/// instead of rows × 256k floats (greedy: <c>ArgMax(logits + bias)</c>; beam: <c>TopK(LogSoftmax(logits + bias), k)</c>;
/// <c>bias</c> is 0, or −∞ at EOS while EOS is barred), and they reorder or repeat batch rows of KV tensors for beam
/// search (<c>Gather(axis 0)</c>) without copying the cache to the host. Written with onnx.proto's field numbers
/// (opset 13).</summary>
internal static class DeviceKernelGraphs
{
    public const int Float = 1, Int64 = 7, Float16 = 10;

    static ByteString[] LogitInputs(int type) =>
        [ValueInfo("logits", type, "batch_size", "decoder_sequence_length", "vocab"), ValueInfo("bias", Float, "vocab")];

    /// <summary>The logits as float: fp16 exports' logits are cast first (the bias and the scores stay float).</summary>
    static ByteString[] AddBias(int type) => type == Float
        ? [Node("Add", ["logits", "bias"], ["biased"])]
        : [Node("Cast", ["logits"], ["logits_float"], ("to", Float)), Node("Add", ["logits_float", "bias"], ["biased"])];

    public static byte[] ArgMax(int logitsType = Float) => Model(
        [.. AddBias(logitsType), Node("ArgMax", ["biased"], ["ids"], ("axis", -1), ("keepdims", 0))],
        [],
        LogitInputs(logitsType),
        [Output("ids", Int64, "batch_size", "decoder_sequence_length")]);

    public static byte[] TopK(int k, int logitsType = Float) => Model(
        [
            .. AddBias(logitsType),
            Node("LogSoftmax", ["biased"], ["log_probs"], ("axis", -1)),
            Node("TopK", ["log_probs", "k"], ["scores", "ids"], ("axis", -1), ("largest", 1), ("sorted", 1)),
        ],
        [Int64Initializer("k", k)],
        LogitInputs(logitsType),
        [Output("scores", Float, "batch_size", "decoder_sequence_length", "k"), Output("ids", Int64, "batch_size", "decoder_sequence_length", "k")]);

    /// <summary>out_i = in_i[rows] along axis 0, for <paramref name="tensors"/> tensors of <paramref name="type"/>
    /// (float or float16) and rank 4 (KV) or 3 (encoder output) at once.</summary>
    public static byte[] GatherRows(int tensors, int rank, int type = Float) => Model(
        Enumerable.Range(0, tensors).Select(i => Node("Gather", [$"in_{i}", "rows"], [$"out_{i}"], ("axis", 0))).ToArray(),
        [],
        [ValueInfo("rows", Int64, "n"), .. Enumerable.Range(0, tensors).Select(i => ValueInfo($"in_{i}", type, Dims(rank, "b")))],
        Enumerable.Range(0, tensors).Select(i => Output($"out_{i}", type, Dims(rank, "n"))).ToArray());

    static string[] Dims(int rank, string first) => [first, .. Enumerable.Range(1, rank - 1).Select(d => $"d{d}")];

    static byte[] Model(ByteString[] nodes, ByteString[] initializers, ByteString[] inputs, ByteString[] outputs)
    {
        var graph = Message(g =>
        {
            foreach (var n in nodes) g.Bytes(1, n);
            g.String(2, "ayaqc_device_kernel");
            foreach (var i in initializers) g.Bytes(5, i);
            foreach (var i in inputs) g.Bytes(11, i);
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
        n.String(3, outputs[0]); // node name: unique per graph
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
