// Starting a plugin: fork, then only async-signal-safe calls in the child
// until execve. Everything the child needs is prepared by the caller first.
#define _GNU_SOURCE
#include "plugin_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void close_from(int first, int last) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)first, (unsigned)last, 0) == 0) return;
#endif
    if (last > 65535) last = 65535;
    for (int fd = first; fd <= last; fd++) close(fd);
}

static int set_limit(int resource, unsigned long long value) {
    if (value == 0) return 0;
    struct rlimit limit = {(rlim_t)value, (rlim_t)value};
    return setrlimit(resource, &limit);
}

static void fail(int report, int error) {
    ssize_t ignored = write(report, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

int tf_plugin_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
                    const tf_plugin_limits *limits, tf_plugin_child *child) {
    int in[2], out[2], err[2], report[2];
    if (pipe2(in, O_CLOEXEC) != 0) return errno;
    if (pipe2(out, O_CLOEXEC) != 0) { int e = errno; close(in[0]); close(in[1]); return e; }
    if (pipe2(err, O_CLOEXEC) != 0) { int e = errno; close(in[0]); close(in[1]); close(out[0]); close(out[1]); return e; }
    if (pipe2(report, O_CLOEXEC) != 0) {
        int e = errno;
        close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        return e;
    }
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        close(report[0]); close(report[1]);
        return e;
    }
    if (pid == 0) {
        // The child: its own process group, so the whole tree can be signalled at once.
        setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
        if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) fail(report[1], errno);
        int keep = report[1];
        if (keep > 3) {
            close_from(3, keep - 1);
            close_from(keep + 1, 0x7fffffff);
        } else {
            close_from(keep + 1, 0x7fffffff);
        }
        if (directory && chdir(directory) != 0) fail(keep, errno);
        if (set_limit(RLIMIT_CPU, limits->cpu_seconds) != 0) fail(keep, errno);
        if (set_limit(RLIMIT_AS, limits->memory_bytes) != 0) fail(keep, errno);
        if (set_limit(RLIMIT_NPROC, limits->processes) != 0) fail(keep, errno);
        if (set_limit(RLIMIT_FSIZE, limits->file_size_bytes) != 0) fail(keep, errno);
        if (set_limit(RLIMIT_NOFILE, limits->open_files) != 0) fail(keep, errno);
        execve(path, argv, envp);
        fail(keep, errno);
    }
    // The parent: also set the group here, so it exists before anyone signals it.
    setpgid(pid, pid);
    close(in[0]); close(out[1]); close(err[1]); close(report[1]);
    int error = 0;
    ssize_t got;
    do { got = read(report[0], &error, sizeof error); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof error) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        close(in[1]); close(out[0]); close(err[0]);
        return error;
    }
    fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
    fcntl(err[0], F_SETFL, fcntl(err[0], F_GETFL) | O_NONBLOCK);
    child->pid = pid;
    child->stdin_fd = in[1];
    child->stdout_fd = out[0];
    child->stderr_fd = err[0];
    return 0;
}

int tf_exited(int status) { return WIFEXITED(status); }
int tf_exit_status(int status) { return WEXITSTATUS(status); }
int tf_signaled(int status) { return WIFSIGNALED(status); }
int tf_term_signal(int status) { return WTERMSIG(status); }

int tf_wake_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0 ? 0 : errno; }
