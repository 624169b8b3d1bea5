#!/usr/bin/python3
"""Builds the translation test fixtures: a tiny SentencePiece BPE model with golden spm_encode/spm_decode output,
and a tiny random-weight NLLB-shaped encoder-decoder exported to ONNX with the Optimum names, plus the token ids
torch produces for it (greedy and beam search). The outputs are committed, so the tests need neither Python nor torch.

Needs Debian's python3-torch, python3-onnx and sentencepiece (spm_train, spm_encode, spm_decode):
    /usr/bin/python3 make_fixtures.py                 # tiny fixtures into this folder (deterministic)
    /usr/bin/python3 make_fixtures.py --size 600M --out /tmp/nllb-600M-random   # full-size, for benchmarks
    /usr/bin/python3 make_fixtures.py --size small --out /tmp/nllb-small-random  # NLLB's vocabulary, 3+3 layers
    /usr/bin/python3 make_fixtures.py --size 600M --dtype fp16 --out /tmp/nllb-600M-random-fp16  # fp16 export (GPU)
"""
import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))

# name: d_model, encoder layers, decoder layers, heads, ffn, spm vocab (None = train the tiny model)
SIZES = {
    "tiny": dict(d_model=16, enc_layers=2, dec_layers=2, heads=2, ffn=32),
    "small": dict(d_model=256, enc_layers=3, dec_layers=3, heads=4, ffn=1024),   # NLLB's vocabulary, small layers
    "600M": dict(d_model=1024, enc_layers=12, dec_layers=12, heads=16, ffn=4096),
}
# The tiny model knows three language codes, in NLLB's order; the full-size model the 202 codes of NLLB.
TINY_LANGS = ["eng_Latn", "fra_Latn", "swh_Latn"]
NLLB_SPM_SIZE = 256000
NLLB_LANG_COUNT = 202
PAD, EOS = 1, 2


# ---------------------------------------------------------------- SentencePiece fixture
def build_tokenizer_fixture(out_model):
    prefix = os.path.join(HERE, "spm", "tiny_bpe")
    os.makedirs(os.path.dirname(prefix), exist_ok=True)
    subprocess.run(["spm_train", f"--input={HERE}/corpus.txt", f"--model_prefix={prefix}", "--model_type=bpe",
                    "--vocab_size=200", "--character_coverage=1.0", "--seed_sentencepiece_size=1000",
                    "--num_threads=1", "--minloglevel=2"], check=True)
    os.remove(prefix + ".vocab")
    shutil.move(prefix + ".model", out_model)
    src = os.path.join(HERE, "spm_input.txt")
    for fmt, name in (("piece", "spm_pieces.txt"), ("id", "spm_ids.txt")):
        with open(os.path.join(HERE, "spm", name), "w") as f:
            subprocess.run(["spm_encode", f"--model={out_model}", f"--output_format={fmt}", f"--input={src}"],
                           stdout=f, check=True)
    with open(os.path.join(HERE, "spm", "spm_decoded.txt"), "w") as f:
        subprocess.run(["spm_decode", f"--model={out_model}", "--input_format=id",
                        f"--input={HERE}/spm/spm_ids.txt"], stdout=f, check=True)


# ---------------------------------------------------------------- the model (pre-norm, like NLLB)
def sinusoidal(positions, dim):
    half = dim // 2
    inv = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000.0) / (half - 1)))
    angles = positions.to(torch.float32).unsqueeze(-1) * inv
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1)


class Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h, self.hd = h, d // h
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def split(self, x):  # [B,S,d] -> [B,H,S,hd]
        return x.reshape(x.shape[0], x.shape[1], self.h, self.hd).transpose(1, 2)

    def keys_values(self, x):
        return self.split(self.k(x)), self.split(self.v(x))

    def attend(self, x, k, v, bias):
        q = self.split(self.q(x)) * (self.hd ** -0.5)
        p = torch.softmax(q @ k.transpose(-1, -2) + bias, dim=-1)
        o = (p @ v).transpose(1, 2)
        return self.o(o.reshape(o.shape[0], o.shape[1], self.h * self.hd))


def mask_bias(mask):  # int64 [B,S] -> float [B,1,1,S]
    return ((1.0 - mask.to(torch.float32)) * -1e9)[:, None, None, :]


