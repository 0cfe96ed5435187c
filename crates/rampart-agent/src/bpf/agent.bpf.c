// SPDX-License-Identifier: (Apache-2.0 OR GPL-2.0)
/* Rampart's kernel side: tracepoints only (kprobes, fentry and BPF-LSM are not assumed).
 *
 * Each handler filters in the kernel, fills one `struct event` in a per-CPU scratch slot and
 * copies it to the ring buffer with bpf_ringbuf_output(). A failed copy is counted in `stats`
 * (index STAT_DROPPED), so user space can report every lost event. */
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

/* accept4/accept: the peer-address pointer saved at entry, read at exit. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} accept_args SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);
	if (v)
		*v += 1;
}

/* The task's pid as seen inside its own (innermost) pid namespace. */
static __always_inline __u32 task_vpid(struct task_struct *task)
{
	struct pid *p = BPF_CORE_READ(task, thread_pid);
	if (!p)
		return 0;
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid up = {};
	if (level > 31)
		return 0;
	bpf_probe_read_kernel(&up, sizeof(up), &p->numbers[level]);
	return up.nr;
}

/* The per-CPU scratch event; NULL for the agent's own threads (their activity must not feed
 * back into the stream). */
static __always_inline struct event *scratch_event(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (agent_tgid != 0 && tgid == agent_tgid)
		return NULL;
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch, &zero);
}

/* Fills the common header. Called after the kind-specific filter, so filtered-out calls cost
 * only the filter. Leaves path, path2 and args to the caller. */
static __always_inline void fill(struct event *e, __u32 kind)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 uid_gid = bpf_get_current_uid_gid();
	e->ts_ns = bpf_ktime_get_boot_ns();
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->kind = kind;
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;
	e->vpid = task_vpid(task);
	e->reserved = 0;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/* Clears the kind-specific fields. */
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
	e->path[0] = 0;
	e->path2[0] = 0;
	e->args[0] = 0;
}

/* A fresh event with its header filled; NULL when the caller must ignore the task. */
static __always_inline struct event *begin(__u32 kind)
{
	struct event *e = scratch_event();
	if (!e)
		return NULL;
	clear(e);
	fill(e, kind);
	return e;
}

/* Wake the consumer only when the queue crosses this much; below it, user space drains on a
 * short timer. Waking per event (or per event above a threshold) would charge every traced
 * syscall an interrupt. A wakeup lost to a race is covered by the same timer. */
#define WAKEUP_BYTES (256 * 1024)

/* Sends `size` bytes of the event; every failure is counted as a drop. */
static __always_inline void submit(void *ctx, struct event *e, __u64 size)
{
	count(STAT_EMITTED);
	__u64 queued = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 flags = queued < WAKEUP_BYTES && queued + size >= WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP
									     : BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, e, size, flags) != 0)
		count(STAT_DROPPED);
}

#define SHORT_SIZE __builtin_offsetof(struct event, args)
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
	unsigned int loc = BPF_CORE_READ(ctx, __data_loc_filename) & 0xFFFF;
	bpf_probe_read_kernel_str(e->path, sizeof(e->path), (void *)ctx + loc);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned long arg_start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long arg_end = BPF_CORE_READ(task, mm, arg_end);
	unsigned long len = arg_end - arg_start;
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
	__u32 euid = BPF_CORE_READ(task, cred, euid.val);
	__u32 ruid = BPF_CORE_READ(task, cred, uid.val);
	if (euid != ruid)
		e->flags |= EXEC_SETUID;
	e->arg1 = euid;
	submit(ctx, e, FULL_SIZE);
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
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	e->ret = BPF_CORE_READ(task, exit_code) >> 8;
	submit(ctx, e, HDR_SIZE);
	return 0;
}

/* BPF_PROG reads the raw arguments as a plain u64 array (no CO-RE relocation on the
 * flexible `args[]` of struct bpf_raw_tracepoint_args). */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_pid = BPF_CORE_READ(child, pid);
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
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

static __always_inline int on_open(void *ctx, const char *filename, __u64 flags)
{
	struct event *e = scratch_event();
	if (!e)
		return 0;
	if (bpf_probe_read_user_str(e->path, sizeof(e->path), filename) <= 0)
		return 0;
	bool write = (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
	if (write) {
		if (boring_write(e->path))
			return 0;
	} else if (!sensitive_read(e->path)) {
		return 0;
	}
	/* Kept: fill the rest around the path already read. */
	e->flags = write ? OPEN_WRITE : 0;
	e->ret = 0;
	e->arg0 = flags;
	e->arg1 = 0;
	e->arg2 = 0;
	e->family = 0;
	e->dport = 0;
	e->sport = 0;
	__builtin_memset(e->daddr, 0, sizeof(e->daddr));
	e->path2[0] = 0;
	fill(e, EV_OPEN);
	submit(ctx, e, OPEN_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int handle_openat(struct trace_event_raw_sys_enter *ctx)
{
	return on_open(ctx, (const char *)BPF_CORE_READ(ctx, args[1]), BPF_CORE_READ(ctx, args[2]));
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int handle_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)BPF_CORE_READ(ctx, args[2]));
	return on_open(ctx, (const char *)BPF_CORE_READ(ctx, args[1]), how.flags);
}

/* Copies a user sockaddr into the event: family, port, address or unix path. */
static __always_inline bool read_sockaddr(struct event *e, const void *addr)
{
	__u16 family = 0;
	if (!addr || bpf_probe_read_user(&family, sizeof(family), addr) != 0)
		return false;
	e->family = family;
	if (family == AF_INET) {
		struct sockaddr_in sin = {};
		bpf_probe_read_user(&sin, sizeof(sin), addr);
		e->dport = bpf_ntohs(sin.sin_port);
		__builtin_memcpy(e->daddr, &sin.sin_addr.s_addr, 4);
		return true;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 sin6 = {};
		bpf_probe_read_user(&sin6, sizeof(sin6), addr);
		e->dport = bpf_ntohs(sin6.sin6_port);
		__builtin_memcpy(e->daddr, &sin6.sin6_addr, 16);
		return true;
	}
	if (family == AF_UNIX) {
		/* sun_path starts after the 2-byte family; abstract sockets start with NUL. */
		bpf_probe_read_user_str(e->path, 108, addr + 2);
		return e->path[0] != 0;
	}
	return false;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int handle_connect(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_CONNECT);
	if (!e)
		return 0;
	e->arg0 = BPF_CORE_READ(ctx, args[0]);
	if (!read_sockaddr(e, (const void *)BPF_CORE_READ(ctx, args[1])))
		return 0;
	submit(ctx, e, e->family == AF_UNIX ? OPEN_SIZE : HDR_SIZE);
	return 0;
}

static __always_inline int accept_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 addr = BPF_CORE_READ(ctx, args[1]);
	if (addr)
		bpf_map_update_elem(&accept_args, &tid, &addr, BPF_ANY);
	return 0;
}

