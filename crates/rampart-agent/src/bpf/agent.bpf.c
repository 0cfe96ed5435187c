// SPDX-License-Identifier: (Apache-2.0 OR GPL-2.0)
/* Rampart's kernel side: tracepoints only (kprobes, fentry and BPF-LSM are not assumed).
 *
 * Each handler tests its filter first, before any helper call it can avoid; kept events are
 * filled in a per-CPU scratch slot (task fields through the BTF task pointer, with plain loads)
 * and copied to the ring buffer with bpf_ringbuf_output(), cut to the bytes their kind uses.
 * A failed copy is counted in `stats` (index STAT_DROPPED), so user space can report every lost
 * event.
 *
 * Cost model (docs/benchmarks/agent.md): every traced syscall pays the tracepoint dispatch and
 * an indirect call into its program even when the program returns at once, so the number of
 * programs a hot path runs matters as much as what they do. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "event.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The user-space decoder (src/event/raw.rs) reads fixed offsets. */
_Static_assert(sizeof(struct event) == 760, "struct event size changed: update raw.rs");
_Static_assert(__builtin_offsetof(struct event, args) == 504, "struct event layout changed");
_Static_assert(__builtin_offsetof(struct event, comm) == 104, "struct event layout changed");

#define STAT_EMITTED 0
#define STAT_DROPPED 1
#define STAT_MAX 2

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_TRUNC 01000
#define TCP_SYN_SENT 2
#define TCP_CLOSE 7
#define TCP_LISTEN 10

/* Set by the loader: the agent's own tgid, so its output writes do not feed back. */
const volatile __u32 agent_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 * 1024 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct event);
} scratch SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);
	if (v)
		*v += 1;
}

/* The task's pid as seen inside its own (innermost) pid namespace. `thread_pid` and `level` are
 * plain loads through the BTF pointer; only the variably indexed `numbers[level]` needs a
 * probe read (the verifier rejects variable offsets into BTF objects). */
static __always_inline __u32 task_vpid(struct task_struct *task)
{
	struct pid *p = task->thread_pid;
	if (!p)
		return 0;
	unsigned int level = p->level;
	struct upid up = {};
	if (level > 31)
		return 0;
	bpf_probe_read_kernel(&up, sizeof(up), &p->numbers[level]);
	return up.nr;
}

/* Whether the calling task is the agent itself (its activity must not feed back into the
 * stream). Tested first in every handler: one helper call, no memory touched. */
static __always_inline bool is_agent(__u64 pid_tgid)
{
	return agent_tgid != 0 && (pid_tgid >> 32) == agent_tgid;
}

/* The per-CPU scratch event (never NULL in practice; the verifier wants the check). */
static __always_inline struct event *scratch_slot(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch, &zero);
}

/* Fills the common header. Called after the kind-specific filter, so filtered-out calls cost
 * only the filter. Task fields are read through the BTF task pointer (plain loads, no
 * bpf_probe_read per field). Leaves path, path2 and args to the caller. */
static __always_inline void fill(struct event *e, __u32 kind, __u64 pid_tgid)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 uid_gid = bpf_get_current_uid_gid();
	e->ts_ns = bpf_ktime_get_boot_ns();
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->kind = kind;
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->ppid = task->real_parent->tgid;
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;
	e->vpid = task_vpid(task);
	e->reserved = 0;
	e->pad = 0;
	__builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
}

/* Clears the kind-specific fixed fields (not the strings). */
static __always_inline void clear(struct event *e)
{
	e->flags = 0;
	e->ret = 0;
	e->arg0 = 0;
	e->arg1 = 0;
	e->arg2 = 0;
	e->family = 0;
	e->dport = 0;
	e->sport = 0;
	__builtin_memset(e->daddr, 0, sizeof(e->daddr));
}

/* A fresh event with its header filled; NULL when the caller must ignore the task. */
static __always_inline struct event *begin(__u32 kind)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (is_agent(pid_tgid))
		return NULL;
	struct event *e = scratch_slot();
	if (!e)
		return NULL;
	clear(e);
	e->path[0] = 0;
	e->path2[0] = 0;
	e->args[0] = 0;
	fill(e, kind, pid_tgid);
	return e;
}

/* Wake the consumer only when the queue crosses this much; below it, user space drains on a
 * short timer. Waking per event (or per event above a threshold) would charge every traced
 * syscall an interrupt. A wakeup lost to a race is covered by the same timer. */
#define WAKEUP_BYTES (256 * 1024)

/* Sends the first `size` bytes of the event; every failure is counted as a drop. */
static __always_inline void submit(void *ctx, struct event *e, __u64 size)
{
	count(STAT_EMITTED);
	__u64 queued = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 flags = queued < WAKEUP_BYTES && queued + size >= WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP
									     : BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, e, size, flags) != 0)
		count(STAT_DROPPED);
}

