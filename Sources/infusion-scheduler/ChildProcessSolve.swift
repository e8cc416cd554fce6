import Foundation
import InfusionScheduler

/// Runs each benchmark solve as `infusion-scheduler solve` in a child process of its own, so
/// that the peak memory measured (the child's `ru_maxrss` from `wait4`) belongs to that solve
/// alone: the process's runtime, the day's decoding and the solve, nothing left by an earlier one.
///
/// The seconds come from the child's schedule file (`solver.seconds`), which times the solve
/// without process start-up and decoding.
struct ChildProcessSolve {
    /// The executable to run (this program).
    let executable: String
    /// A directory for the children's schedule files and error output.
    let scratch: URL

    /// A failed child solve.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The path of the running executable.
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// The solve function for ``BenchRunner``.
    var solve: BenchRunner.Solve {
        let executable = executable, scratch = scratch
        return { day, method, timeLimit in
            guard let path = day.path else { throw Failure(description: "\(day.name): no day file to hand to a child process") }
            let stem = "\(day.name).\(method.rawValue)"
            let output = scratch.appendingPathComponent(stem + ".schedule.json").path
            let errors = scratch.appendingPathComponent(stem + ".stderr").path
            let (status, maxRSSKiB) = try ChildProcessSolve.run(executable, ["solve", path, "--method", method.rawValue,
                                                            "--time-limit", String(timeLimit), "--output", output], stderr: errors)
            guard status == 0 else {
                let why = (try? String(contentsOfFile: errors, encoding: .utf8))?
                    .split(separator: "\n").first.map(String.init) ?? "no message"
                throw Failure(description: "\(day.name): the \(method.rawValue) solve exited with \(status): \(why)")
            }
            let schedule = try Schedule.load(path: output)
            return BenchMeasurement(schedule: schedule, peakMemoryBytes: maxRSSKiB * 1024)
        }
    }

    /// Spawns `executable` with `arguments`, stdout to /dev/null and stderr to `stderr`, waits
    /// for it and returns its exit status and peak resident set in KiB (Linux `ru_maxrss`).
    private static func run(_ executable: String, _ arguments: [String], stderr: String) throws -> (Int32, Int) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): error \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "waiting for a child solve failed: error \(errno)") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), Int(usage.ru_maxrss))
    }
}
