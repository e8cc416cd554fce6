import ArgumentParser
import Foundation

import InfusionScheduler
import SchedulingSolvers

/// The command line of SPEC §6: thin commands that parse, call the library and print.
@main
struct InfusionSchedulerCLI {
    /// Whether errors go to stderr as JSON objects (`--error-format json`, any position).
    nonisolated(unsafe) static var jsonErrors = false

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        jsonErrors = ErrorFormat.take(from: &arguments) == .json
        // The CLI tests' seam for GLPK errors (docs/ARCHITECTURE.md, "GLPK errors").
        if ProcessInfo.processInfo.environment[GLPKFaultSeam.environmentVariable] == "callback" {
            GLPKFaultSeam.armForEverySolve()
        }
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            try command.run()
        } catch let error as InputError {
            fail("error: \(error)", code: 2, input: error)
        } catch let error as SchedulingError {
            // SPEC §6: 3 when fixed bookings provably cannot all hold, 70 for a library bug.
            switch error {
            case .fixedBookingsConflict: fail("error: \(error)", code: 3)
            case .invalidSchedule, .solverFailed: fail("error: \(error)", code: 70)
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = RootCommand.exitCode(for: error)
            let message = RootCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            // Usage errors are bad input: exit 2 as the contract says, not ArgumentParser's 64.
            fail(message.isEmpty ? "error: \(error)" : message, code: code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// Writes the error (as text, or as one JSON object with `--error-format json`) and exits with `code`.
    static func fail(_ message: String, code: Int32, input: InputError? = nil) -> Never {
        if jsonErrors {
            let object: JSONValue = .object([
                ("file", input?.file.map { .string($0) } ?? .null),
                ("path", input.map { .string($0.path) } ?? .null),
                ("kind", input.map { .string($0.kind.rawValue) } ?? .null),
                ("message", .string(input?.message ?? message)),
                ("exitCode", .int(Int(code))),
            ])
            FileHandle.standardError.write(Data((object.compact() + "\n").utf8))
        } else {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        Foundation.exit(code)
    }
}

/// How errors are written: text lines (the default) or one JSON object per error, for nightly
/// jobs written in other languages. The option is read before the command line is parsed, so
/// that errors of the parse itself follow it too.
enum ErrorFormat: String {
    case text, json

    /// Removes `--error-format VALUE` (or `--error-format=VALUE`) from `arguments`; an unknown value is a usage error.
    static func take(from arguments: inout [String]) -> ErrorFormat {
        var format = ErrorFormat.text
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            var value: String?
            if a == "--error-format", i + 1 < arguments.count {
                value = arguments[i + 1]
                arguments.removeSubrange(i...(i + 1))
            } else if a.hasPrefix("--error-format=") {
                value = String(a.dropFirst("--error-format=".count))
                arguments.remove(at: i)
            } else {
                i += 1
                continue
            }
            guard let v = value.flatMap(ErrorFormat.init(rawValue:)) else {
                InfusionSchedulerCLI.fail("error: --error-format must be text or json", code: 2)
            }
            format = v
        }
        return format
    }
}

struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusion-scheduler",
        abstract: "Build and check the next day's schedule of an infusion center.",
        version: LibraryVersion.current,
        subcommands: [SolveCommand.self, ValidateCommand.self, GenerateCommand.self, RenderCommand.self,
                      RescheduleCommand.self, ValidateReplanCommand.self, WhatIfCommand.self, WhatIfMergeCommand.self, BenchCommand.self,
                      ValidateBookingsCommand.self, GenerateHorizonCommand.self, RenderHorizonCommand.self,
                      OffersCommand.self, BookCommand.self, SimulateCommand.self])
}

/// Writes `text` to `path`, or to stdout when `path` is nil.
func emit(_ text: String, to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw InputError(file: path, path: "", message: "cannot write the output file")
    }
}

/// Writes a line to stderr.
func note(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension SolveMethod: ExpressibleByArgument {}
extension DayProfile: ExpressibleByArgument {}

/// Loads a day file (`-`: standard input), warning on stderr about keys SPEC §4 does not define
/// (they are ignored, so a misspelt optional field would otherwise change nothing silently).
func loadDay(_ path: String) throws -> Day {
    guard path == "-" else {
        let day = try Day.load(path: path)
        warnAboutUnknownKeys(in: path, Day.unknownKeys(in:))
        return day
    }
    let data = FileHandle.standardInput.readDataToEndOfFile()
    guard data.count <= 64 << 20 else {
        throw InputError(file: "<stdin>", path: "", message: "input is larger than 64 MiB", kind: .unreadable)
    }
    let day = try Day.decode(data, file: "<stdin>")
    for key in Day.unknownKeys(in: data).prefix(20) { note("warning: <stdin>: \(key): unknown key, ignored") }
    return day
}

/// Loads an events file, warning on stderr about keys SPEC §7 does not define for where they stand.
func loadEvents(_ path: String) throws -> EventsFile {
    let events = try EventsFile.load(path: path)
    warnAboutUnknownKeys(in: path, EventsFile.unknownKeys(in:))
    return events
}

/// Prints the first 20 unknown keys `find` reports in the file at `path` (then how many more) as warnings.
func warnAboutUnknownKeys(in path: String, _ find: (Data) -> [String]) {
    guard let data = FileManager.default.contents(atPath: path) else { return }
    let unknown = find(data)
    for key in unknown.prefix(20) { note("warning: \(path): \(key): unknown key, ignored") }
    if unknown.count > 20 { note("warning: \(path): \(unknown.count - 20) more unknown keys, ignored") }
}