#define ARGS_OFF __builtin_offsetof(struct event, args)
/* Events without strings stop before `path`; opens stop before `path2`. */
#define HDR_SIZE __builtin_offsetof(struct event, path)
#define OPEN_SIZE __builtin_offsetof(struct event, path2)
#define FULL_SIZE sizeof(struct event)

static __always_inline bool fd_is_socket(struct task_struct *task, int fd)
{
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *f = NULL;
	if (!fds || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) != 0 || !f)
		return false;
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	return (mode & S_IFMT) == S_IFSOCK;
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct event *e = begin(EV_EXEC);
	if (!e)
		return 0;
	unsigned int loc = ctx->__data_loc_filename & 0xFFFF;
	bpf_probe_read_kernel_str(e->path, sizeof(e->path), (void *)ctx + loc);
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;
	if (!mm)
		return 0;
	unsigned long arg_start = mm->arg_start;
	unsigned long len = mm->arg_end - arg_start;
	if (len > ARGS_LEN - 1)
		len = ARGS_LEN - 1;
	len &= (ARGS_LEN - 1);
	if (bpf_probe_read_user(e->args, len, (void *)arg_start) == 0)
		e->args[len] = 0;
	else
		e->args[0] = 0;
	e->arg0 = len;
	if (fd_is_socket(task, 0))
		e->flags |= EXEC_STDIN_SOCKET;
	if (fd_is_socket(task, 1))
		e->flags |= EXEC_STDOUT_SOCKET;
	const struct cred *cred = task->cred;
	__u32 euid = cred->euid.val;
	__u32 ruid = cred->uid.val;
	if (euid != ruid)
		e->flags |= EXEC_SETUID;
	e->arg1 = euid;
	/* Up to the end of the argv bytes copied (the decoder reads `arg0` of them). */
	submit(ctx, e, ARGS_OFF + len + 1);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(struct trace_event_raw_sched_process_template *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((__u32)pid_tgid != (pid_tgid >> 32))
		return 0; /* a thread, not the process */
	struct event *e = begin(EV_EXIT);
	if (!e)
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	e->ret = task->exit_code >> 8;
	submit(ctx, e, HDR_SIZE);
	return 0;
}

/* A BTF tracepoint: the arguments are typed kernel pointers, read with plain loads. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_pid = child->pid;
	__u32 child_tgid = child->tgid;
	if (child_pid != child_tgid)
		return 0; /* a new thread */
	struct event *e = begin(EV_FORK);
	if (!e)
		return 0;
	e->arg0 = child_tgid;
	submit(ctx, e, HDR_SIZE);
	return 0;
}

/* Absolute paths whose mere reading is worth an event. */
static __always_inline bool prefix(const char *s, const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] != p[i])
			return false;
	return true;
}

#define HAS(s, lit) prefix(s, lit, sizeof(lit) - 1)

static __always_inline bool sensitive_read(const char *p)
{
	if (p[0] != '/')
		return false;
	return HAS(p, "/etc/shadow") || HAS(p, "/etc/gshadow") || HAS(p, "/etc/sudoers") ||
	       HAS(p, "/etc/kubernetes/") || HAS(p, "/var/run/secrets/") ||
	       HAS(p, "/run/secrets/") || HAS(p, "/root/.ssh/") || HAS(p, "/var/lib/kubelet/") ||
	       HAS(p, "/var/run/docker.sock") || HAS(p, "/run/docker.sock") ||
	       HAS(p, "/run/containerd/") || HAS(p, "/var/run/containerd/") ||
	       HAS(p, "/run/crio/") || HAS(p, "/var/run/crio/") || HAS(p, "/proc/sys/kernel/") ||
	       HAS(p, "/sys/fs/cgroup/");
}

/* Writes that are pure noise on every host. */
static __always_inline bool boring_write(const char *p)
{
	return HAS(p, "/dev/null") || HAS(p, "/dev/tty") || HAS(p, "/dev/pts/");
}

/* A record that ends with a string of `n` bytes (NUL included) read into `path`: only the
 * used part is sent, so a typical open costs a third of the fixed-size record. */
static __always_inline __u64 path_size(long n)
{
	if (n < 1)
		n = 1;
	if (n > PATH_LEN)
		n = PATH_LEN;
	return HDR_SIZE + n;
}

#define WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)

static __always_inline int on_open(void *ctx, const char *filename, __u64 flags)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (is_agent(pid_tgid))
		return 0;
	struct event *e = scratch_slot();
	if (!e)
		return 0;
	long n = bpf_probe_read_user_str(e->path, sizeof(e->path), filename);
	if (n <= 0)
		return 0;
	bool write = (flags & WRITE_FLAGS) != 0;
	if (write ? boring_write(e->path) : !sensitive_read(e->path))
		return 0;
	/* Kept: fill the rest around the path already read. */
	clear(e);
	e->flags = write ? OPEN_WRITE : 0;
	e->arg0 = flags;
	fill(e, EV_OPEN, pid_tgid);
	submit(ctx, e, path_size(n));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int handle_openat(struct trace_event_raw_sys_enter *ctx)
{
	return on_open(ctx, (const char *)ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int handle_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]);
	return on_open(ctx, (const char *)ctx->args[1], how.flags);
}

