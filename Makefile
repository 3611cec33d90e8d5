# SPDX-License-Identifier: MIT
#
# accel-cts: conformance suite and benchmarks for Linux compute accelerators.
#
#   make run     install what is missing, build, boot the VM, run the suite and
#                the quick benchmarks on refaccel and vgem, print a summary, keep
#                results/runs/<time>/ with plots and the report page
#   make check   every test: harness unit tests, the suite in the VM, clean unload,
#                KUnit (both flavours)
#   make kunit   refaccel's KUnit suites under UML (KUNIT_DEBUG=1: KASAN, lockdep)
#   make bench   the full benchmark set in the VM on refaccel and vgem
#   make matrix  the suite and quick benchmarks on each of KERNELS, side by side
#   make dist    a self-contained bundle (static binaries, refaccel.ko for KVER)
#                and the initramfs that boots it in the reference VM (build/dist/)
#   make lava    LAVA jobs generated, schema-checked, and the QEMU job run by lava-run
#   make mutants the suite against each seeded refaccel defect (tests/mutants/):
#                how many it catches, per profile level and rule
#   make fuzz    accel_fuzz: FUZZ_IOCTLS (1,000,000) ioctls on refaccel in the VM, 2 vCPUs,
#                faults on; fails on a broken rule, hang, kernel report, leak or unload
#   make soak    accel_clients' context-teardown stress for SOAK_S seconds (600) on
#                2 vCPUs, 4 processes; fails on any kernel report or unclean unload
#   make         build the userspace (build/) and refaccel.ko
#
# Variables: REPEAT (boots per run, the replicates compare needs; default 1),
# KVER (a Debian kernel: 6.12 or a point release such as 117, 7.2, 7.3, 6.1;
# default the newest 6.12), FLAVOUR (amd64, rt-amd64), KERNEL (the source
# make kunit builds: 6.12 or 7.2), ACCEL_CTS_CACHE (download and kernel cache).

CC ?= gcc
BUILD := build
KVER ?=
FLAVOUR ?= amd64
# REPEAT=N: make run, bench and matrix boot N times, each boot one replicate.
REPEAT ?= 1
export KVER FLAVOUR REPEAT

DRM_CFLAGS := $(shell pkg-config --cflags libdrm 2>/dev/null)
DRM_LIBS := $(shell pkg-config --libs libdrm 2>/dev/null)
JSON_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null)
JSON_LIBS := $(shell pkg-config --libs json-c 2>/dev/null)
# sha256 of certificates' results folders (accel-cts certify).
NETTLE_LIBS := $(shell pkg-config --libs nettle 2>/dev/null)

WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wshadow -Wformat=2 -Wmissing-prototypes
CFLAGS ?= -O2 -g
# No contraction into FMA and no fast-math: the MAC golden model rounds every
# fp32 operation on its own.
CFLAGS += -std=gnu11 -ffp-contract=off -fno-fast-math $(WARN) -Ilib -Ireference-driver/include/uapi/drm $(DRM_CFLAGS) $(JSON_CFLAGS)
ifeq ($(STRICT),1)
CFLAGS += -Werror
endif
# make SANITIZE=1 TARGET: built with the address and undefined-behaviour
# sanitizers, into build/sanitize/ (make check runs the malformed-input corpus so).
ifeq ($(SANITIZE),1)
BUILD := build/sanitize
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
LDLIBS := $(DRM_LIBS) $(JSON_LIBS) -lpthread -lm

