/*
 * format.c - sizes, counts and token numbers for display and input.
 */
#include "format.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hardware.h"

const char *fmt_gib(char *buf, size_t n, double bytes)
{
	if (bytes >= GIB)
		snprintf(buf, n, "%.2f GiB", bytes / GIB);
	else
		snprintf(buf, n, "%.1f MiB", bytes / 1048576.0);
	return buf;
}

const char *fmt_gb(char *buf, size_t n, double bytes)
{
	if (bytes >= GB)
		snprintf(buf, n, "%.2f GB", bytes / GB);
	else
		snprintf(buf, n, "%.1f MB", bytes / 1e6);
	return buf;
}

const char *fmt_thousands(char *buf, size_t n, uint64_t v)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *fmt_params(char *buf, size_t n, uint64_t p)
{
	double x = (double)p;
	if (x >= 1e12)
		snprintf(buf, n, "%.2fT", x / 1e12);
	else if (x >= 1e10)
		snprintf(buf, n, "%.1fB", x / 1e9);
	else if (x >= 1e9)
		snprintf(buf, n, "%.2fB", x / 1e9);
	else
		snprintf(buf, n, "%.0fM", x / 1e6);
	return buf;
}

const char *fmt_tokens(char *buf, size_t n, uint64_t t)
{
	if (t >= 1024 && t % (1024 * 1024) == 0)
		snprintf(buf, n, "%lluM", (unsigned long long)(t / (1024 * 1024)));
	else if (t >= 1024 && t % 1024 == 0)
		snprintf(buf, n, "%lluK", (unsigned long long)(t / 1024));
	else
		fmt_thousands(buf, n, t);
	return buf;
}

bool parse_count(const char *s, uint64_t max, uint64_t *out)
{
	if (!s || !isdigit((unsigned char)*s))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return false;
	uint64_t mul = 1;
	if (*end == 'k' || *end == 'K')
		mul = 1024;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024;
	if (mul != 1)
		end++;
	if (*end != '\0')
		return false;
	if (v > max / mul)
		return false;
	*out = v * mul;
	return true;
}

bool parse_byte_size(const char *s, uint64_t *bytes)
{
	if (!s || !(isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))))
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno == ERANGE || end == s)
		return false;
	static const char units[] = "KMGT";
	double mul = 1;
	const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
	if (u) {
		for (const char *k = units; k <= u; k++)
			mul *= 1024.0;
		end++;
		if (end[0] == 'i' && end[1] == 'B')
			end += 2;
		else if (end[0] == 'B')
			end++;
	} else if (*end == 'B') {
		end++;
	}
	if (*end != '\0')
		return false;
	double b = v * mul;
	if (!(b >= 0) || b > 1152921504606846976.0 || b != floor(b))
		return false;
	*bytes = (uint64_t)b;
	return true;
}

const char *fmt_byte_size(char *buf, size_t n, uint64_t bytes)
{
	static const char units[] = "TGMK";
	for (int i = 0; i < 4; i++) {
		uint64_t unit = 1ull << (10 * (4 - i));
		if (bytes && bytes % unit == 0) {
			snprintf(buf, n, "%llu%c", (unsigned long long)(bytes / unit), units[i]);
			return buf;
		}
	}
	snprintf(buf, n, "%llu", (unsigned long long)bytes);
	return buf;
}

const char *fmt_device_short_name(const struct device *d)
{
	static const char *const drop[] = {"GeForce ", "Radeon ", "Tesla "};
	const char *p = d->name;
	size_t vl = strlen(d->vendor);
	if (vl && !strncmp(p, d->vendor, vl) && p[vl] == ' ')
		p += vl + 1;
	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		if (!strncmp(p, drop[i], strlen(drop[i])))
			p += strlen(drop[i]);
	return p;
}