/* A user sockaddr as copied to the stack; large enough for the inet families. */
union sa_buf {
	__u16 family;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

/* Sets family, port and address from a copied sockaddr, or reads the unix path (abstract
 * sockets start with NUL and are not reported). Returns the record size to send, 0 to drop. */
static __always_inline __u64 sockaddr_event(struct event *e, const union sa_buf *sa,
					    const void *uaddr)
{
	__u16 family = sa->family;
	e->family = family;
	if (family == AF_INET) {
		e->dport = bpf_ntohs(sa->sin.sin_port);
		__builtin_memcpy(e->daddr, &sa->sin.sin_addr.s_addr, 4);
		return HDR_SIZE;
	}
	if (family == AF_INET6) {
		e->dport = bpf_ntohs(sa->sin6.sin6_port);
		__builtin_memcpy(e->daddr, &sa->sin6.sin6_addr, 16);
		return HDR_SIZE;
	}
	if (family == AF_UNIX) {
		/* sun_path starts after the 2-byte family. */
		long n = bpf_probe_read_user_str(e->path, 108, uaddr + 2);
		return n > 1 && e->path[0] != 0 ? path_size(n) : 0;
	}
	return 0;
}

/* connect(fd, addr, addrlen): one copy of the address, bounded by the caller's length, and
 * the family test before anything else is filled. */
SEC("tracepoint/syscalls/sys_enter_connect")
int handle_connect(struct trace_event_raw_sys_enter *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (is_agent(pid_tgid))
		return 0;
	const void *uaddr = (const void *)ctx->args[1];
	__u64 len = ctx->args[2];
	if (!uaddr || len < sizeof(__u16))
		return 0;
	if (len > sizeof(union sa_buf))
		len = sizeof(union sa_buf);
	union sa_buf sa = {};
	if (bpf_probe_read_user(&sa, len, uaddr) != 0)
		return 0;
	if (sa.family != AF_INET && sa.family != AF_INET6 && sa.family != AF_UNIX)
		return 0;
	struct event *e = scratch_slot();
	if (!e)
		return 0;
	clear(e);
	e->arg0 = ctx->args[0];
	__u64 size = sockaddr_event(e, &sa, uaddr);
	if (!size)
		return 0;
	fill(e, EV_CONNECT, pid_tgid);
	submit(ctx, e, size);
	return 0;
}

/* accept/accept4 at syscall exit, when the kernel has written the peer's address. The
 * address pointer is the call's second argument, still in the task's saved registers, so no
 * entry program (and no map keyed by thread) is needed: one program run per accept. Without a
 * peer-address buffer there is nothing to report. */
static __always_inline int accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	if (ret < 0)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (is_agent(pid_tgid))
		return 0;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	const void *uaddr = (const void *)PT_REGS_PARM2_SYSCALL(regs);
	if (!uaddr)
		return 0;
	/* The family says how much to copy. */
	union sa_buf sa = {};
	if (bpf_probe_read_user(&sa.family, sizeof(sa.family), uaddr) != 0)
		return 0;
	if (sa.family == AF_INET)
		bpf_probe_read_user(&sa.sin, sizeof(sa.sin), uaddr);
	else if (sa.family == AF_INET6)
		bpf_probe_read_user(&sa.sin6, sizeof(sa.sin6), uaddr);
	else if (sa.family != AF_UNIX)
		return 0;
	struct event *e = scratch_slot();
	if (!e)
		return 0;
	clear(e);
	e->ret = ret;
	__u64 size = sockaddr_event(e, &sa, uaddr);
	if (!size)
		return 0;
	fill(e, EV_ACCEPT, pid_tgid);
	submit(ctx, e, size);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept")
int handle_accept_exit(struct trace_event_raw_sys_exit *ctx) { return accept_exit(ctx); }
SEC("tracepoint/syscalls/sys_exit_accept4")
int handle_accept4_exit(struct trace_event_raw_sys_exit *ctx) { return accept_exit(ctx); }

/* TCP listen() and active opens; both transitions run in the owning task's context. A BTF
 * tracepoint: the classic one builds its whole record before the filter below can run, this
 * tracepoint fires about ten times per connection, and the socket's fields are plain loads. */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(handle_tcp_state, struct sock *sk, int oldstate, int newstate)
{
	bool listen = newstate == TCP_LISTEN;
	bool active_open = oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT;
	if (!listen && !active_open)
		return 0;
	struct event *e = begin(EV_TCP_STATE);
	if (!e)
		return 0;
	e->arg0 = oldstate;
	e->arg1 = newstate;
	__u16 family = sk->__sk_common.skc_family;
	e->family = family;
	e->sport = sk->__sk_common.skc_num;
	e->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	if (family == AF_INET) {
		__u32 daddr = sk->__sk_common.skc_daddr;
		__builtin_memcpy(e->daddr, &daddr, 4);
	} else {
		__builtin_memcpy(e->daddr, &sk->__sk_common.skc_v6_daddr, 16);
	}
	submit(ctx, e, HDR_SIZE);
	return 0;
}

/* setuid family: arg0..arg2 carry the requested ids, `ret` which syscall (0 setuid, 1 setreuid,
 * 2 setresuid, 3 setfsuid). */
static __always_inline int on_setuid(struct trace_event_raw_sys_enter *ctx, int which, int nargs)
{
	struct event *e = begin(EV_SETUID);
	if (!e)
		return 0;
	e->ret = which;
	e->flags = nargs;
	e->arg0 = ctx->args[0];
	e->arg1 = nargs > 1 ? ctx->args[1] : (__u64)-1;
	e->arg2 = nargs > 2 ? ctx->args[2] : (__u64)-1;
	submit(ctx, e, HDR_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_setuid")
int handle_setuid(struct trace_event_raw_sys_enter *ctx) { return on_setuid(ctx, 0, 1); }
SEC("tracepoint/syscalls/sys_enter_setreuid")
int handle_setreuid(struct trace_event_raw_sys_enter *ctx) { return on_setuid(ctx, 1, 2); }
SEC("tracepoint/syscalls/sys_enter_setresuid")
int handle_setresuid(struct trace_event_raw_sys_enter *ctx) { return on_setuid(ctx, 2, 3); }
SEC("tracepoint/syscalls/sys_enter_setfsuid")
int handle_setfsuid(struct trace_event_raw_sys_enter *ctx) { return on_setuid(ctx, 3, 1); }

SEC("tracepoint/syscalls/sys_enter_capset")
int handle_capset(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_CAPSET);
	if (!e)
		return 0;
	struct {
		__u32 effective, permitted, inheritable;
	} data[2] = {};
	bpf_probe_read_user(&data, sizeof(data), (void *)ctx->args[1]);
	e->arg0 = ((__u64)data[1].effective << 32) | data[0].effective;
	e->arg1 = ((__u64)data[1].permitted << 32) | data[0].permitted;
	submit(ctx, e, HDR_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_mount")
int handle_mount(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_MOUNT);
	if (!e)
		return 0;
	bpf_probe_read_user_str(e->path, sizeof(e->path), (void *)ctx->args[0]);
	bpf_probe_read_user_str(e->path2, sizeof(e->path2), (void *)ctx->args[1]);
	bpf_probe_read_user_str(e->args, 64, (void *)ctx->args[2]);
	e->arg0 = ctx->args[3];
	submit(ctx, e, FULL_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_ptrace")
int handle_ptrace(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_PTRACE);
	if (!e)
		return 0;
	e->arg0 = ctx->args[0];
	e->arg1 = ctx->args[1];
	submit(ctx, e, HDR_SIZE);
	return 0;
}

/* Module loads; the tracepoints exist only on kernels built with CONFIG_MODULES. */
SEC("tracepoint/syscalls/sys_enter_init_module")
int handle_init_module(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_MODULE);
	if (!e)
		return 0;
	e->arg0 = ctx->args[1];
	bpf_probe_read_user_str(e->path, sizeof(e->path), (void *)ctx->args[2]);
	submit(ctx, e, OPEN_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_finit_module")
int handle_finit_module(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_MODULE);
	if (!e)
		return 0;
	e->flags = 1;
	e->arg0 = ctx->args[0];
	bpf_probe_read_user_str(e->path, sizeof(e->path), (void *)ctx->args[1]);
	submit(ctx, e, OPEN_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_unshare")
int handle_unshare(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_UNSHARE);
	if (!e)
		return 0;
	e->arg0 = ctx->args[0];
	submit(ctx, e, HDR_SIZE);
	return 0;
}

/* setns(fd, nstype): the namespace file's inode says which namespace is being joined. */
SEC("tracepoint/syscalls/sys_enter_setns")
int handle_setns(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_SETNS);
	if (!e)
		return 0;
	int fd = ctx->args[0];
	e->arg0 = fd;
	e->arg1 = ctx->args[1];
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *f = NULL;
	if (fds && fd >= 0 && fd < 1024 && bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) == 0 && f) {
		e->arg2 = BPF_CORE_READ(f, f_inode, i_ino);
	}
	submit(ctx, e, HDR_SIZE);
	return 0;
}
