import Foundation

import SchedulingModel

/// Runs the built `infusion-scheduler` binary, which `swift build --build-tests` puts next to
/// the test bundle.
package struct CLIRunner {
    package struct Output {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    static package var binary: URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [bundleDir, bundleDir.deletingLastPathComponent(), TestFiles.packageRoot.appendingPathComponent(".build/debug")] {
            let candidate = dir.appendingPathComponent("infusion-scheduler")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return TestFiles.packageRoot.appendingPathComponent(".build/debug/infusion-scheduler")
    }

    /// Runs the binary with `arguments`; `input` goes to its standard input, `terminateAfter`
    /// (seconds) sends it SIGTERM then, and `environment` is added to the test's own.
    static package func run(_ arguments: [String], input: Data? = nil, terminateAfter: Double? = nil,
                            environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            DispatchQueue.global().async {
                stdin.fileHandleForWriting.write(input)
                try? stdin.fileHandleForWriting.close()
            }
        }
        if let terminateAfter {
            DispatchQueue.global().asyncAfter(deadline: .now() + terminateAfter) { process.terminate() }
        }
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory for one test.
    static package func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("infusion-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A command that did not exit 0, with what it wrote to stderr.
    package struct Failure: Error, CustomStringConvertible {
        package var arguments: [String]
        package var output: Output
        package var description: String { "\(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)" }
    }

    /// A temporary directory holding medium-1's greedy schedule (the morning of docs/REPLANNING.md).
    package static func solvedMedium() throws -> (dir: URL, schedule: String) {
        let dir = try temporaryDirectory()
        let schedule = dir.appendingPathComponent("schedule.json").path
        let arguments = ["solve", TestFiles.instance("medium-1.json"), "--method", "greedy", "--output", schedule]
        let solved = try run(arguments)
        guard solved.status == 0 else { throw Failure(arguments: arguments, output: solved) }
        return (dir, schedule)
    }
}
