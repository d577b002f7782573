/*
 * json_out.c - exact integers and safe strings in cJSON output (see
 * json_out.h).
 */
#include "json_out.h"

#include <stdio.h>

#include "text.h"

cJSON *json_add_u64(cJSON *o, const char *name, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return cJSON_AddRawToObject(o, name, buf);
}

cJSON *json_add_i64(cJSON *o, const char *name, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return cJSON_AddRawToObject(o, name, buf);
}

cJSON *json_add_text(cJSON *o, const char *name, const char *s)
{
	char buf[2048];
	return cJSON_AddStringToObject(o, name, text_escape(buf, sizeof(buf), s, false));
}
