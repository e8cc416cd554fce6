import Foundation

import InfusionScheduler

/// Runs each benchmark solve in a child process of its own (`infusion-scheduler bench
/// --child-solve DAY`), so that the peak memory measured belongs to that solve alone: the
/// process's runtime, the day's decoding and the solve, nothing left by an earlier one.
///
/// The child reports its own high-water mark (`VmHWM` of /proc/self/status) as it ends. The
/// parent cannot read it from `wait4`'s `ru_maxrss`: Linux carries the address space's peak
/// across `execve`, and a spawned child starts in the parent's address space, so every child
/// would report at least the parent's peak, the same figure for every solve.
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
            let peak = scratch.appendingPathComponent(stem + ".peak").path
            let status = try ChildProcessSolve.run(executable, ["bench", "--child-solve", path, "--child-method", method.rawValue,
                                                               "--time-limit", String(timeLimit), "--child-output", output],
                                                   stdout: peak, stderr: errors)
            guard status == 0 else {
                let why = (try? String(contentsOfFile: errors, encoding: .utf8))?
                    .split(separator: "\n").first.map(String.init) ?? "no message"
                throw Failure(description: "\(day.name): the \(method.rawValue) solve exited with \(status): \(why)")
            }
            let schedule = try Schedule.load(path: output)
            let reported = (try? String(contentsOfFile: peak, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            return BenchMeasurement(schedule: schedule, peakMemoryBytes: reported.flatMap { Int($0) })
        }
    }

    /// This process's peak resident memory in bytes (`VmHWM`), nil where /proc does not tell.
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 3, fields[2] == "kB", let kib = Int(fields[1]) else { return nil }
        return kib * 1024
    }

    /// Spawns `executable` with `arguments`, stdout and stderr to the files named, waits for it
    /// and returns its exit status.
    private static func run(_ executable: String, _ arguments: [String], stdout: String, stderr: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "waiting for a child solve failed: error \(errno)") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        let exited = status & 0x7f == 0
        return exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
