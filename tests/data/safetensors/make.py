#!/usr/bin/env python3
"""Write the safetensors fixtures of tests/data/safetensors/.

A safetensors file is an 8-byte little-endian header length N, N bytes of
JSON and the tensor data.  The ok-* files are valid (ok-mixed holds its
data, ok-header-only stops after the header, as a partial download does);
qwen3-0.6b/ is a header-only copy of Qwen3-0.6B's checkpoint in two shards
with its index and config.json (the HF tensor names and shapes); each bad-*
file breaks one rule that src/data/safetensors.c enforces, so
tests/unit/test_import.c can check the message for it.  They are also the
seed corpus of tests/fuzz/fuzz_safetensors.c.  Every file is written from
this script only; run it from anywhere:

    python3 tests/data/safetensors/make.py
"""
import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))

BITS = {'BOOL': 8, 'F4': 4, 'F6_E2M3': 6, 'F6_E3M2': 6, 'U8': 8, 'I8': 8,
        'F8_E5M2': 8, 'F8_E4M3': 8, 'F8_E8M0': 8, 'I16': 16, 'U16': 16,
        'F16': 16, 'BF16': 16, 'I32': 32, 'U32': 32, 'F32': 32, 'C64': 64,
        'F64': 64, 'I64': 64, 'U64': 64}


def nbytes(dtype, shape):
    n = 1
    for d in shape:
        n *= d
    return n * BITS[dtype] // 8


def header(tensors, metadata=None):
    """JSON header for [(name, dtype, shape)] laid out back to back."""
    h, off = {}, 0
    if metadata is not None:
        h['__metadata__'] = metadata
    for name, dtype, shape in tensors:
        size = nbytes(dtype, shape)
        h[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [off, off + size]}
        off += size
    return h, off


def file_bytes(hdr, data_len=0, pad=True):
    """The file for a header (dict or raw JSON text) plus data_len zero bytes."""
    text = hdr if isinstance(hdr, (bytes, str)) else json.dumps(hdr, separators=(',', ':'))
    text = text.encode() if isinstance(text, str) else text
    if pad:  # writers pad the header with spaces to a multiple of 8
        text += b' ' * (-len(text) % 8)
    return struct.pack('<Q', len(text)) + text + b'\0' * data_len


def write(name, data):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


MIXED = [
    ('model.embed_tokens.weight', 'BF16', [16, 8]),
    ('model.layers.0.mlp.down_proj.weight', 'F8_E4M3', [8, 32]),
    ('model.layers.0.mlp.down_proj.weight_scale_inv', 'F32', [1, 1]),
    ('model.layers.0.self_attn.q_proj.qweight', 'I32', [1, 8]),
    ('model.layers.0.self_attn.q_proj.scales', 'F16', [1, 8]),
    ('model.layers.0.experts.blocks', 'U8', [4, 16]),
    ('model.layers.0.experts.fp4', 'F4', [2, 16]),
    ('model.norm.weight', 'F32', [8]),
]


def qwen3_tensors(cfg):
    """Qwen3ForCausalLM's tensors (HF names and shapes) for a config."""
    e, ff, L = cfg['hidden_size'], cfg['intermediate_size'], cfg['num_hidden_layers']
    hd, nh, nkv = cfg['head_dim'], cfg['num_attention_heads'], cfg['num_key_value_heads']
    t = [('model.embed_tokens.weight', 'BF16', [cfg['vocab_size'], e])]
    for i in range(L):
        p = 'model.layers.%d.' % i
        t += [(p + 'input_layernorm.weight', 'BF16', [e]),
              (p + 'self_attn.q_proj.weight', 'BF16', [nh * hd, e]),
              (p + 'self_attn.k_proj.weight', 'BF16', [nkv * hd, e]),
              (p + 'self_attn.v_proj.weight', 'BF16', [nkv * hd, e]),
              (p + 'self_attn.o_proj.weight', 'BF16', [e, nh * hd]),
              (p + 'self_attn.q_norm.weight', 'BF16', [hd]),
              (p + 'self_attn.k_norm.weight', 'BF16', [hd]),
              (p + 'post_attention_layernorm.weight', 'BF16', [e]),
              (p + 'mlp.gate_proj.weight', 'BF16', [ff, e]),
              (p + 'mlp.up_proj.weight', 'BF16', [ff, e]),
              (p + 'mlp.down_proj.weight', 'BF16', [e, ff])]
    t.append(('model.norm.weight', 'BF16', [e]))
    if not cfg['tie_word_embeddings']:
        t.append(('lm_head.weight', 'BF16', [cfg['vocab_size'], e]))
    return t


def sharded_qwen3():
    d = 'qwen3-0.6b'
    src = os.path.join(ROOT, 'tests', 'data', 'truth', 'configs', 'qwen3-0.6b.config.json')
    os.makedirs(os.path.join(HERE, d), exist_ok=True)
    shutil.copyfile(src, os.path.join(HERE, d, 'config.json'))
    with open(src) as f:
        cfg = json.load(f)
    tensors = qwen3_tensors(cfg)
    half = len(tensors) // 2
    weight_map, total = {}, 0
    for k, part in enumerate((tensors[:half], tensors[half:])):
        name = 'model-%05d-of-00002.safetensors' % (k + 1)
        hdr, size = header(part, {'format': 'pt'})
        write(os.path.join(d, name), file_bytes(hdr))  # header only
        for t in part:
            weight_map[t[0]] = name
        total += size
    index = {'metadata': {'total_size': total}, 'weight_map': weight_map}
    write(os.path.join(d, 'model.safetensors.index.json'),
          json.dumps(index, indent=2).encode())


