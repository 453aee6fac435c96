import Foundation

/// A preload library, compiled for this test run, that makes a process believe the machine has one CPU: every way
/// libc reports processors (`sysconf`, `get_nprocs`, the affinity masks) says one. On such a machine Swift
/// concurrency's cooperative pool has a single thread, so anything that occupies it stalls every task.
/// (`taskset -c 0` does not narrow the pool here, so the count itself has to be faked.)
enum OneCPUPreload {
    /// The environment that applies it to a child process.
    static var environment: [String: String] {
        get throws { ["LD_PRELOAD": try library.get()] }
    }

    private static let library: Result<String, any Error> = Result { try build() }

    private static let source = #"""
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <pthread.h>
        #include <sched.h>
        #include <string.h>
        #include <sys/sysinfo.h>
        #include <unistd.h>

        long sysconf(int name) {
            static long (*real)(int);
            if (real == NULL) real = (long (*)(int))dlsym(RTLD_NEXT, "sysconf");
            if (name == _SC_NPROCESSORS_ONLN || name == _SC_NPROCESSORS_CONF) return 1;
            return real(name);
        }
        int get_nprocs(void) { return 1; }
        int get_nprocs_conf(void) { return 1; }
        static void first_cpu_only(size_t size, cpu_set_t *set) { memset(set, 0, size); CPU_SET(0, set); }
        int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set) { (void)pid; first_cpu_only(size, set); return 0; }
        int pthread_getaffinity_np(pthread_t thread, size_t size, cpu_set_t *set) {
            (void)thread;
            first_cpu_only(size, set);
            return 0;
        }
        """#

    private static func build() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idv-bff-onecpu-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sourceFile = directory.appendingPathComponent("onecpu.c")
        let library = directory.appendingPathComponent("onecpu.so")
        try source.write(to: sourceFile, atomically: true, encoding: .utf8)
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = ["cc", "-shared", "-fPIC", "-O2", "-o", library.path, sourceFile.path, "-ldl"]
        try compiler.run()
        compiler.waitUntilExit()
        guard compiler.terminationStatus == 0 else { throw OneCPUPreloadError.compilerFailed(compiler.terminationStatus) }
        return library.path
    }
}

enum OneCPUPreloadError: Error {
    case compilerFailed(Int32)
}