# vgem's uapi header (for its userspace-signalled fences) is only in the
# kernel headers package: use the one of any kernel vm/fetch-kernel unpacked.
ACCEL_CTS_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/accel-cts
VGEM_UAPI := $(firstword $(wildcard $(ACCEL_CTS_CACHE)/kernels/*/root/usr/src/linux-headers-*-common/include/uapi/drm/vgem_drm.h))
ifneq ($(VGEM_UAPI),)
CFLAGS += -idirafter $(dir $(VGEM_UAPI))
endif

# The upstream accel drivers' backends, each built against its uapi header
# from a Debian package, never a copy: Linux 6.12's kernel headers package
# (vm/fetch-kernel) for ivpu, qaic and habanalabs, and linux-libc-dev 7.2
# from sid (vm/fetch-uapi, make deps) for amdxdna, rocket, ethosu and the
# newer ivpu ioctls. A backend whose header is absent is left out, said once.
# The backend includes "<driver>_accel.h" and finds it through -iquote: no
# system header is shadowed, and VGEM_UAPI's -idirafter (another kernel's
# copy of the same headers) cannot win. Its folder's parent comes after the
# system's, for what a header includes as <drm/drm.h> (habanalabs).
UAPI_612 := $(lastword $(sort $(dir $(wildcard $(ACCEL_CTS_CACHE)/kernels/6.12.*/root/usr/src/linux-headers-*-common/include/uapi/drm/drm.h))))
UAPI_72 := $(lastword $(sort $(dir $(wildcard $(ACCEL_CTS_CACHE)/uapi/linux-libc-dev_7.2.*/include/drm/drm.h))))
UPSTREAM_BACKENDS := ivpu qaic habanalabs amdxdna rocket ethosu
UAPI_DIR_ivpu := $(or $(UAPI_72),$(UAPI_612))
UAPI_DIR_qaic := $(UAPI_612)
UAPI_DIR_habanalabs := $(UAPI_612)
UAPI_DIR_amdxdna := $(UAPI_72)
UAPI_DIR_rocket := $(UAPI_72)
UAPI_DIR_ethosu := $(UAPI_72)
uapi_hdr = $(firstword $(wildcard $(UAPI_DIR_$(1))$(1)_accel.h))
# "linux-libc-dev_7.2.13-1 drm/ivpu_accel.h": the package and version it came from.
uapi_label = $(filter linux-headers-% linux-libc-dev_%,$(subst /, ,$(1))) drm/$(notdir $(1))
BUILT_BACKENDS := $(foreach b,$(UPSTREAM_BACKENDS),$(if $(call uapi_hdr,$(b)),$(b)))
ifneq ($(if $(MAKECMDGOALS),$(filter-out clean deps,$(MAKECMDGOALS)),all),)
$(foreach b,$(filter-out $(BUILT_BACKENDS),$(UPSTREAM_BACKENDS)),$(info accel-cts: backend $(b) left out: no drm/$(b)_accel.h in the cached Debian headers (make deps fetches them)))
endif
$(foreach b,$(BUILT_BACKENDS),$(eval $(BUILD)/obj/lib/backends/backend_$(b).o: CFLAGS += -iquote $(UAPI_DIR_$(b)) -idirafter $(UAPI_DIR_$(b)).. -DACTS_UAPI_HDR='"$(call uapi_label,$(call uapi_hdr,$(b)))"'))
# backends.o lists what was built: rebuilt when that set changes.
BACKENDS_SET := $(BUILD)/obj/backends.set
$(shell mkdir -p $(BUILD)/obj && echo '$(BUILT_BACKENDS)' | cmp -s - $(BACKENDS_SET) || echo '$(BUILT_BACKENDS)' > $(BACKENDS_SET))
$(BUILD)/obj/lib/backends/backends.o: CFLAGS += $(foreach b,$(BUILT_BACKENDS),-DACTS_HAVE_$(shell echo $(b) | tr a-z A-Z))
$(BUILD)/obj/lib/backends/backends.o: $(BACKENDS_SET)

# make backends-headers: each upstream backend compiled (-Werror, syntax
# only) against every cached header that has its driver, 6.12 and 7.2:
# the matrix make check prints.
backends-headers:
	@for b in $(UPSTREAM_BACKENDS); do for d in $(UAPI_612) $(UAPI_72); do \
		[ -f $$d$${b}_accel.h ] || { echo "$$b $$(echo $$d | grep -o 'linux-[a-z]*[-_][^/]*'): no header"; continue; }; \
		if $(CC) $(CFLAGS) -Werror -fsyntax-only -iquote $$d -idirafter $$d.. \
			-DACTS_UAPI_HDR='"check"' lib/backends/backend_$$b.c; then \
			echo "$$b $$(echo $$d | grep -o 'linux-[a-z]*[-_][^/]*'): ok"; \
		else echo "$$b $$(echo $$d | grep -o 'linux-[a-z]*[-_][^/]*'): FAILED"; exit 1; fi; \
	done; done

