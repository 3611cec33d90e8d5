// SPDX-License-Identifier: MIT
/*
 * accel_isolation, privilege: what the kernel gives the device node, and
 * what a client without privilege cannot reach. The node's mode is what
 * the kernel's class makes it: drivers/accel/drm_accel.c's accel_devnode()
 * (and drivers/gpu/drm/drm_sysfs.c's drm_devnode() for DRM nodes) names
 * the node and sets no mode, so devtmpfs creates it 0600, owned by root:root
 * (drivers/base/devtmpfs.c); a udev rule may then hand it to a group. The
 * device's debugfs files (fault injection, job timeout, resets) refuse a
 * client running as uid 65534, which gets its own file on the node (opened
 * to it for the moment of its open(), then restored).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_device.h"
#include "acts_fault.h"
#include "acts_test.h"
#include "iso.h"

#define ACCEL_MAJOR	261
#define MAX_FILES	128

ACTS_SUBTEST(node_mode, "ISO-NODE-1",
	     "the node is 0600 root:root as the kernel's devnode leaves it (a udev rule may add a group, never others)")
{
	bool udev = access("/run/udev/control", F_OK) == 0;
	struct stat st;
	mode_t mode;

	acts_assert_syscall(stat(dev->path, &st));
	mode = st.st_mode & 07777;
	acts_info("%s: mode %04o, uid %u, gid %u, %s\n", dev->path, (unsigned int)mode,
		  (unsigned int)st.st_uid, (unsigned int)st.st_gid,
		  udev ? "udev running (its rules may set the group)" : "no udev: as devtmpfs made it");
	acts_assert(S_ISCHR(st.st_mode));
	if (dev->kind == ACTS_NODE_ACCEL)
		acts_assert_eq(major(st.st_rdev), ACCEL_MAJOR);
	/* Whatever the rules, never open to every user, never owned by one. */
	if (mode & S_IRWXO)
		acts_fail("%s is open to every user (mode %04o)", dev->path, (unsigned int)mode);
	acts_assert_eq(st.st_uid, 0);
	if (mode & (S_ISUID | S_ISGID | S_ISVTX | S_IXUSR | S_IXGRP))
		acts_fail("%s has mode %04o: special or execute bits", dev->path, (unsigned int)mode);
	if (!udev) {
		/* The class's devnode sets no mode: devtmpfs's default, root's alone. */
		acts_assert_eq(mode, 0600);
		acts_assert_eq(st.st_gid, 0);
	}
}

struct dbg_files {
	int dirfd;
	char dir[256];
	unsigned int n;
	char name[MAX_FILES][64];
	mode_t mode[MAX_FILES];
};

