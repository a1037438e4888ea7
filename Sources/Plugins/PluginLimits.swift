/// The resources one plugin process may use, applied with `setrlimit` in the
/// child before it starts the plugin, plus the host's own caps on its output.
///
/// - Important: `RLIMIT_NPROC` counts every process of the user, and the
///   kernel does not apply it to root: run the engine as a dedicated user
///   for the process cap to hold. The CPU limit is CPU time over the whole
///   life of the long-lived process; past it the kernel ends it and the host
///   restarts it. The memory limit is `RLIMIT_AS`, address space rather
///   than resident memory: every thread reserves a stack and, with glibc,
///   up to 64 MiB of malloc arena, so a threaded plugin needs headroom.
public struct PluginLimits: Sendable, Hashable {
    public var cpuSeconds: Int
    public var memoryBytes: Int
    public var processes: Int
    public var fileSizeBytes: Int
    public var openFiles: Int
    /// The longest line the plugin may write to standard output; past it the
    /// plugin is killed (a flood is never buffered).
    public var maxLineBytes: Int
    /// How much of the plugin's standard error is kept for messages.
    public var stderrTailBytes: Int

    public init(
        cpuSeconds: Int = 600, memoryBytes: Int = 1 << 30, processes: Int = 64, fileSizeBytes: Int = 16 << 20,
        openFiles: Int = 256, maxLineBytes: Int = 1 << 20, stderrTailBytes: Int = 4096
    ) {
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.processes = processes
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
        self.maxLineBytes = maxLineBytes
        self.stderrTailBytes = stderrTailBytes
    }
}