static __always_inline int accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *addr = bpf_map_lookup_elem(&accept_args, &tid);
	if (!addr)
		return 0;
	__u64 uaddr = *addr;
	bpf_map_delete_elem(&accept_args, &tid);
	long ret = BPF_CORE_READ(ctx, ret);
	if (ret < 0)
		return 0;
	struct event *e = begin(EV_ACCEPT);
	if (!e)
		return 0;
	e->ret = ret;
	if (!read_sockaddr(e, (const void *)uaddr))
		return 0;
	submit(ctx, e, e->family == AF_UNIX ? OPEN_SIZE : HDR_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_accept")
int handle_accept_enter(struct trace_event_raw_sys_enter *ctx) { return accept_enter(ctx); }
SEC("tracepoint/syscalls/sys_exit_accept")
int handle_accept_exit(struct trace_event_raw_sys_exit *ctx) { return accept_exit(ctx); }
SEC("tracepoint/syscalls/sys_enter_accept4")
int handle_accept4_enter(struct trace_event_raw_sys_enter *ctx) { return accept_enter(ctx); }
SEC("tracepoint/syscalls/sys_exit_accept4")
int handle_accept4_exit(struct trace_event_raw_sys_exit *ctx) { return accept_exit(ctx); }

/* TCP listen() and active opens; both transitions run in the owning task's context. A raw
 * tracepoint: the classic one builds its whole record before the filter below can run, and this
 * tracepoint fires about ten times per connection. */
SEC("raw_tp/inet_sock_set_state")
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
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (e->family == AF_INET) {
		__u32 daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(e->daddr, &daddr, 4);
	} else {
		BPF_CORE_READ_INTO(&e->daddr, sk, __sk_common.skc_v6_daddr);
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
	e->arg0 = BPF_CORE_READ(ctx, args[0]);
	e->arg1 = nargs > 1 ? BPF_CORE_READ(ctx, args[1]) : (__u64)-1;
	e->arg2 = nargs > 2 ? BPF_CORE_READ(ctx, args[2]) : (__u64)-1;
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
	bpf_probe_read_user(&data, sizeof(data), (void *)BPF_CORE_READ(ctx, args[1]));
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
	bpf_probe_read_user_str(e->path, sizeof(e->path), (void *)BPF_CORE_READ(ctx, args[0]));
	bpf_probe_read_user_str(e->path2, sizeof(e->path2), (void *)BPF_CORE_READ(ctx, args[1]));
	bpf_probe_read_user_str(e->args, 64, (void *)BPF_CORE_READ(ctx, args[2]));
	e->arg0 = BPF_CORE_READ(ctx, args[3]);
	submit(ctx, e, FULL_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_ptrace")
int handle_ptrace(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_PTRACE);
	if (!e)
		return 0;
	e->arg0 = BPF_CORE_READ(ctx, args[0]);
	e->arg1 = BPF_CORE_READ(ctx, args[1]);
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
	e->arg0 = BPF_CORE_READ(ctx, args[1]);
	bpf_probe_read_user_str(e->path, sizeof(e->path), (void *)BPF_CORE_READ(ctx, args[2]));
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
	e->arg0 = BPF_CORE_READ(ctx, args[0]);
	bpf_probe_read_user_str(e->path, sizeof(e->path), (void *)BPF_CORE_READ(ctx, args[1]));
	submit(ctx, e, OPEN_SIZE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_unshare")
int handle_unshare(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e = begin(EV_UNSHARE);
	if (!e)
		return 0;
	e->arg0 = BPF_CORE_READ(ctx, args[0]);
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
	int fd = BPF_CORE_READ(ctx, args[0]);
	e->arg0 = fd;
	e->arg1 = BPF_CORE_READ(ctx, args[1]);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *f = NULL;
	if (fds && fd >= 0 && fd < 1024 && bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) == 0 && f) {
		e->arg2 = BPF_CORE_READ(f, f_inode, i_ino);
	}
	submit(ctx, e, HDR_SIZE);
	return 0;
}