/* The device's debugfs folder, its files and one level of subfolders. */
static void list_files(struct acts_dev *dev, struct dbg_files *f)
{
	char sub[MAX_FILES][64];
	unsigned int nsub = 0, i;
	struct dirent *e;
	DIR *d;
	int ret = acts_dev_debugfs_dir(dev, f->dir, sizeof(f->dir));

	acts_require(!ret, "the device has no debugfs folder (%s): debugfs not mounted?",
		     acts_errno_name(ret));
	f->dirfd = open(f->dir, O_RDONLY | O_DIRECTORY);
	acts_assert(f->dirfd >= 0);
	f->n = 0;
	d = opendir(f->dir);
	acts_assert(d);
	while ((e = readdir(d)) && f->n < MAX_FILES) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (fstatat(f->dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (strlen(e->d_name) >= sizeof(f->name[0]))
			continue;
		if (S_ISDIR(st.st_mode) && nsub < MAX_FILES)
			strcpy(sub[nsub++], e->d_name);
		else if (S_ISREG(st.st_mode)) {
			strcpy(f->name[f->n], e->d_name);
			f->mode[f->n++] = st.st_mode & 07777;
		}
	}
	closedir(d);
	for (i = 0; i < nsub; i++) {
		int fd = openat(f->dirfd, sub[i], O_RDONLY | O_DIRECTORY);

		d = fd < 0 ? NULL : fdopendir(fd);
		if (!d) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while ((e = readdir(d)) && f->n < MAX_FILES) {
			struct stat st;
			char rel[sizeof(f->name[0])];

			if (e->d_name[0] == '.' ||
			    strlen(sub[i]) + 1 + strlen(e->d_name) >= sizeof(rel))
				continue;
			strcpy(rel, sub[i]);
			strcat(rel, "/");
			strcat(rel, e->d_name);
			if (!fstatat(f->dirfd, rel, &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode)) {
				strcpy(f->name[f->n], rel);
				f->mode[f->n++] = st.st_mode & 07777;
			}
		}
		closedir(d);
	}
}

/*
 * As uid 65534, through the folder descriptor the parent opened (so that
 * debugfs's own root, 0700, does not hide the files' modes): every file
 * refuses a writer, and a file without read bits for others a reader.
 * Then through the backend, the fault and timeout controls.
 */
static void tenant_probe(struct acts_dev *d, struct iso_tenant *t, void *arg)
{
	struct dbg_files *f = arg;
	struct iso_tally wr = ISO_TALLY("ISO-PRIV-1", "open");
	struct iso_tally rd = ISO_TALLY("ISO-PRIV-1", "open");
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		int fd = openat(f->dirfd, f->name[i], O_WRONLY);

		if (fd >= 0) {
			acts_info("uid %u opened %s/%s for writing\n", ISO_UNPRIV_ID, f->dir, f->name[i]);
			close(fd);
		}
		iso_tally(&wr, i, fd >= 0 ? 0 : -errno);
		if (f->mode[i] & S_IROTH)
			continue;
		fd = openat(f->dirfd, f->name[i], O_RDONLY);
		if (fd >= 0) {
			acts_info("uid %u opened %s/%s for reading\n", ISO_UNPRIV_ID, f->dir, f->name[i]);
			close(fd);
		}
		iso_tally(&rd, i, fd >= 0 ? 0 : -errno);
	}
	acts_info("%u files of %s: writing\n", f->n, f->dir);
	iso_tally_report(&wr);
	acts_info("reading those closed to others\n");
	iso_tally_report(&rd);
	if (acts_has_cap(d, ACTS_CAP_JOB_TIMEOUT))
		acts_expect(__acts_job_timeout_set(d, 20) != 0);
	if (acts_has_cap(d, ACTS_CAP_FAULT_INJECTION) && d->be->fault_set) {
		acts_dev_defaults_touched();	/* should it succeed */
		acts_expect(d->be->fault_set(d, ACTS_FAULT_JOB_HANG, 1) != 0);
	}
	iso_send(t->from_child, "d", 1);
}

ACTS_SUBTEST(debugfs_unprivileged, "ISO-PRIV-1",
	     "a client running as uid 65534 can neither write nor read the device's debugfs controls")
{
	static struct dbg_files f;
	unsigned int i, timeout = 0, writable = 0;
	bool has_timeout, has_faults;
	struct iso_tenant t;
	char c;

	iso_require_root();
	list_files(dev, &f);
	acts_require(f.n > 0, "the device's debugfs folder %s has no file", f.dir);
	for (i = 0; i < f.n; i++) {
		if (f.mode[i] & (S_IWGRP | S_IWOTH)) {
			__acts_fail_later(__FILE__, __LINE__, "%s/%s has mode %04o: writable by others",
					  f.dir, f.name[i], (unsigned int)f.mode[i]);
			writable++;
		}
	}
	has_timeout = !__acts_job_timeout_get(dev, &timeout);
	has_faults = acts_has_faults(dev);
	if (has_faults)
		acts_faults_clear(dev);
	iso_tenant_start(dev, &t, true, tenant_probe, &f);
	iso_recv(t.from_child, &c, 1);
	iso_tenant_end(&t);
	/* Nothing the tenant tried took effect. */
	if (has_timeout) {
		unsigned int now = 0;

		acts_assert_ok(__acts_job_timeout_get(dev, &now));
		acts_expect_eq(now, timeout);
	}
	if (has_faults)
		acts_expect_eq(acts_fault_remaining(dev, ACTS_FAULT_JOB_HANG), 0);
	acts_info("%u files, %u writable by others\n", f.n, writable);
	close(f.dirfd);
}
