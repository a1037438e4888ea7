#ifndef TICKETFLOW_PLUGIN_SPAWN_H
#define TICKETFLOW_PLUGIN_SPAWN_H

#include <sys/types.h>

/// Resource limits applied in the child before it runs the plugin; 0 leaves one unchanged.
typedef struct {
    unsigned long long cpu_seconds;
    unsigned long long memory_bytes;
    unsigned long long processes;
    unsigned long long file_size_bytes;
    unsigned long long open_files;
} tf_plugin_limits;

/// The child and the parent's ends of its three pipes (non-blocking, close-on-exec).
typedef struct {
    pid_t pid;
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
} tf_plugin_child;

/// Starts `path` with `argv` and exactly `envp` in `directory`, in a process
/// group of its own, with `limits` applied, through fork and execve: no shell.
/// Returns 0, or an errno value (from the parent, or the child's failed
/// chdir/setrlimit/execve, passed back through a close-on-exec pipe).
int tf_plugin_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
                    const tf_plugin_limits *limits, tf_plugin_child *child);

/// A non-blocking, close-on-exec pipe, to wake a thread waiting in `poll`.
int tf_wake_pipe(int fds[2]);

/// The raw `waitpid` status helpers, which are macros in C.
int tf_exited(int status);
int tf_exit_status(int status);
int tf_signaled(int status);
int tf_term_signal(int status);

#endif
