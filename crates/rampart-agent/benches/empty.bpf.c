// SPDX-License-Identifier: (Apache-2.0 OR GPL-2.0)
/* Programs that return at once, on the agent's hot attachment points: what attaching costs
 * before a program does anything (tracepoint dispatch, the slow syscall path), for
 * ab_attach.c. Build: clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I<dir of vmlinux.h> -c */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int empty_openat(void *ctx) { return 0; }
SEC("tracepoint/syscalls/sys_enter_connect")
int empty_connect(void *ctx) { return 0; }
SEC("tracepoint/syscalls/sys_exit_accept")
int empty_accept_exit(void *ctx) { return 0; }
SEC("tracepoint/syscalls/sys_exit_accept4")
int empty_accept4_exit(void *ctx) { return 0; }
SEC("tp_btf/inet_sock_set_state")
int empty_tcp_state(void *ctx) { return 0; }
/* The alternative to per-syscall tracepoints: one program on every system call. */
SEC("tp_btf/sys_enter")
int empty_sys_enter(void *ctx) { return 0; }