LIB_SRCS := lib/acts_test.c lib/acts_assert.c lib/acts_device.c lib/acts_caps.c lib/acts_gem.c \
	lib/acts_submit.c lib/acts_fence.c lib/acts_syncobj.c lib/acts_ufence.c lib/acts_fault.c \
	lib/acts_buf.c lib/acts_mac.c lib/acts_rand.c lib/acts_longjob.c lib/acts_profile.c \
	lib/acts_cgroup.c \
	lib/backends/backends.c lib/backends/backend_refaccel.c \
	lib/backends/backend_refaccel_inval.c lib/backends/backend_vgem.c \
	lib/backends/backend_generic.c lib/backends/backend_util.c \
	$(BUILT_BACKENDS:%=lib/backends/backend_%.c)
OBJ := $(BUILD)/obj
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o)
LIB := $(BUILD)/libacts.a

TESTS := accel_core accel_gem accel_submit accel_fence accel_fault accel_mac accel_clients \
	accel_isolation
TEST_BINS := $(TESTS:%=$(BUILD)/tests/%)
SELFTESTS := lib_selftest backend_uapi harness_victim harness_dynamic fault_victim kernel_victim mac_golden
SELFTEST_BINS := $(SELFTESTS:%=$(BUILD)/selftests/%) $(BUILD)/selftests/refaccel_arith
RUNNER := $(BUILD)/accel-cts
FUZZ := $(BUILD)/fuzz/accel_fuzz
BENCHES := accel_bench_latency accel_bench_bandwidth accel_bench_weights
BENCH_BINS := $(BENCHES:%=$(BUILD)/benchmarks/%)

all: userspace module