class EncoderLayer(nn.Module):
    def __init__(self, d, h, ffn):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = Attention(d, h)
        self.fc1, self.fc2 = nn.Linear(d, ffn), nn.Linear(ffn, d)

    def forward(self, x, bias):
        y = self.ln1(x)
        k, v = self.attn.keys_values(y)
        x = x + self.attn.attend(y, k, v, bias)
        return x + self.fc2(F.relu(self.fc1(self.ln2(x))))


class DecoderLayer(nn.Module):
    def __init__(self, d, h, ffn):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.self_attn, self.cross_attn = Attention(d, h), Attention(d, h)
        self.fc1, self.fc2 = nn.Linear(d, ffn), nn.Linear(ffn, d)

    def forward(self, x, past_k, past_v, cross_k, cross_v, causal, cross_bias):
        y = self.ln1(x)
        k, v = self.self_attn.keys_values(y)
        if past_k is not None:
            k, v = torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2)
        x = x + self.self_attn.attend(y, k, v, causal)
        x = x + self.cross_attn.attend(self.ln2(x), cross_k, cross_v, cross_bias)
        return x + self.fc2(F.relu(self.fc1(self.ln3(x)))), k, v


class Seq2Seq(nn.Module):
    def __init__(self, vocab, d_model, enc_layers, dec_layers, heads, ffn):
        super().__init__()
        self.d = d_model
        self.embed = nn.Embedding(vocab, d_model)
        self.enc = nn.ModuleList(EncoderLayer(d_model, heads, ffn) for _ in range(enc_layers))
        self.dec = nn.ModuleList(DecoderLayer(d_model, heads, ffn) for _ in range(dec_layers))
        self.enc_ln, self.dec_ln = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab)

    def embed_at(self, ids, first_position):
        positions = torch.arange(ids.shape[1]) + first_position + 2  # NLLB's sinusoidal offset of 2
        return self.embed(ids) * math.sqrt(self.d) + sinusoidal(positions, self.d)

    def encode(self, input_ids, attention_mask):
        x, bias = self.embed_at(input_ids, 0), mask_bias(attention_mask)
        for layer in self.enc:
            x = layer(x, bias)
        return self.enc_ln(x)

    def decode(self, input_ids, encoder_attention_mask, past, cross):
        """past: per layer (k, v) or None; cross: per layer (k, v). Returns logits, new self KV per layer."""
        past_len = 0 if past is None else past[0][0].shape[2]
        t = input_ids.shape[1]
        q_pos = torch.arange(t)[:, None] + past_len
        k_pos = torch.arange(t + past_len)[None, :]
        causal = ((k_pos > q_pos).to(torch.float32) * -1e9)[None, None]
        x, cross_bias = self.embed_at(input_ids, past_len), mask_bias(encoder_attention_mask)
        present = []
        for i, layer in enumerate(self.dec):
            pk, pv = (None, None) if past is None else past[i]
            x, k, v = layer(x, pk, pv, cross[i][0], cross[i][1], causal, cross_bias)
            present.append((k, v))
        return self.lm_head(self.dec_ln(x)), present

    def cross_kv(self, hidden):
        return [layer.cross_attn.keys_values(hidden) for layer in self.dec]


