/* Event record shared by the BPF programs and the user-space decoder (src/event/raw.rs).
 * Every field has a fixed offset; keep the two sides in step (a unit test checks the size). */
#ifndef RAMPART_EVENT_H
#define RAMPART_EVENT_H

#define COMM_LEN 16
#define PATH_LEN 256
#define PATH2_LEN 128
#define ARGS_LEN 256

enum event_kind {
	EV_EXEC = 1,
	EV_EXIT = 2,
	EV_FORK = 3,
	EV_OPEN = 4,
	EV_CONNECT = 5,
	EV_ACCEPT = 6,
	EV_TCP_STATE = 7,
	EV_SETUID = 8,
	EV_CAPSET = 9,
	EV_MOUNT = 10,
	EV_PTRACE = 11,
	EV_MODULE = 12,
	EV_UNSHARE = 13,
	EV_SETNS = 14,
};

/* flags of EV_EXEC */
#define EXEC_STDIN_SOCKET (1u << 0)
#define EXEC_STDOUT_SOCKET (1u << 1)
#define EXEC_SETUID (1u << 2)

/* flags of EV_OPEN */
#define OPEN_WRITE (1u << 0)

struct event {
	__u64 ts_ns;     /* CLOCK_BOOTTIME */
	__u64 cgroup_id; /* id (inode) of the task's cgroup v2 */
	__u32 kind;
	__u32 pid;  /* thread-group id, host pid namespace */
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 flags;
	__s32 ret;
	__u32 vpid; /* pid in the task's own pid namespace (1 = a container's init) */
	__u32 reserved;
	__u64 arg0;
	__u64 arg1;
	__u64 arg2;
	__u16 family;
	__u16 dport; /* host byte order */
	__u16 sport;
	__u16 pad;
	__u8 daddr[16];
	char comm[COMM_LEN];
	char path[PATH_LEN];
	char path2[PATH2_LEN];
	char args[ARGS_LEN]; /* NUL-separated argv; only sent for exec and mount */
};

#endif
