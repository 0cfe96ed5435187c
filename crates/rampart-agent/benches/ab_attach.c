/* Paired A/B overhead of BPF program sets, for docs/benchmarks/agent.md.
 *
 *   ab_attach OBJ[,OBJ2...] WORKLOAD N ROUNDS NAME=PROGS[@K]...
 *
 * Loads each OBJ once (libbpf), drains their `events` ring buffers on a thread, then for each
 * round and each NAME=PROGS (comma-separated program names, `all` or `none`, of object K,
 * default 0: so the same programs before and after a change compare in one run) attaches them,
 * runs `chrt -f 10 ./storm WORKLOAD N` (TMPDIR=$AB_TMPDIR or /tmp) and detaches them again.
 * Configurations alternate within every round, so the machine's load drifts hit all of them
 * alike; `ab_pair.py` turns the output into per-round paired ratios against `none`.
 * Prints "round name seconds programs-attached" lines. Root only; loopback only.
 * Build: cc -O2 -o ab_attach ab_attach.c -lbpf -lpthread */
#include <bpf/libbpf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int stop;
static long received;

static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx, (void)data, (void)size;
	received++;
	return 0;
}

static void *drain(void *rb)
{
	while (!stop) {
		ring_buffer__poll(rb, 20);
		ring_buffer__consume(rb);
	}
	return NULL;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static int wanted(const char *progs, const char *name)
{
	if (!strcmp(progs, "all"))
		return 1;
	size_t n = strlen(name);
	for (const char *p = progs; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, name, n))
			return 1;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: ab_attach OBJ WORKLOAD N ROUNDS NAME=PROGS...\n");
		return 2;
	}
	libbpf_set_print(quiet);
	struct bpf_object *objs[8];
	int nobjs = 0;
	struct ring_buffer *rb = NULL;
	for (char *path = strtok(argv[1], ","); path && nobjs < 8; path = strtok(NULL, ",")) {
		struct bpf_object *obj = bpf_object__open_file(path, NULL);
		if (!obj || bpf_object__load(obj)) {
			fprintf(stderr, "cannot load %s\n", path);
			return 1;
		}
		struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");
		if (!events) {
			fprintf(stderr, "no `events` ring buffer in %s\n", path);
			return 1;
		}
		if (!rb)
			rb = ring_buffer__new(bpf_map__fd(events), on_record, NULL, NULL);
		else
			ring_buffer__add(rb, bpf_map__fd(events), on_record, NULL);
		objs[nobjs++] = obj;
	}
	if (!rb)
		return 1;
	pthread_t thread;
	pthread_create(&thread, NULL, drain, rb);
	const char *tmp = getenv("AB_TMPDIR") ? getenv("AB_TMPDIR") : "/tmp";
	int rounds = atoi(argv[4]);
	for (int round = 0; round < rounds; round++) {
		for (int c = 5; c < argc; c++) {
			char name[256];
			const char *eq = strchr(argv[c], '=');
			if (!eq || (size_t)(eq - argv[c]) >= sizeof(name)) {
				fprintf(stderr, "bad configuration %s\n", argv[c]);
				return 2;
			}
			memcpy(name, argv[c], eq - argv[c]);
			name[eq - argv[c]] = 0;
			char progs[4096];
			snprintf(progs, sizeof(progs), "%s", eq + 1);
			char *at = strchr(progs, '@');
			int k = at ? atoi(at + 1) : 0;
			if (at)
				*at = 0;
			if (k < 0 || k >= nobjs) {
				fprintf(stderr, "no object %d\n", k);
				return 2;
			}
			struct bpf_object *obj = objs[k];
			struct bpf_link *links[128];
			int nlinks = 0;
			struct bpf_program *prog;
			bpf_object__for_each_program(prog, obj)
			{
				if (nlinks < 128 && wanted(progs, bpf_program__name(prog))) {
					struct bpf_link *l = bpf_program__attach(prog);
					if (l)
						links[nlinks++] = l;
				}
			}
			usleep(50000);
			char cmd[1024];
			snprintf(cmd, sizeof(cmd), "TMPDIR=%s chrt -f 10 ./storm %s %s", tmp, argv[2],
				 argv[3]);
			FILE *f = popen(cmd, "r");
			double secs = -1;
			if (!f || fscanf(f, "%lf", &secs) != 1)
				secs = -1;
			if (f)
				pclose(f);
			for (int i = 0; i < nlinks; i++)
				bpf_link__destroy(links[i]);
			printf("%d %s %.4f %d\n", round, name, secs, nlinks);
			fflush(stdout);
		}
	}
	stop = 1;
	pthread_join(thread, NULL);
	fprintf(stderr, "records received: %ld\n", received);
	return 0;
}