class EncoderExport(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return self.m.encode(input_ids, attention_mask)


class DecoderExport(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states):
        cross = self.m.cross_kv(encoder_hidden_states)
        logits, present = self.m.decode(input_ids, encoder_attention_mask, None, cross)
        out = [logits]
        for (k, v), (ck, cv) in zip(present, cross):
            out += [k, v, ck, cv]
        return tuple(out)


class DecoderWithPastExport(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, input_ids, *past_flat):
        past = [(past_flat[4 * i], past_flat[4 * i + 1]) for i in range(len(self.m.dec))]
        cross = [(past_flat[4 * i + 2], past_flat[4 * i + 3]) for i in range(len(self.m.dec))]
        logits, present = self.m.decode(input_ids, encoder_attention_mask, past, cross)
        out = [logits]
        for k, v in present:
            out += [k, v]
        return tuple(out)


# ---------------------------------------------------------------- ONNX export with the Optimum names
def kv_names(prefix, layers, with_encoder=True):
    names = []
    for i in range(layers):
        names += [f"{prefix}.{i}.decoder.key", f"{prefix}.{i}.decoder.value"]
        if with_encoder:
            names += [f"{prefix}.{i}.encoder.key", f"{prefix}.{i}.encoder.value"]
    return names


def export(model, cfg, onnx_dir, large):
    os.makedirs(onnx_dir, exist_ok=True)
    L, H, hd, d = cfg["dec_layers"], cfg["heads"], cfg["d_model"] // cfg["heads"], cfg["d_model"]
    B, S, T = 2, 5, 3
    ids = torch.full((B, S), 5, dtype=torch.long)
    mask = torch.ones((B, S), dtype=torch.long)
    kw = dict(opset_version=14, do_constant_folding=True)

    torch.onnx.export(EncoderExport(model), (ids, mask), f"{onnx_dir}/encoder_model.onnx",
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "encoder_sequence_length"},
                                    "attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
                                    "last_hidden_state": {0: "batch_size", 1: "encoder_sequence_length"}}, **kw)

    hidden = torch.zeros((B, S, d))
    dec_in = torch.full((B, 1), EOS, dtype=torch.long)
    present = kv_names("present", L)
    axes = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
            "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for n in present:
        axes[n] = {0: "batch_size", 2: "past_decoder_sequence_length + 1" if ".decoder." in n
                   else "encoder_sequence_length_out"}
    torch.onnx.export(DecoderExport(model), (mask, dec_in, hidden), f"{onnx_dir}/decoder_model.onnx",
                      input_names=["encoder_attention_mask", "input_ids", "encoder_hidden_states"],
                      output_names=["logits"] + present, dynamic_axes=axes, **kw)

    past = kv_names("past_key_values", L)
    past_vals = [torch.zeros((B, H, T if ".decoder." in n else S, hd)) for n in past]
    present_dec = kv_names("present", L, with_encoder=False)
    axes = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
            "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for n in past:
        axes[n] = {0: "batch_size", 2: "past_decoder_sequence_length" if ".decoder." in n
                   else "encoder_sequence_length_out"}
    for n in present_dec:
        axes[n] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
    torch.onnx.export(DecoderWithPastExport(model), (mask, dec_in, *past_vals),
                      f"{onnx_dir}/decoder_with_past_model.onnx",
                      input_names=["encoder_attention_mask", "input_ids"] + past,
                      output_names=["logits"] + present_dec, dynamic_axes=axes, **kw)
    merge_decoders(onnx_dir, L, H, hd, large)


def merge_decoders(onnx_dir, L, H, hd, large):
    """One model with an If(use_cache_branch) node, as Optimum's merge_decoders builds it: else = no-past decoder,
    then = with-past decoder, whose missing present.*.encoder outputs become empty [0,H,1,hd] constants."""
    no_past = onnx.load(f"{onnx_dir}/decoder_model.onnx")
    with_past = onnx.load(f"{onnx_dir}/decoder_with_past_model.onnx")
    outer_inputs = {i.name: i for i in list(no_past.graph.input) + list(with_past.graph.input)}
    order = ["encoder_attention_mask", "input_ids", "encoder_hidden_states"] + kv_names("past_key_values", L)
    inputs = [outer_inputs[n] for n in order]
    inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))

    lifted, by_digest = [], {}

    def branch(model, tag, extra_outputs):
        g = model.graph
        keep = {i.name for i in g.input}
        rename = {}
        for init in g.initializer:  # lift to the outer graph, de-duplicating identical tensors
            digest = hashlib.sha256(init.SerializeToString().replace(init.name.encode(), b"")).hexdigest()
            if digest not in by_digest:
                t = onnx.TensorProto()
                t.CopyFrom(init)
                t.name = f"shared_{len(by_digest)}"
                by_digest[digest] = t.name
                lifted.append(t)
            rename[init.name] = by_digest[digest]
        nodes = []
        for n in g.node:
            n2 = onnx.NodeProto()
            n2.CopyFrom(n)
            n2.name = f"{tag}/{n.name}"
            for k, name in enumerate(n2.input):
                if name and name not in keep:
                    n2.input[k] = rename.get(name, f"{tag}/{name}")
            for k, name in enumerate(n2.output):
                rename.setdefault(name, f"{tag}/{name}")
                n2.output[k] = rename[name]
            nodes.append(n2)
        outputs = []
        for o in g.output:
            o2 = onnx.ValueInfoProto()
            o2.CopyFrom(o)
            o2.name = rename[o.name]
            outputs.append(o2)
        for name in extra_outputs:  # the with-past branch: empty cross-attention KV
            const = f"{tag}/{name}"
            nodes.append(helper.make_node("Constant", [], [const], value=helper.make_tensor(
                const + "_value", TensorProto.FLOAT, [0, H, 1, hd], [])))
            outputs.append(helper.make_tensor_value_info(const, TensorProto.FLOAT, None))
        return nodes, outputs

    names = ["logits"] + kv_names("present", L)
    else_nodes, else_out = branch(no_past, "no_past", [])
    then_nodes, then_out = branch(with_past, "with_past", [n for n in names if ".encoder." in n])
    # Order the with-past outputs like the If node's outputs.
    then_by_name = {o.name.split("/", 1)[1]: o for o in then_out}
    then_out = [then_by_name[n] for n in names]
    else_by_name = {o.name.split("/", 1)[1]: o for o in else_out}
    else_out = [else_by_name[n] for n in names]
    if_node = helper.make_node(
        "If", ["use_cache_branch"], names, name="optimum::if",
        then_branch=helper.make_graph(then_nodes, "decoder_with_past", [], then_out),
        else_branch=helper.make_graph(else_nodes, "decoder", [], else_out))
    outputs = [o for o in no_past.graph.output]
    graph = helper.make_graph([if_node], "merged_decoder", inputs, outputs, initializer=lifted)
    merged = helper.make_model(graph, opset_imports=no_past.opset_import, producer_name="ayaqc-fixtures")
    merged.ir_version = no_past.ir_version
    path = f"{onnx_dir}/decoder_model_merged.onnx"
    if large:
        onnx.save(merged, path, save_as_external_data=True, location="decoder_model_merged.onnx_data")
        onnx.checker.check_model(path)
    else:
        onnx.checker.check_model(merged)
        onnx.save(merged, path)


