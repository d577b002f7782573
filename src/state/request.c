/*
 * request.c - resolve options into a request (see request.h).
 */
#include "request.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "detect.h"
#include "files.h"
#include "vllm.h"

void request_fill_set(const struct device_list *devs, int n_groups, const size_t *group_dev,
                      const uint32_t *group_count, struct device_set *set)
{
	set->n = 0;
	for (int g = 0; g < n_groups; g++) {
		assert(group_dev[g] < devs->n);
		for (uint32_t k = 0; k < group_count[g]; k++) {
			assert(set->n < HW_MAX_DEVICES);
			set->dev[set->n++] = &devs->v[group_dev[g]];
		}
	}
}

int request_device_groups(const struct cli_options *o, struct device_list *devs, size_t *group_dev,
                          uint32_t *group_count, char *err, size_t errlen)
{
	if (o->gpu_auto) {
		struct detect_env env;
		char why[1024];
		detect_env_init(&env);
		int n = detect_auto_groups(&env, devs, o->free_memory, group_dev, group_count,
		                           CLI_MAX_GPU_GROUPS, why, sizeof(why));
		if (n <= 0) {
			snprintf(err, errlen, "-g auto: %s%s", why,
			         n == 0 ? " (name the devices instead: -g ID[xN], see vramcalc "
			                  "--list hardware)"
			                : "");
			return -1;
		}
		return n;
	}
	for (int g = 0; g < o->n_gpu_groups; g++) {
		const struct device *d = device_find(devs, o->gpu_group_id[g]);
		if (!d) {
			snprintf(err, errlen,
			         "--gpu: unknown device '%s' (see vramcalc --list hardware)",
			         o->gpu_group_id[g]);
			return -1;
		}
		group_dev[g] = (size_t)(d - devs->v);
		group_count[g] = o->gpu_group_count[g];
	}
	return o->n_gpu_groups;
}

uint64_t request_host_ram_bytes(const struct cli_options *o)
{
	if (o->host_ram_bytes)
		return o->host_ram_bytes;
	struct detect_env env;
	struct detect_host host;
	detect_env_init(&env);
	detect_host_memory(&env, &host);
	return host.known ? host.total_bytes : 0;
}

/* --spec mtp on a model and engine that can run it: llama.cpp stops when
 * the model has no MTP blocks (llama_init_from_model: "context type MTP
 * requested but model doesn't contain MTP layers", then llama-server's
 * "failed to create MTP context"), and MiMo-V2's MTP graph asserts a fused
 * attn_qkv (src/models/mimo2.cpp).  Both refusals hold for vLLM too (its
 * drafter needs the MTP layers; --speculative-tokens). */
static bool request_check_spec(const struct model *m, const struct settings *s, const char *name,
                               char *err, size_t errlen)
{
	if (!s->spec_draft)
		return true;
	bool vllm = ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types;
	if (!m->arch.n_mtp) {
		snprintf(err, errlen,
		         "--spec mtp: %s has no MTP blocks (num_nextn_predict_layers 0): %s", name,
		         vllm ? "vLLM's MTP drafter has no layer to load"
		              : "llama-server stops with 'failed to create MTP context'");
		return false;
	}
	if (vllm)
		return true;
	bool fused = m->mtp_draft.n == 0;
	for (size_t i = 0; i < m->mtp_draft.n && !fused; i++)
		fused = strstr(m->mtp_draft.v[i].name, ".attn_qkv.") != NULL;
	if (m->arch.family == AF_MIMO2 && !fused) {
		snprintf(err, errlen,
		         "--spec mtp: %s's MTP block has separate attn_q/k/v tensors; llama.cpp's "
		         "MiMo-V2 MTP graph needs a fused attn_qkv and aborts",
		         name);
		return false;
	}
	return true;
}

