/*
 * files.c - mkdir -p and atomic whole-file writes.
 */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool files_make_dirs(const char *path, char *err, size_t errlen)
{
	char tmp[1024];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return false;
	}
	for (char *p = tmp + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: cannot create directory: %s", tmp,
			         strerror(errno));
			return false;
		}
		*p = c;
		if (!c)
			break;
	}
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", path);
		return false;
	}
	return true;
}

static bool write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

void files_dir_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, n, ".");
	else if (slash == path)
		snprintf(dir, n, "/");
	else
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

bool files_write_atomic(const char *path, const void *data, size_t len, bool replace, char *err,
                        size_t errlen)
{
	char dir[1024], tmp[1100];
	files_dir_of(path, dir, sizeof(dir));
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, base) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return false;
	}
	if (!replace && access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s: exists", path);
		errno = EEXIST;
		return false;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a file: %s", dir, strerror(errno));
		return false;
	}
	bool ok = write_all(fd, data, len) && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		snprintf(err, errlen, "%s: cannot write: %s", tmp, strerror(saved));
		unlink(tmp);
		errno = saved;
		return false;
	}
	if (replace) {
		if (rename(tmp, path) != 0) {
			saved = errno;
			snprintf(err, errlen, "%s: cannot replace: %s", path, strerror(saved));
			unlink(tmp);
			errno = saved;
			return false;
		}
	} else if (link(tmp, path) != 0) {
		/* link() refuses to replace, so two writers cannot race; file
		 * systems without hard links fall back to a checked rename */
		saved = errno;
		if (saved == EEXIST || access(path, F_OK) == 0 || rename(tmp, path) != 0) {
			snprintf(err, errlen, "%s: %s", path,
			         saved == EEXIST ? "exists" : strerror(saved));
			unlink(tmp);
			errno = saved == EEXIST ? EEXIST : saved;
			return false;
		}
	} else {
		unlink(tmp);
	}
	/* make the new directory entry itself durable */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return true;
}

uint64_t files_host_memory_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
}
