#!/usr/bin/env python3
"""Write the small GGUF fixtures of tests/data/gguf-bad/.

Each broken file breaks exactly one rule of the GGUF format (see
src/data/gguf.c for the layout) so that tests/unit/test_gguf.c can check
the reader's message for it; together with the header-only files in
tests/data/truth/gguf they are also the fuzzer's seed corpus.  A few files
are valid on purpose (tiny-llama, all-types, the split-ok pair) to test what
the broken ones are compared with.  Every file is written from this script
only; run it from anywhere:

    python3 tests/data/gguf-bad/make.py

The files are headers only (no tensor data), a few hundred bytes each.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# GGUF metadata value types
U8, I8, U16, I16, U32, I32, F32, BOOL, STR, ARR, U64, I64, F64 = range(13)
# GGML tensor types used here
T_F32, T_F16, T_Q4_0, T_Q8_0 = 0, 1, 2, 8
ROW = {T_F32: (1, 4), T_F16: (1, 2), T_Q4_0: (32, 18), T_Q8_0: (32, 34)}

SCALAR_FMT = {U8: '<B', I8: '<b', U16: '<H', I16: '<h', U32: '<I', I32: '<i',
              F32: '<f', BOOL: '<B', U64: '<Q', I64: '<q', F64: '<d'}


def string(s):
    b = s if isinstance(s, bytes) else s.encode()
    return struct.pack('<Q', len(b)) + b


def value(t, v):
    """Encode a value of type t (arrays: v = (elem_type, [values]))."""
    if t == STR:
        return string(v)
    if t == ARR:
        et, items = v
        return struct.pack('<IQ', et, len(items)) + b''.join(value(et, x) for x in items)
    return struct.pack(SCALAR_FMT[t], v)


def kv(key, t, v):
    return string(key) + struct.pack('<I', t) + value(t, v)


def tensor_info(name, ne, ttype, offset):
    return (string(name) + struct.pack('<I', len(ne)) +
            b''.join(struct.pack('<Q', d) for d in ne) + struct.pack('<IQ', ttype, offset))


def nbytes(ne, ttype):
    blk, size = ROW[ttype]
    n = ne[0] // blk * size
    for d in ne[1:]:
        n *= d
    return n


def tensors(specs, align=32):
    """Tensor infos for [(name, ne, type)], offsets packed as llama.cpp does."""
    out, off = b'', 0
    for name, ne, tt in specs:
        out += tensor_info(name, ne, tt, off)
        off += (nbytes(ne, tt) + align - 1) // align * align
    return out


def gguf(kvs, tinfo, n_kv, n_tensors, version=3, magic=b'GGUF'):
    return magic + struct.pack('<IQQ', version, n_tensors, n_kv) + b''.join(kvs) + tinfo


def pad(b, align=32):
    return b + b'\0' * (-len(b) % align)


# A complete tiny llama: 1 layer, n_embd 32, 4 heads (2 KV), ffn 64, vocab 64.
E, H, HKV, HD, FF, V = 32, 4, 2, 8, 64, 64
LLAMA_KV = [
    kv('general.architecture', STR, 'llama'),
    kv('general.name', STR, 'tiny-llama'),
    kv('llama.block_count', U32, 1),
    kv('llama.context_length', U32, 512),
    kv('llama.embedding_length', U32, E),
    kv('llama.feed_forward_length', U32, FF),
    kv('llama.attention.head_count', U32, H),
    kv('llama.attention.head_count_kv', U32, HKV),
    kv('llama.vocab_size', U32, V),
    kv('general.file_type', U32, 7),
]
LLAMA_TENSORS = [
    ('token_embd.weight', [E, V], T_F16),
    ('output_norm.weight', [E], T_F32),
    ('output.weight', [E, V], T_Q8_0),
    ('blk.0.attn_norm.weight', [E], T_F32),
    ('blk.0.attn_q.weight', [E, H * HD], T_F16),
    ('blk.0.attn_k.weight', [E, HKV * HD], T_F16),
    ('blk.0.attn_v.weight', [E, HKV * HD], T_F16),
    ('blk.0.attn_output.weight', [H * HD, E], T_F16),
    ('blk.0.ffn_norm.weight', [E], T_F32),
    ('blk.0.ffn_gate.weight', [E, FF], T_Q4_0),
    ('blk.0.ffn_up.weight', [E, FF], T_Q4_0),
    ('blk.0.ffn_down.weight', [FF, E], T_Q8_0),
]


def llama(extra_kv=(), specs=LLAMA_TENSORS, tinfo=None, n_kv=None, n_tensors=None, **kw):
    kvs = LLAMA_KV + list(extra_kv)
    ti = tensors(specs) if tinfo is None else tinfo
    return gguf(kvs, ti, len(kvs) if n_kv is None else n_kv,
                len(specs) if n_tensors is None else n_tensors, **kw)


def one_tensor(name=b'w', ne=(32,), ttype=T_F32, offset=0):
    """A file with one metadata key and one tensor info."""
    return gguf([kv('general.architecture', STR, 'llama')],
                tensor_info(name, list(ne), ttype, offset), 1, 1)


# The size keys of a two-layer llama without tensors (for metadata tests).
ARCH2_KV = [
    kv('general.architecture', STR, 'llama'),
    kv('llama.block_count', U32, 2),
    kv('llama.context_length', U32, 512),
    kv('llama.embedding_length', U32, 32),
    kv('llama.attention.head_count', U32, 4),
    kv('llama.vocab_size', U32, 64),
]


def nested(depth):
    v = (U8, [1])
    for _ in range(depth - 1):
        v = (ARR, [v])
    return v


FILES = {
    # valid files
    'tiny-llama.gguf': pad(llama()),
    'all-types.gguf': gguf([
        kv('t.u8', U8, 200), kv('t.i8', I8, -100), kv('t.u16', U16, 60000),
        kv('t.i16', I16, -30000), kv('t.u32', U32, 4000000000), kv('t.i32', I32, -2000000000),
        kv('t.f32', F32, 0.5), kv('t.bool', BOOL, 1), kv('t.str', STR, 'h\u00e9llo'),
        kv('t.u64', U64, 2**63 + 5), kv('t.i64', I64, -2**62), kv('t.f64', F64, -2.25),
        kv('t.arr_i32', ARR, (I32, [0, -1, 7])), kv('t.arr_str', ARR, (STR, ['a', 'bc', ''])),
        kv('t.arr_nested', ARR, (ARR, [(U16, [1, 2]), (F64, [1.5])])),
        kv('t.arr_empty', ARR, (F32, [])), kv('t.arr_bool', ARR, (BOOL, [1, 0, 1])),
        kv('general.alignment', U32, 64),
    ], tensors([('w4', [32, 2, 3, 4], T_Q4_0), ('v', [64], T_F32)], align=64), 18, 2),
    # header
    'bad-magic.gguf': llama(magic=b'GGML'),
    'bad-version.gguf': llama(version=1),
    'big-endian.gguf': b'GGUF' + struct.pack('>IQQ', 3, 0, 0),
    'trunc-header.gguf': llama()[:20],
    'huge-tensor-count.gguf': llama(n_tensors=2**60),
    'huge-kv-count.gguf': llama(n_kv=2**40),
    'counts-exceed-file.gguf': llama(n_kv=500, n_tensors=400)[:4000],
    # metadata
    'trunc-key.gguf': gguf([kv('general.architecture', STR, 'llama')], b'', 1, 0)[:24 + 8 + 12],
    'trunc-value.gguf': gguf([kv('general.architecture', STR, 'llama')], b'', 1, 0)[:-2],
    'trunc-array.gguf': gguf([kv('a', ARR, (U32, [1, 2, 3, 4]))], b'', 1, 0)[:-5],
    'huge-string.gguf': gguf([string('general.name') + struct.pack('<IQ', STR, 2**64 - 1) + b'x'],
                             b'', 1, 0),
    'huge-key.gguf': gguf([struct.pack('<Q', 2**62) + b'general.architecture'], b'', 1, 0),
    'huge-array.gguf': gguf([string('a') + struct.pack('<IIQ', ARR, U64, 2**62) + b'\0' * 64],
                            b'', 1, 0),
    'bad-value-type.gguf': gguf([string('general.foo') + struct.pack('<I', 13) + b'\0' * 8],
                                b'', 1, 0),
    'bad-utf8-key.gguf': gguf([kv(b'general.n\xffme', U8, 1)], b'', 1, 0),
    'dup-key.gguf': llama(extra_kv=[kv('llama.block_count', U32, 2)]),
    'deep-nesting.gguf': gguf([kv('deep', ARR, nested(12))], b'', 1, 0),
    'bad-alignment.gguf': llama(extra_kv=[kv('general.alignment', U32, 48)]),
    # tensor infos
    'trunc-tensor-info.gguf': llama()[:len(llama()) - 30],
    'bad-type-removed.gguf': one_tensor(ttype=4),
    'bad-type-future.gguf': one_tensor(ttype=43),
    'bad-ndims.gguf': gguf([], string('w') + struct.pack('<I', 5) + struct.pack('<Q', 1) * 5 +
                           struct.pack('<IQ', 0, 0), 0, 1),
    'ne-overflow.gguf': one_tensor(ne=(2**32, 2**32)),
    'ne-negative.gguf': one_tensor(ne=(32, 2**63 + 1)),
    'bad-utf8-tensor.gguf': one_tensor(name=b'blk.0.\xc0\xafattn'),
    'long-tensor-name.gguf': one_tensor(name=b'n' * 64),
    'dup-tensor.gguf': llama(specs=LLAMA_TENSORS + [LLAMA_TENSORS[0]]),
    'bad-row-length.gguf': one_tensor(ne=(33, 2), ttype=T_Q4_0),
    'bad-offset.gguf': one_tensor(offset=7),
    # architecture (valid headers, unusable metadata)
    'unknown-arch.gguf': gguf([kv('general.architecture', STR, 'mamba9')], b'', 1, 0),
    'missing-key.gguf': gguf([k for k in LLAMA_KV if b'block_count' not in k],
                             tensors(LLAMA_TENSORS), len(LLAMA_KV) - 1, len(LLAMA_TENSORS)),
    'ctrl-key.gguf': gguf([string('a\x1b[31m\n') + struct.pack('<I', 99)], b'', 1, 0),
    'arch-negative.gguf': gguf([kv('general.architecture', STR, 'llama'),
                                kv('llama.block_count', I32, -1)], b'', 2, 0),
    'arch-float.gguf': gguf([kv('general.architecture', STR, 'llama'),
                             kv('llama.block_count', U32, 2),
                             kv('llama.embedding_length', F32, 32.0)], b'', 3, 0),
    'arch-layer-count.gguf': gguf(ARCH2_KV + [kv('llama.attention.head_count_kv', ARR,
                                                 (U32, [1, 2, 2]))], b'', len(ARCH2_KV) + 1, 0),
    'arch-arrays.gguf': gguf(ARCH2_KV + [
        kv('llama.attention.head_count_kv', ARR, (I32, [2, 1])),
        kv('llama.feed_forward_length', ARR, (U16, [64, 128])),
    ], b'', len(ARCH2_KV) + 2, 0),
    'arch-gemma3-pattern.gguf': gguf([
        kv('general.architecture', STR, 'gemma3'),
        kv('gemma3.block_count', U32, 3), kv('gemma3.context_length', U32, 512),
        kv('gemma3.embedding_length', U32, 32), kv('gemma3.feed_forward_length', U32, 64),
        kv('gemma3.attention.head_count', U32, 4), kv('gemma3.attention.head_count_kv', U32, 1),
        kv('gemma3.attention.key_length', U32, 16), kv('gemma3.attention.value_length', U32, 16),
        kv('gemma3.attention.sliding_window', U32, 64),
        kv('gemma3.attention.sliding_window_pattern', ARR, (BOOL, [1, 0, 1])),
        kv('tokenizer.ggml.tokens', ARR, (STR, ['<s>', 'a', 'b', 'c', 'd'])),
    ], b'', 12, 0),
    # cohere2moe without a pattern array: llama.cpp's dense-first default
    # (layer il attends fully when il % 4 == 0); a 1-value array is refused
    'arch-cohere2moe-pattern.gguf': gguf([
        kv('general.architecture', STR, 'cohere2moe'),
        kv('cohere2moe.block_count', U32, 5), kv('cohere2moe.context_length', U32, 512),
        kv('cohere2moe.embedding_length', U32, 32), kv('cohere2moe.feed_forward_length', U32, 64),
        kv('cohere2moe.attention.head_count', U32, 4),
        kv('cohere2moe.attention.head_count_kv', U32, 1),
        kv('cohere2moe.attention.sliding_window', U32, 64), kv('cohere2moe.vocab_size', U32, 64),
    ], b'', 9, 0),
    'arch-cohere2moe-short-pattern.gguf': gguf([
        kv('general.architecture', STR, 'cohere2moe'),
        kv('cohere2moe.block_count', U32, 5), kv('cohere2moe.context_length', U32, 512),
        kv('cohere2moe.embedding_length', U32, 32), kv('cohere2moe.feed_forward_length', U32, 64),
        kv('cohere2moe.attention.head_count', U32, 4),
        kv('cohere2moe.attention.head_count_kv', U32, 1),
        kv('cohere2moe.attention.sliding_window', U32, 64), kv('cohere2moe.vocab_size', U32, 64),
        kv('cohere2moe.attention.sliding_window_pattern', ARR, (BOOL, [1])),
    ], b'', 10, 0),
    # architectures without an engine layout: the standard keys only
    'generic-hybrid.gguf': gguf([
        kv('general.architecture', STR, 'hyb9'),
        kv('hyb9.block_count', U32, 4), kv('hyb9.context_length', U32, 4096),
        kv('hyb9.embedding_length', U32, 32), kv('hyb9.feed_forward_length', U32, 64),
        kv('hyb9.attention.head_count', U32, 4),
        kv('hyb9.attention.head_count_kv', ARR, (U32, [0, 2, 0, 2])),
        kv('hyb9.attention.key_length', U32, 16), kv('hyb9.attention.value_length', U32, 8),
        kv('hyb9.ssm.conv_kernel', U32, 4), kv('hyb9.ssm.state_size', U32, 16),
        kv('hyb9.ssm.inner_size', U32, 64), kv('hyb9.ssm.group_count', U32, 2),
        kv('hyb9.ssm.time_step_rank', U32, 8), kv('hyb9.vocab_size', U32, 64),
    ], b'', 15, 0),
    'generic-swa-mtp.gguf': pad(gguf([
        kv('general.architecture', STR, 'swa9'),
        kv('swa9.block_count', U32, 3), kv('swa9.nextn_predict_layers', U32, 1),
        kv('swa9.context_length', U32, 4096), kv('swa9.embedding_length', U32, E),
        kv('swa9.attention.head_count', U32, H), kv('swa9.attention.head_count_kv', U32, HKV),
        kv('swa9.attention.sliding_window', U32, 128),
        kv('swa9.attention.sliding_window_pattern', ARR, (BOOL, [1, 0, 0])),
        kv('swa9.vocab_size', U32, V),
    ], tensors(LLAMA_TENSORS + [(n.replace('blk.0.', 'blk.%d.' % il), ne, t)
                                for il in (1, 2) for n, ne, t in LLAMA_TENSORS
                                if n.startswith('blk.0.')]),
        10, len(LLAMA_TENSORS) + 18)),
    'generic-shortconv.gguf': gguf([
        kv('general.architecture', STR, 'conv9'),
        kv('conv9.block_count', U32, 2), kv('conv9.context_length', U32, 4096),
        kv('conv9.embedding_length', U32, 32), kv('conv9.feed_forward_length', U32, 64),
        kv('conv9.attention.head_count', U32, 4),
        kv('conv9.attention.head_count_kv', ARR, (U32, [0, 2])),
        kv('conv9.shortconv.l_cache', U32, 3), kv('conv9.vocab_size', U32, 64),
    ], b'', 9, 0),
    'generic-no-ssm.gguf': gguf([
        kv('general.architecture', STR, 'ssm9'),
        kv('ssm9.block_count', U32, 2), kv('ssm9.context_length', U32, 4096),
        kv('ssm9.embedding_length', U32, 32), kv('ssm9.attention.head_count', U32, 4),
        kv('ssm9.ssm.state_size', U32, 16), kv('ssm9.vocab_size', U32, 64),
    ], b'', 7, 0),
    # A multimodal projector (llama.cpp --mmproj): general.architecture clip,
    # 6 tensors of 46,336 bytes with 32-byte padding (v.post_ln.weight: 120 -> 128).
    'mmproj-tiny.gguf': pad(gguf([
        kv('general.architecture', STR, 'clip'),
        kv('clip.projector_type', STR, 'qwen3vl_merger'),
        kv('clip.has_vision_encoder', BOOL, 1),
        kv('clip.has_audio_encoder', BOOL, 0),
        kv('clip.vision.block_count', U32, 1),
        kv('clip.vision.embedding_length', U32, 32),
    ], tensors([
        ('v.patch_embd.weight', [14, 14, 3, 32], T_F16),
        ('v.blk.0.attn_qkv.weight', [32, 96], T_F16),
        ('v.blk.0.ln1.weight', [32], T_F32),
        ('v.post_ln.weight', [30], T_F32),
        ('mm.0.weight', [64, 32], T_Q8_0),
        ('mm.0.bias', [32], T_F32),
    ]), 6, 6)),
}


def meta(arch, pairs):
    """A metadata-only GGUF of arch: the sizes every model needs (4 layers
    unless pairs says otherwise), then pairs [(suffix, type, value)] that
    break one of the 2026 architectures' rules."""
    base = {'block_count': (U32, 4), 'embedding_length': (U32, 32),
            'context_length': (U32, 4096), 'attention.head_count': (U32, 4),
            'attention.head_count_kv': (U32, 2), 'attention.key_length': (U32, 8),
            'vocab_size': (U32, 64)}
    for k, t, v in pairs:
        base[k] = (t, v)
    kvs = [kv('general.architecture', STR, arch)]
    kvs += [kv('%s.%s' % (arch, k), t, v) for k, (t, v) in base.items()]
    return gguf(kvs, b'', len(kvs), 0)