bool request_resolve(const struct profile_dirs *dirs, const struct cli_options *o,
                     struct device_list *devs, struct resolved *r,
                     struct profile_warnings *warnings, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->n_groups = request_device_groups(o, devs, r->group_dev, r->group_count, err, errlen);
	if (r->n_groups < 0)
		return false;
	/* --gpu-share is a property of the unified devices the set names */
	for (int g = 0; g < r->n_groups && o->gpu_share > 0; g++)
		devs->v[r->group_dev[g]].gpu_share = o->gpu_share;

	if (!source_load(dirs, o->model, &r->src, warnings, err, errlen))
		return false;
	r->settings = o->settings;
	r->settings.file_types = r->src.file_types && !o->quant_given;
	if (r->settings.file_types && r->src.file_quant[0])
		ftype_find(r->src.file_quant, &r->settings.ftype);
	if (r->src.has_arch && ftype_get(r->settings.ftype)->engine == FT_VLLM &&
	    !r->settings.file_types) {
		/* vllm serve's defaults: the model's whole context per request, the
		 * scheduler's sequence limit for the GPU */
		const struct device *gpu = r->n_groups ? &devs->v[r->group_dev[0]] : NULL;
		if (!o->context_given && r->src.model.arch.n_ctx_train)
			r->settings.ctx_tokens = r->src.model.arch.n_ctx_train;
		if (!o->batch_given)
			r->settings.n_seq = vllm_default_max_num_seqs(
			    r->settings.vllm_version, gpu ? hw_vllm_large_gpu(gpu) : false);
	}

	if (o->mmproj) {
		if (ftype_get(r->settings.ftype)->engine == FT_VLLM && !r->settings.file_types) {
			snprintf(err, errlen,
			         "--mmproj: llama.cpp's projector file; vLLM loads the vision "
			         "tower from the checkpoint (see --text-only)");
			resolved_release(r);
			return false;
		}
		if (!source_mmproj_load(o->mmproj, &r->mmproj, err, errlen)) {
			resolved_release(r);
			return false;
		}
		r->has_mmproj = true;
		r->settings.mmproj_bytes = r->mmproj.bytes;
	}

	struct request *q = &r->req;
	q->model = r->src.has_arch ? &r->src.model : NULL;
	q->settings = r->settings;
	request_fill_set(devs, r->n_groups, r->group_dev, r->group_count, &q->set);
	if (q->settings.main_gpu >= (q->set.n ? q->set.n : 1)) {
		snprintf(err, errlen, "--main-gpu %u: -g names %u device%s", q->settings.main_gpu,
		         q->set.n, q->set.n == 1 ? "" : "s");
		resolved_release(r);
		return false;
	}
	if (q->model && !request_check_spec(q->model, &q->settings, o->model, err, errlen)) {
		resolved_release(r);
		return false;
	}
	/* --spec mtp:N with vLLM is vLLM's MTP drafter: --speculative-tokens N */
	if (q->settings.spec_draft && ftype_get(q->settings.ftype)->engine == FT_VLLM &&
	    !q->settings.file_types) {
		if (!q->settings.spec_tokens)
			q->settings.spec_tokens = q->settings.spec_draft;
		q->settings.spec_draft = 0;
		r->settings = q->settings;
	}
	if (q->settings.spec_tokens && q->model && !q->model->arch.n_mtp) {
		snprintf(err, errlen,
		         "--speculative-tokens %u: the model has no MTP layers to draft with "
		         "(num_nextn_predict_layers or mtp_num_hidden_layers is 0)",
		         q->settings.spec_tokens);
		resolved_release(r);
		return false;
	}
	q->host_ram_bytes = request_host_ram_bytes(o);
	q->margin = o->margin;
	plan_speed_defaults(&q->speed);
	q->want_speed = true;
	if (o->host_bandwidth_gbps > 0)
		q->speed.host_bandwidth_gbps = o->host_bandwidth_gbps;
	if (o->prompt_tokens)
		q->speed.prompt_tokens = o->prompt_tokens;
	return true;
}

void resolved_release(struct resolved *r)
{
	source_release(&r->src);
	memset(r, 0, sizeof(*r));
}