# ---------------------------------------------------------------- fp16 export
FP16_MAX = 65504.0


def graph_to_fp16(graph):
    """Float tensors, inputs, outputs and casts of a graph (and its If branches) become float16, the way
    onnxconverter-common converts a model: the weights are rounded, constants beyond fp16's range (attention-mask
    minima such as finfo(float32).min) are clamped to it."""
    import numpy as np

    def tensor_to_fp16(t):
        if t.data_type != TensorProto.FLOAT:
            return t
        arr = np.clip(numpy_helper.to_array(t), -FP16_MAX, FP16_MAX).astype(np.float16)
        return numpy_helper.from_array(arr, t.name)

    for i, init in enumerate(graph.initializer):
        graph.initializer[i].CopyFrom(tensor_to_fp16(init))
    for vi in list(graph.input) + list(graph.output) + list(graph.value_info):
        if vi.type.tensor_type.elem_type == TensorProto.FLOAT:
            vi.type.tensor_type.elem_type = TensorProto.FLOAT16
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.TENSOR:
                attr.t.CopyFrom(tensor_to_fp16(attr.t))
            elif attr.type == onnx.AttributeProto.GRAPH:
                graph_to_fp16(attr.g)
            elif node.op_type == "Cast" and attr.name == "to" and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16


def convert_to_fp16(onnx_dir, large):
    for name in sorted(os.listdir(onnx_dir)):
        if not name.endswith(".onnx"):
            continue
        path = os.path.join(onnx_dir, name)
        model = onnx.load(path)  # loads external data too
        graph_to_fp16(model.graph)
        for f in os.listdir(onnx_dir):  # the old external data is replaced below
            if f.startswith(name) and f != name:
                os.remove(os.path.join(onnx_dir, f))
        if large:
            onnx.save(model, path, save_as_external_data=True, location=name + "_data")
            onnx.checker.check_model(path)
        else:
            onnx.checker.check_model(model)
            onnx.save(model, path)


# ---------------------------------------------------------------- reference decoding in torch (no KV cache)
def step_logprobs(model, enc_mask, hidden, prefix):
    logits, _ = model.decode(prefix, enc_mask, None, model.cross_kv(hidden))
    return torch.log_softmax(logits[:, -1, :], dim=-1)