def main():
    hdr, size = header(MIXED, {'format': 'pt'})
    write('ok-mixed.safetensors', file_bytes(hdr, size))
    write('ok-header-only.safetensors', file_bytes(hdr, 0))
    write('ok-empty.safetensors', file_bytes({}, 0))
    sharded_qwen3()

    # One broken rule each.
    write('bad-short.safetensors', b'\x10\0\0\0\0')
    hdr, size = header(MIXED[:2])
    full = file_bytes(hdr, size)
    write('bad-truncated-header.safetensors', full[:8 + 20])
    write('bad-length-past-end.safetensors', struct.pack('<Q', 4096) + b'{}')
    write('bad-length-huge.safetensors', struct.pack('<Q', 1 << 40) + b'{}' + b' ' * 6)
    write('bad-length-zero.safetensors', struct.pack('<Q', 0))
    write('bad-json.safetensors', file_bytes('{"a": {"dtype": "F32",'))
    write('bad-not-object.safetensors', file_bytes('[1, 2, 3]'))
    write('bad-utf8.safetensors', file_bytes(
        b'{"w\xff": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', 4))
    write('bad-deep.safetensors', file_bytes('{"__metadata__": {"x": ' + '[' * 80 + ']' * 80 + '}}'))
    write('bad-dtype.safetensors', file_bytes(
        {'w': {'dtype': 'Q9', 'shape': [4], 'data_offsets': [0, 4]}}, 4))
    write('bad-dtype-type.safetensors', file_bytes(
        {'w': {'dtype': 16, 'shape': [4], 'data_offsets': [0, 8]}}, 8))
    write('bad-shape-type.safetensors', file_bytes(
        {'w': {'dtype': 'F32', 'shape': ['4', 8], 'data_offsets': [0, 128]}}, 128))
    write('bad-shape-negative.safetensors', file_bytes(
        {'w': {'dtype': 'F32', 'shape': [-4], 'data_offsets': [0, 16]}}, 16))
    write('bad-shape-overflow.safetensors', file_bytes(
        {'w': {'dtype': 'F32', 'shape': [2 ** 40, 2 ** 40], 'data_offsets': [0, 16]}}, 16))
    write('bad-size-mismatch.safetensors', file_bytes(
        {'w': {'dtype': 'BF16', 'shape': [4, 8], 'data_offsets': [0, 100]}}, 100))
    write('bad-offsets-reversed.safetensors', file_bytes(
        {'w': {'dtype': 'F32', 'shape': [4], 'data_offsets': [16, 0]}}, 16))
    write('bad-offsets-range.safetensors', file_bytes(
        {'w': {'dtype': 'U8', 'shape': [4], 'data_offsets': [0, 1e20]}}, 4))
    write('bad-offsets-count.safetensors', file_bytes(
        {'w': {'dtype': 'U8', 'shape': [4], 'data_offsets': [0, 4, 8]}}, 4))
    write('bad-overlap.safetensors', file_bytes(
        {'a': {'dtype': 'U8', 'shape': [64], 'data_offsets': [0, 64]},
         'b': {'dtype': 'U8', 'shape': [64], 'data_offsets': [32, 96]}}, 96))
    write('bad-gap.safetensors', file_bytes(
        {'a': {'dtype': 'U8', 'shape': [64], 'data_offsets': [0, 64]},
         'b': {'dtype': 'U8', 'shape': [64], 'data_offsets': [80, 144]}}, 144))
    write('bad-dup-name.safetensors', file_bytes(
        '{"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]},'
        ' "a": {"dtype": "U8", "shape": [4], "data_offsets": [4, 8]}}', 8))
    write('bad-metadata.safetensors', file_bytes({'__metadata__': 5}))
    write('bad-tensor-type.safetensors', file_bytes({'w': [1, 2]}))
    write('bad-fp4-odd.safetensors', file_bytes(
        {'w': {'dtype': 'F4', 'shape': [3], 'data_offsets': [0, 2]}}, 2))

    # Broken indexes (in their own directory with one good shard).
    d = 'index-bad'
    hdr, size = header([('w', 'F32', [4])])
    write(os.path.join(d, 'model-00001-of-00001.safetensors'), file_bytes(hdr, size))
    write(os.path.join(d, 'missing-shard.safetensors.index.json'), json.dumps(
        {'weight_map': {'w': 'model-00001-of-00001.safetensors',
                        'v': 'model-00002-of-00002.safetensors'}}).encode())
    write(os.path.join(d, 'escape.safetensors.index.json'), json.dumps(
        {'weight_map': {'w': '../ok-mixed.safetensors'}}).encode())
    write(os.path.join(d, 'no-map.safetensors.index.json'), json.dumps(
        {'metadata': {'total_size': 16}}).encode())
    write(os.path.join(d, 'total-mismatch.safetensors.index.json'), json.dumps(
        {'metadata': {'total_size': 999},
         'weight_map': {'w': 'model-00001-of-00001.safetensors',
                        'x': 'model-00001-of-00001.safetensors'}}).encode())


if __name__ == '__main__':
    main()
