#!/usr/bin/env python3
"""Fit the speed model's constants (src/engine/speed.c, `constants`) on the llama-bench cases.

    build/speedcheck --features | python3 tests/data/speed/fit.py

speedcheck --features prints, per case of cases.csv, what the engine sees: bytes read per token by quant
family, KV bytes, layers, matmul FLOPs by kernel path, attention FLOPs, rows per matmul, and the device's
bandwidth, memory kind and tensor rates.  This script evaluates the same model as speed.c and fits:

  decode   t = sum_f bytes_f / (mem_eff[mem] * qf[f] * bw) + kv / (mem_eff[mem] * bw)
               + n_layer * layer_overhead[backend]
  prefill  t = (fl_float / fp16 + fl_bf16 / bf16 + fl_quant / q_rate) * rows / eff[backend] + attn / (eff * fp16)
           q_rate = int8 * mmq_share on CUDA/ROCm with an INT8 rate, else fp16
           rows = (1 - xs) / (r_d / (r_d + R)) + xs / (r_e / (r_e + R))
           + all GPU weight bytes / (mem_eff x bw) / r_d  (each micro-batch reads every weight, every expert)

by coordinate descent on the sum of squared log(predicted / measured), decode and prefill separately,
every factor bounded to (0, 1] except the prefill efficiencies.  The i-quant factor is not fitted (no
i-quant cases): 0.9 x the k-quant factor.  W-flagged cases are left out, as in speedcheck.
Pure Python (no numpy), a few seconds.
"""
import csv
import math
import sys

rows = [r for r in csv.DictReader(sys.stdin) if "W" not in r["flags"]]
for r in rows:
    for k, v in r.items():
        try:
            r[k] = float(v)
        except ValueError:
            pass
dec = [r for r in rows if r["kind"] == "tg"]
pre = [r for r in rows if r["kind"] == "pp"]
BACKENDS = ["CUDA", "ROCm", "Vulkan", "Metal"]
MEMS = ["GDDR", "HBM", "LPDDR"]


def decode_tps(p, r):
    e = p["mem_" + r["mem"]]
    qk = p["q_k"]
    eq = (r["b_float"] + r["b_legacy"] / p["q_legacy"] + r["b_k"] / qk + r["b_i"] / (0.9 * qk)
          + r["b_fp4"] / p["q_fp4"] + r["kv"])
    t = eq / (e * r["bandwidth_gbps"] * 1e9) + r["n_layer"] * p["ovh_" + r["backend"]] * 1e-6
    return 1 / t


def prefill_tps(p, r):
    R = p["half_rows"]
    f = lambda x: x / (x + R)
    rows_f = (1 - r["expert_share"]) / f(r["rows_dense"]) + r["expert_share"] / f(r["rows_expert"])
    e = p["pf_" + r["backend"]]
    fp16 = r["fp16"]
    bf16 = r["bf16"] if r["bf16"] > 0 else fp16
    q = r["int8"] * p["mmq_share"] if r["backend"] in ("CUDA", "ROCm") and r["int8"] > 0 else fp16
    t = (r["fl_float"] / fp16 + r["fl_bf16"] / bf16 + r["fl_quant"] / q) * rows_f / (e * 1e12)
    t += r["attn"] / (e * fp16 * 1e12)
    t += r["gpu_total"] / (MEM[r["mem"]] * r["bandwidth_gbps"] * 1e9) / r["rows_dense"]
    return 1 / t


def loss(p, cases, fn, bounded):
    if any(v <= 0 for v in p.values()) or any(p[k] > 1 for k in bounded):
        return 1e18
    return sum(math.log(fn(p, r) / r["measured"]) ** 2 for r in cases)


def fit(p, cases, fn, bounded, steps):
    best = loss(p, cases, fn, bounded)
    keys = list(p)
    step = dict(steps)
    for _ in range(300):
        moved = False
        for k in keys:
            for s in (step[k], -step[k]):
                q = dict(p)
                q[k] = p[k] + s
                l = loss(q, cases, fn, bounded)
                if l < best:
                    best, p, moved = l, q, True
                    break
            else:
                step[k] *= 0.6
        if not moved and max(step[k] / max(abs(p[k]), 1e-9) for k in keys) < 1e-5:
            break
    return p


def quantile(xs, q):
    xs = sorted(xs)
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def report(name, p, cases, fn):
    rs = [fn(p, r) / r["measured"] for r in cases]
    print("%s: n=%d median %.3f p10 %.3f p90 %.3f" % (name, len(rs), quantile(rs, .5), quantile(rs, .1),
                                                        quantile(rs, .9)))
    return rs


pd = {"mem_GDDR": 0.9, "mem_HBM": 0.6, "mem_LPDDR": 0.85, "q_legacy": 0.95, "q_k": 0.9, "q_fp4": 0.95}
pd.update({"ovh_" + b: 60.0 for b in BACKENDS})
sd = {k: (10.0 if k.startswith("ovh") else 0.05) for k in pd}
pd = fit(pd, dec, decode_tps, [k for k in pd if not k.startswith("ovh")], sd)
MEM = {m: pd["mem_" + m] for m in MEMS}
pp = {"pf_" + b: 0.5 for b in BACKENDS}
pp.update({"mmq_share": 0.5, "half_rows": 50.0})
sp = {k: (10.0 if k == "half_rows" else 0.05) for k in pp}
pp = fit(pp, pre, prefill_tps, ["mmq_share"], sp)

print("decode constants:")
for k, v in pd.items():
    print("  %-10s %.3f%s" % (k, v, " us per layer" if k.startswith("ovh") else ""))
print("prefill constants:")
for k, v in pp.items():
    print("  %-10s %.3f" % (k, v))
rd = report("decode", pd, dec, decode_tps)
rp = report("prefill", pp, pre, prefill_tps)
print("bands (half the p10-p90 spread): decode +-%.0f %%, prefill +-%.0f %%" % (
    50 * (quantile(rd, .9) - quantile(rd, .1)) * 100 / 100, 50 * (quantile(rp, .9) - quantile(rp, .1))))