def greedy(model, ids, mask, forced, max_length):
    hidden = model.encode(ids, mask)
    seq = torch.full((ids.shape[0], 1), EOS, dtype=torch.long)
    done = torch.zeros(ids.shape[0], dtype=torch.bool)
    while seq.shape[1] < max_length and not done.all():
        lp = step_logprobs(model, mask, hidden, seq)
        nxt = torch.full_like(done, forced, dtype=torch.long) if seq.shape[1] == 1 else lp.argmax(-1)
        if seq.shape[1] == max_length - 1:
            nxt = torch.full_like(nxt, EOS)
        nxt = torch.where(done, torch.full_like(nxt, PAD), nxt)
        seq = torch.cat([seq, nxt[:, None]], dim=1)
        done |= nxt == EOS
    return [[t for t in row if t != PAD] for row in seq.tolist()]


def beam(model, ids, mask, forced, max_length, num_beams, length_penalty):
    """One row. The rules AyaQC's BeamSearch states: 2*num_beams candidates per step, an EOS candidate is kept only
    when ranked below num_beams, hypothesis score = sum logprob / len**length_penalty (len counts the decoder start
    token and excludes EOS), stop when num_beams hypotheses exist and the best candidate of the step, divided by
    the current length**length_penalty, cannot beat the worst of them (HF's early_stopping=False rule)."""
    hidden = model.encode(ids, mask)
    seqs = [[EOS] for _ in range(num_beams)]
    scores = torch.tensor([0.0] + [-1e9] * (num_beams - 1))
    hyps = []
    while True:
        cur_len = len(seqs[0])
        prefix = torch.tensor(seqs)
        lp = step_logprobs(model, mask.expand(num_beams, -1), hidden.expand(num_beams, -1, -1), prefix)
        if cur_len == 1:
            lp = torch.full_like(lp, -math.inf)
            lp[:, forced] = 0.0
        elif cur_len == max_length - 1:
            lp = torch.full_like(lp, -math.inf)
            lp[:, EOS] = 0.0
        total = (scores[:, None] + lp).reshape(-1)
        top_scores, top_idx = torch.topk(total, 2 * num_beams)
        new_seqs, new_scores = [], []
        for rank, (s, idx) in enumerate(zip(top_scores.tolist(), top_idx.tolist())):
            b, tok = divmod(idx, lp.shape[1])
            if tok == EOS:
                if rank < num_beams:
                    hyps.append((s / (cur_len ** length_penalty), seqs[b] + [EOS]))
            else:
                new_seqs.append(seqs[b] + [tok])
                new_scores.append(s)
            if len(new_seqs) == num_beams:
                break
        hyps.sort(key=lambda h: -h[0])
        hyps = hyps[:num_beams]
        seqs, scores = new_seqs, torch.tensor(new_scores)
        if len(hyps) == num_beams and top_scores[0].item() / (cur_len ** length_penalty) <= hyps[-1][0]:
            break
        if cur_len + 1 >= max_length:
            break
    return max(hyps, key=lambda h: h[0])[1]


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=SIZES, default="tiny")
    ap.add_argument("--out", default=os.path.join(HERE, "tiny-nllb"))
    ap.add_argument("--dtype", choices=["fp32", "fp16"], default="fp32",
                    help="fp16: the fp32 export converted to float16 (for GPU benchmarks; no reference ids)")
    args = ap.parse_args()
    if args.dtype == "fp16" and args.out == os.path.join(HERE, "tiny-nllb"):
        ap.error("--dtype fp16 needs --out: the committed tiny fixture stays fp32")
    torch.manual_seed(20261122)
    cfg = SIZES[args.size]
    os.makedirs(args.out, exist_ok=True)
    tiny = args.size == "tiny"
    if tiny:
        spm_path = os.path.join(args.out, "sentencepiece.bpe.model")
        if args.dtype == "fp16":  # the committed fixture's tokenizer; the golden files stay as they are
            shutil.copy(os.path.join(HERE, "tiny-nllb", "sentencepiece.bpe.model"), spm_path)
        else:
            build_tokenizer_fixture(spm_path)
        import sentencepiece
        sp = sentencepiece.SentencePieceProcessor(model_file=spm_path)
        spm_size, langs = sp.get_piece_size(), TINY_LANGS
    else:
        spm_size, langs = NLLB_SPM_SIZE, None
    lang_count = len(langs) if langs else NLLB_LANG_COUNT
    vocab = spm_size + 1 + lang_count + 1 + 2  # + fairseq offset, language codes, <mask>, 2 unused rows (as NLLB)
    model = Seq2Seq(vocab, **cfg).eval()
    max_length = 12 if tiny else 200
    with torch.no_grad():
        if tiny:  # sharper random weights make the output depend on the source; tilt EOS so some rows stop early
            for prm in model.parameters():
                if prm.dim() >= 2:
                    prm.mul_(4.0)
            model.lm_head.bias[EOS] += 3.0
        export(model, cfg, os.path.join(args.out, "onnx"), large=not tiny)
    if args.dtype == "fp16":
        convert_to_fp16(os.path.join(args.out, "onnx"), large=not tiny)

    config = {"model_type": "m2m_100", "vocab_size": vocab, "d_model": cfg["d_model"],
              "encoder_layers": cfg["enc_layers"], "decoder_layers": cfg["dec_layers"],
              "encoder_attention_heads": cfg["heads"], "decoder_attention_heads": cfg["heads"],
              "encoder_ffn_dim": cfg["ffn"], "decoder_ffn_dim": cfg["ffn"], "max_position_embeddings": 1024,
              "bos_token_id": 0, "pad_token_id": PAD, "eos_token_id": EOS, "decoder_start_token_id": EOS,
              "max_length": max_length, "scale_embedding": True, "activation_function": "relu"}
    gen = {"bos_token_id": 0, "pad_token_id": PAD, "eos_token_id": EOS, "decoder_start_token_id": EOS,
           "forced_eos_token_id": EOS, "max_length": max_length}
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(args.out, "generation_config.json"), "w") as f:
        json.dump(gen, f, indent=2)
    if not tiny:
        print(f"wrote {args.size} {args.dtype} random-weight model to {args.out}; copy NLLB's sentencepiece.bpe.model there")
        return
    with open(os.path.join(args.out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "NllbTokenizer", "additional_special_tokens": langs}, f, indent=2)
    if args.dtype == "fp16":
        print(f"wrote the tiny fp16 model to {args.out} (no reference ids: those are the fp32 fixture's)")
        return

    # Reference ids: Swahili sentences encoded as NLLB sources, back to English.
    lang_id = {code: spm_size + 1 + i for i, code in enumerate(langs)}
    sentences = ["Wageni wanatoka wapi?", "Habari za asubuhi, rafiki yangu.", "Mvua kubwa ilinyesha.",
                 "Tafadhali nisaidie kubeba mzigo huu mzito kutoka sokoni hadi nyumbani leo jioni."]
    rows = [[lang_id["swh_Latn"]] + [i + 1 if i > 0 else 3 for i in sp.encode(s)] + [EOS] for s in sentences]
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [PAD] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    forced = lang_id["eng_Latn"]
    with torch.no_grad():
        batch_greedy = greedy(model, ids, mask, forced, max_length)
        for k, r in enumerate(rows):  # padding must not change a row's result
            alone = greedy(model, torch.tensor([r]), torch.ones((1, len(r)), dtype=torch.long), forced, max_length)
            assert alone[0] == batch_greedy[k], (alone, batch_greedy[k])
        beams = {}
        for nb, lp in ((3, 1.0), (4, 0.6)):
            beams[f"{nb}|{lp}"] = [beam(model, torch.tensor([r]), torch.ones((1, len(r)), dtype=torch.long),
                                        forced, max_length, nb, lp) for r in rows]
        step0 = torch.log_softmax(model.decode(torch.tensor([[EOS]]), torch.ones((1, len(rows[0])), dtype=torch.long),
                                               None, model.cross_kv(model.encode(torch.tensor([rows[0]]),
                                               torch.ones((1, len(rows[0])), dtype=torch.long))))[0][0, -1], -1)
    reference = {"sentences": sentences, "source_ids": rows, "forced_bos": forced, "max_length": max_length,
                 "greedy": batch_greedy,
                 "beam": [{"num_beams": int(k.split("|")[0]), "length_penalty": float(k.split("|")[1]), "ids": v}
                          for k, v in beams.items()],
                 "step0_logprobs_row0_first8": [round(x, 5) for x in step0[:8].tolist()]}
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
    for name in ("encoder_model.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx",
                 "decoder_model_merged.onnx"):
        print(name, os.path.getsize(os.path.join(args.out, "onnx", name)))
    print(json.dumps({"greedy": batch_greedy, "beam": beams}))


if __name__ == "__main__":
    main()