userspace: $(TEST_BINS) $(SELFTEST_BINS) $(RUNNER) $(FUZZ) $(BENCH_BINS) $(BUILD)/selftests/bench_selftest \
	$(BUILD)/selftests/safetensors_selftest $(BUILD)/selftests/stats_selftest \
	$(BUILD)/selftests/expectations_selftest $(BUILD)/selftests/journal_selftest

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/tests/%: $(OBJ)/tests/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/selftests/%: $(OBJ)/lib/selftests/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A test binary that is a folder, tests/<name>/, is one binary of every .c
# file in it, one concern per file (accel_mac: golden-model subtests,
# malformed commands and their shared part; accel_submit: valid jobs,
# contexts, ordering and waits, load and teardown, malformed input, limits;
# accel_isolation: one file per kind of object or resource a tenant must not
# reach, dmem.c device memory per cgroup). A file added to the folder joins its binary with no edit here; its
# subtests are declared in it and listed file by file.
TEST_DIRS := $(sort $(patsubst tests/%/,%,$(dir $(wildcard $(TESTS:%=tests/%/*.c)))))
define test_dir_rule
$$(BUILD)/tests/$(1): $$(patsubst %.c,$$(OBJ)/%.o,$$(wildcard tests/$(1)/*.c)) $$(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach d,$(TEST_DIRS),$(eval $(call test_dir_rule,$(d))))

# accel_fuzz: the fuzzer (fuzz/, docs/FUZZ.md), with the runner's kmsg reader.
FUZZ_SRCS := fuzz/fz_main.c fuzz/fz_values.c fuzz/fz_state.c fuzz/fz_ops.c \
	fuzz/fz_ops_refaccel.c fuzz/fz_ops_drm.c fuzz/fz_ops_proc.c fuzz/fz_model.c \
	fuzz/fz_oracle.c fuzz/fz_shrink.c
$(OBJ)/fuzz/%.o: CFLAGS += -Irunner
$(FUZZ): $(FUZZ_SRCS:%.c=$(OBJ)/%.o) $(OBJ)/runner/kmsg.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# refaccel's MAC arithmetic has no kernel dependency beyond a few types: build
# it for userspace too, to test it against the host FPU and the golden model.
KSHIM_CFLAGS := -Itests/host/kshim -Ireference-driver -Ireference-driver/include
$(OBJ)/kshim/%.o: reference-driver/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KSHIM_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
$(OBJ)/tests/host/refaccel_arith.o: tests/host/refaccel_arith.c
	@mkdir -p $(dir $@)
	$(CC) $(KSHIM_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/selftests/refaccel_arith: $(OBJ)/tests/host/refaccel_arith.o $(OBJ)/kshim/refaccel_fp.o \
		$(OBJ)/kshim/refaccel_mac.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/benchmarks/%: $(OBJ)/benchmarks/%.o $(OBJ)/benchmarks/bench.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/benchmarks/accel_bench_weights: $(OBJ)/benchmarks/accel_bench_weights.o $(OBJ)/benchmarks/bench.o \
		$(OBJ)/benchmarks/safetensors.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/selftests/bench_selftest: $(OBJ)/benchmarks/bench_selftest.o $(OBJ)/benchmarks/bench.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/selftests/%: $(OBJ)/runner/selftests/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/selftests/stats_selftest: $(OBJ)/runner/selftests/stats_selftest.o \
		$(OBJ)/runner/reports/stats.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/selftests/expectations_selftest: $(OBJ)/runner/selftests/expectations_selftest.o \
		$(OBJ)/runner/expectations.o $(OBJ)/runner/results.o $(OBJ)/runner/reports/xml_text.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/selftests/safetensors_selftest: $(OBJ)/benchmarks/safetensors_selftest.o \
		$(OBJ)/benchmarks/safetensors.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# accel-cts: the runner (runner/) and the tools that read run folders back
# (runner/reports/).
RUNNER_SRCS := runner/accel_cts.c runner/run.c runner/subtest.c runner/journal.c \
	runner/monitor.c runner/results.c runner/kmsg.c \
	runner/expectations.c
REPORTS_SRCS := runner/reports/run_folder.c runner/reports/summary.c runner/reports/compare.c \
	runner/reports/stats.c runner/reports/history.c runner/reports/plot.c runner/reports/report.c \
	runner/reports/lava.c runner/reports/xml_text.c runner/reports/json_checked.c \
	runner/reports/run_label.c
$(OBJ)/runner/%.o: CFLAGS += -Irunner -Irunner/reports
# accel-cts certify: the certificate, its renderings and the command.
CERTIFY_SRCS := runner/certify.c runner/certificate.c runner/certificate_render.c
$(RUNNER): $(RUNNER_SRCS:%.c=$(OBJ)/%.o) $(REPORTS_SRCS:%.c=$(OBJ)/%.o) \
		$(CERTIFY_SRCS:%.c=$(OBJ)/%.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(NETTLE_LIBS)

# The runner's journal, tested with the runner's own objects.
$(BUILD)/selftests/journal_selftest: $(OBJ)/runner/selftests/journal_selftest.o \
		$(filter-out $(OBJ)/runner/accel_cts.o,$(RUNNER_SRCS:%.c=$(OBJ)/%.o)) \
		$(OBJ)/runner/reports/xml_text.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

# The kernel modules, built against the cached Debian headers: refaccel and
# the VM tooling's self-test module.
module:
	@vm/kmake --if-changed reference-driver --no-print-directory && vm/kmake --if-changed vm/selftest --no-print-directory

# Debian packages, then the default kernel (its headers serve the userspace
# build too, for vgem_drm.h). deps is what the main job needs; the targets
# that need more (KUnit's kernel build, LAVA, make check's checkers) install
# it themselves, so a first make run fetches no more than it uses.
deps:
	@vm/install-deps
	@vm/fetch-uapi >/dev/null || echo "accel-cts: linux-libc-dev 7.2 not fetched: amdxdna, rocket, ethosu backends left out" >&2
	@vm/kbuild-dir >/dev/null

run: deps
	@$(MAKE) --no-print-directory all
	@vm/run-suite

bench: deps
	@$(MAKE) --no-print-directory all
	@vm/run-bench

# Debian kernels for make matrix: KVER[:FLAVOUR] words, the first the baseline
# the report compares the others with (6.1 runs vgem alone).
KERNELS ?= 6.12 6.12:rt-amd64 7.2 7.3 6.1
matrix: deps
	@$(MAKE) --no-print-directory all
	@KERNELS="$(KERNELS)" vm/run-matrix

# Statically linked binaries for the bundle and the kselftest install: they run
# on targets with neither libdrm nor json-c.
STATIC := $(BUILD)/static
static:
	@$(MAKE) --no-print-directory -s BUILD=$(STATIC) LDFLAGS=-static $(STATIC)/accel-cts \
		$(TESTS:%=$(STATIC)/tests/%) $(BENCHES:%=$(STATIC)/benchmarks/%) \
		$(STATIC)/selftests/harness_victim

# make kselftest-install INSTALL_PATH=DIR: a kselftest collection "accel-cts"
# that the kernel's run_kselftest.sh (copied there too) runs.
kselftest-install: deps static
	@tests/kselftest/install "$(INSTALL_PATH)"

dist: deps
	@b=$$(vm/make-dist --kver "$$(. vm/common.sh && resolve_kver && echo $$KVER)") && \
		i=$$(vm/mkinitramfs-bundle "$$b") && echo "bundle:    $$b" && echo "initramfs: $$i"

# The teardown stress of make check (8 s), for as long as asked.
SOAK_S ?= 600
soak: deps
	@$(MAKE) --no-print-directory all
	@vm/run --smp 2 --timeout $$(($(SOAK_S) + 600)) \
		--load "$(CURDIR)/reference-driver/refaccel.ko" --load vgem -- \
		env ACCEL_CTS_SOAK_S=$(SOAK_S) build/tests/accel_clients --timeout $$(($(SOAK_S) + 300)) \
		--device /dev/accel/accel0 --run-subtest teardown-concurrent

# accel_fuzz in the VM (2 vCPUs, faults on): FUZZ_IOCTLS ioctls (1,000,000),
# FUZZ_SEED to replay a run, FUZZ_ARGS more accel_fuzz options (docs/FUZZ.md).
FUZZ_IOCTLS ?= 1000000
fuzz: deps
	@$(MAKE) --no-print-directory all
	@FUZZ_SEED=$(FUZZ_SEED) tests/run-fuzz $(FUZZ_IOCTLS) $(FUZZ_ARGS)

# The sensitivity of compare on real VM runs: TRIALS (20) comparisons of 5
# boots against 5 for each seeded slowdown (a 10% job delay, a 10% COPY
# throttle); passes when 95% find it. About 6 minutes a trial of both here.
TRIALS ?= 20
bench-sensitivity: deps
	@$(MAKE) --no-print-directory all
	@tests/bench-ab-checks "$(CURDIR)/build/sensitivity" $(TRIALS)

lava: deps
	@vm/install-deps lava
	@$(MAKE) --no-print-directory all
	@lava-jobs/make-lava

check: deps
	@vm/install-deps check
	@$(MAKE) --no-print-directory STRICT=1 all
	@tests/run-checks

# make check's debug-kernel part alone (tests/run-debug-checks): the suite, the
# dmem subtests, a fuzzer pass and seeded defects on the project's debug kernel
# (KASAN, kmemleak, lockdep). Cold, it builds the kernel (about 14 min).
check-debug: deps
	@vm/install-deps check
	@$(MAKE) --no-print-directory STRICT=1 all
	@tests/run-debug-checks

# The suite measured against seeded refaccel defects (tests/mutants/, docs/MUTANTS.md):
# one guest per defect; MUTANTS=003,017 (or a pattern: 'mac-*') for a subset,
# MUTANTS_J=N guests at once (default: one per 2 host cores), MUTANTS_ARGS more
# options (--targeted --first-kill: faster; see tests/mutants/run --help).
mutants: deps
	@$(MAKE) --no-print-directory all
	@tests/mutants/run $(if $(MUTANTS_J),-j $(MUTANTS_J)) $(MUTANTS_ARGS) "$(MUTANTS)"

# KERNEL: the linux-source series (6.12, the default, or 7.2); KUNIT_OUT: where the
# KTAP, JSON and kernel log go (default results/runs/<time>-kunit).
kunit: deps
	@vm/install-deps kunit
	@kunit/run-kunit $(if $(filter 1,$(KUNIT_DEBUG)),--debug) $(if $(KERNEL),--kernel $(KERNEL)) \
		$(if $(KUNIT_OUT),--out $(KUNIT_OUT))

clean:
	rm -rf $(BUILD)
	-vm/kmake reference-driver clean && vm/kmake vm/selftest clean

.PHONY: backends-headers all userspace module deps run bench bench-sensitivity matrix soak fuzz static dist kselftest-install lava check check-debug kunit mutants clean
.SECONDARY:
