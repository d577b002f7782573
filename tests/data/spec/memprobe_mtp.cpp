// memprobe_mtp: what llama-server allocates with --spec-type draft-mtp, without allocating.
// Follows common_init_from_params + common_speculative_init_from_params of the 2026-09-28 source:
//   model loaded with load_mtp = true; main context with n_rs_seq = N_MAX (need_n_rs_seq);
//   draft context on the same model: ctx_type MTP, n_ctx = main's, n_rs_seq 0, ctx_other = main,
//   cache types from -ctkd/-ctvd, n_outputs_max = n_parallel, n_outputs_max_per_seq = 1.
// usage: memprobe_mtp FILE N_CTX N_UBATCH N_BATCH N_SEQ TYPE_K TYPE_V FA UNIFIED SWA_FULL N_MAX DTYPE_K DTYPE_V MODE
//   MODE: base (load_mtp off, no rs, no draft ctx: plain memprobe), spec (all of the above)
#include "llama.h"
#include "llama-ext.h"
#include "ggml-backend.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static ggml_type type_of(const char *s) {
    static const struct { const char *n; ggml_type t; } T[] = {
        {"f32", GGML_TYPE_F32}, {"f16", GGML_TYPE_F16}, {"bf16", GGML_TYPE_BF16}, {"q8_0", GGML_TYPE_Q8_0},
        {"q5_1", GGML_TYPE_Q5_1}, {"q5_0", GGML_TYPE_Q5_0}, {"q4_1", GGML_TYPE_Q4_1}, {"q4_0", GGML_TYPE_Q4_0},
        {"iq4_nl", GGML_TYPE_IQ4_NL}};
    for (auto &e : T) if (!strcmp(e.n, s)) return e.t;
    fprintf(stderr, "bad type %s\n", s); exit(2);
}
static void quiet(ggml_log_level lvl, const char *txt, void *) { if (getenv("MEMPROBE_LOG") || lvl >= GGML_LOG_LEVEL_ERROR) fputs(txt, stderr); }

static std::string breakdown(llama_context *c, size_t &M, size_t &C, size_t &K) {
    M = C = K = 0;
    std::string per;
    for (auto &kv : llama_get_memory_breakdown(c)) {
        char b[256];
        snprintf(b, sizeof b, "%s\"%s\":{\"model\":%zu,\"context\":%zu,\"compute\":%zu}", per.empty() ? "" : ",",
                 ggml_backend_buft_name(kv.first), kv.second.model, kv.second.context, kv.second.compute);
        per += b; M += kv.second.model; C += kv.second.context; K += kv.second.compute;
    }
    return per;
}

int main(int argc, char **argv) {
    if (argc != 15) { fprintf(stderr, "usage: memprobe_mtp FILE N_CTX N_UBATCH N_BATCH N_SEQ TYPE_K TYPE_V FA UNIFIED SWA_FULL N_MAX DTYPE_K DTYPE_V base|spec\n"); return 2; }
    llama_log_set(quiet, nullptr);
    llama_backend_init();
    const bool spec = !strcmp(argv[14], "spec");
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0; mp.load_mode = LLAMA_LOAD_MODE_NONE; mp.use_extra_bufts = false; mp.no_alloc = true;
    mp.load_mtp = spec;
    llama_model *m = llama_model_load_from_file(argv[1], mp);
    if (!m) { printf("{\"error\":\"model load failed\"}\n"); return 1; }
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = atoi(argv[2]); cp.n_ubatch = atoi(argv[3]); cp.n_batch = atoi(argv[4]); cp.n_seq_max = atoi(argv[5]);
    cp.type_k = type_of(argv[6]); cp.type_v = type_of(argv[7]);
    cp.flash_attn_type = !strcmp(argv[8], "on") ? LLAMA_FLASH_ATTN_TYPE_ENABLED : LLAMA_FLASH_ATTN_TYPE_DISABLED;
    cp.kv_unified = atoi(argv[9]) != 0; cp.swa_full = atoi(argv[10]) != 0; cp.n_threads = cp.n_threads_batch = 2;
    const int n_max = atoi(argv[11]);
    if (spec) cp.n_rs_seq = n_max;
    llama_context *c = llama_init_from_model(m, cp);
    if (!c) { printf("{\"error\":\"context init failed\"}\n"); return 1; }
    size_t M, C, K;
    std::string per = breakdown(c, M, C, K);
    printf("{\"n_ctx\":%u,\"n_rs_seq\":%u,\"model\":%zu,\"context\":%zu,\"compute\":%zu,\"buffers\":{%s}", llama_n_ctx(c), llama_n_rs_seq(c), M, C, K, per.c_str());
    if (spec) {
        llama_context_params dp = cp;
        dp.ctx_type = LLAMA_CONTEXT_TYPE_MTP;
        dp.n_ctx = llama_n_ctx(c);
        dp.n_rs_seq = 0;
        dp.ctx_other = c;
        dp.type_k = type_of(argv[12]); dp.type_v = type_of(argv[13]);
        dp.n_outputs_max = cp.n_seq_max; dp.n_outputs_max_per_seq = 1;
        llama_context *d = llama_init_from_model(m, dp);
        if (!d) { printf(",\"draft\":{\"error\":\"draft context init failed\"}}\n"); return 1; }
        size_t DM, DC, DK;
        std::string dper = breakdown(d, DM, DC, DK);
        printf(",\"draft\":{\"model\":%zu,\"context\":%zu,\"compute\":%zu,\"buffers\":{%s}}", DM, DC, DK, dper.c_str());
        llama_free(d);
    }
    printf("}\n");
    llama_free(c); llama_model_free(m); llama_backend_free();
    return 0;
}
