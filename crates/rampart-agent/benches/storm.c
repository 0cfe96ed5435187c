/* Load generator for scripts/bench-agent.sh.
 *   storm exec N        fork+execve("/bin/true") N times, waiting for each
 *   storm openconn N    N times: open(O_WRONLY|O_CREAT|O_TRUNC) a file in $TMPDIR, close;
 *                       connect() to a loopback listener, accept, close both
 *   storm syscalls N    N × getppid(): a syscall no program traces, to measure what tracing
 *                       other syscalls costs everyone else (the slow syscall path)
 * Prints the elapsed wall time in seconds on stdout. Loopback only. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int exec_storm(long n)
{
	char *argv[] = {"true", NULL};
	char *envp[] = {NULL};
	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			execve("/bin/true", argv, envp);
			_exit(127);
		}
		if (p < 0 || waitpid(p, NULL, 0) < 0)
			return 1;
	}
	return 0;
}

static int openconn_storm(long n)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[4096];
	snprintf(path, sizeof(path), "%s/rampart-storm-%d", dir, (int)getpid());
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(a);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 128) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return 1;
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			return 1;
		close(fd);
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)))
			return 1;
		int s = accept(l, NULL, NULL);
		if (s < 0)
			return 1;
		/* The accepting side closes first so TIME_WAIT stays on the client's ephemeral port. */
		close(s);
		close(c);
	}
	unlink(path);
	close(l);
	return 0;
}

static int syscalls_storm(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: storm exec|openconn|syscalls N\n");
		return 2;
	}
	long n = atol(argv[2]);
	double t0 = now();
	int rc = strcmp(argv[1], "exec") == 0       ? exec_storm(n)
		 : strcmp(argv[1], "syscalls") == 0 ? syscalls_storm(n)
						    : openconn_storm(n);
	printf("%.4f\n", now() - t0);
	return rc;
}