DSV4 = [('attention.q_lora_rank', U32, 16), ('attention.output_group_count', U32, 2),
        ('attention.output_lora_rank', U32, 16), ('hyper_connection.count', U32, 4),
        ('attention.indexer.head_count', U32, 2), ('attention.indexer.key_length', U32, 8),
        ('attention.sliding_window', U32, 128)]
MLA = [('attention.kv_lora_rank', U32, 16), ('rope.dimension_count', U32, 4),
       ('attention.key_length_mla', U32, 12), ('attention.value_length_mla', U32, 8)]
FILES.update({
    # 2026 keys, each file breaking one rule (tests/unit/test_gguf.c)
    'arch-nextn-all.gguf': meta('qwen35', [('nextn_predict_layers', U32, 4)]),
    'arch-interval-zero.gguf': meta('qwen35', [('full_attention_interval', U32, 0)]),
    'arch-recurrent-short.gguf': meta('qwen35', [('attention.recurrent_layers', ARR,
                                                  (BOOL, [1, 0]))]),
    'arch-shared-kv-all.gguf': meta('gemma4', [('attention.shared_kv_layers', U32, 4)]),
    'arch-dsa-no-indexer.gguf': meta('deepseek32', MLA),
    'arch-mla-key-length.gguf': meta('deepseek2', MLA[:2] + [('attention.key_length_mla',
                                                             U32, 4)]),
    'arch-msa-block-zero.gguf': meta('minimax-m3', [
        ('attention.indexer.head_count', U32, 1), ('attention.indexer.key_length', U32, 8),
        ('attention.indexer.top_k', U32, 4), ('attention.indexer.block_size', U32, 0)]),
    'arch-dsv4-short-ratios.gguf': meta('deepseek4', DSV4 + [
        ('attention.compress_ratios', ARR, (U32, [0, 4, 128]))]),
    'arch-dsv4-bad-ratio.gguf': meta('deepseek4', DSV4 + [
        ('attention.compress_ratios', ARR, (U32, [0, 4, 8, 128]))]),
    'arch-rwkv-no-head-size.gguf': meta('rwkv9', [('attention.head_count', U32, 0),
                                                  ('wkv.head_size', STR, 'sixty-four')]),
})

# A split model in two parts, and one whose second part is missing.
_split1 = LLAMA_TENSORS[:5]
_split2 = LLAMA_TENSORS[5:]


def split_part(no, count, specs, kvs):
    kvs = kvs + [kv('split.no', U16, no), kv('split.count', U16, count),
                 kv('split.tensors.count', I32, len(LLAMA_TENSORS))]
    return pad(gguf(kvs, tensors(specs), len(kvs), len(specs)))


FILES['split-ok-00001-of-00002.gguf'] = split_part(0, 2, _split1, LLAMA_KV)
FILES['split-ok-00002-of-00002.gguf'] = split_part(1, 2, _split2, [])
FILES['split-missing-00001-of-00003.gguf'] = split_part(0, 3, _split1, LLAMA_KV)
FILES['split-missing-00002-of-00003.gguf'] = split_part(1, 3, _split2, [])


def main():
    for old in os.listdir(HERE):
        if old.endswith('.gguf'):
            os.remove(os.path.join(HERE, old))
    for name, data in sorted(FILES.items()):
        with open(os.path.join(HERE, name), 'wb') as f:
            f.write(data)
    print('wrote %d fixtures to %s' % (len(FILES), HERE))


if __name__ == '__main__':
    main()
