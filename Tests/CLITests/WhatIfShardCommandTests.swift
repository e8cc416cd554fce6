import Foundation
import Testing
import TestSupport

/// `whatif --shard K/N` and `whatif-merge` as separate processes, and the batch-engine scripts
/// of deploy/ that run them (docs/WHATIF.md, "Big sweeps on a batch engine").
@Suite struct WhatIfShardCommandTests {
    /// A small greedy sweep: base, a listed change and a 2-point grid, on 2 synthetic days (8 runs).
    static let sweep = ["--profile", "small", "--seeds", "2", "--close", "18:30", "--grid", "chairs.recliner=-1,1", "--method", "greedy"]

    /// What a process did.
    struct Ran: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A command that did not exit 0.
    struct Failed: Error, CustomStringConvertible {
        var arguments: [String]
        var ran: Ran
        var description: String { "\(arguments.joined(separator: " ")) exited \(ran.status): \(ran.stderr)" }
    }

    /// Runs the built infusion-scheduler.
    static func cli(_ arguments: [String]) throws -> Ran {
        let out = try CLIRunner.run(arguments)
        return Ran(status: out.status, stdout: out.stdout, stderr: out.stderr)
    }

    /// Runs any program (found on PATH) with `arguments`; `environment` is added to this process's.
    static func runProgram(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Ran {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Ran(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `count` commands at once, each in its own process, and returns their outputs in order.
    static func concurrently(_ count: Int, _ run: @escaping @Sendable (Int) throws -> Ran) throws -> [Ran] {
        let box = Box(count)
        DispatchQueue.concurrentPerform(iterations: count) { k in box.set(k, Result { try run(k) }) }
        return try box.results.map { try $0!.get() }
    }

    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<Ran, any Error>?]
        init(_ count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ k: Int, _ result: Result<Ran, any Error>) { lock.lock(); slots[k] = result; lock.unlock() }
        var results: [Result<Ran, any Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
    }

    /// The unsharded report in every format, and its chart, written to `dir`.
    static func unsharded(in dir: URL) throws -> (md: String, csv: String, json: String, svg: String) {
        var texts: [String] = []
        for format in ["md", "csv", "json"] {
            let chart = dir.appendingPathComponent("whole.svg").path
            let whole = try Self.cli(["whatif"] + sweep + ["--format", format, "--chart", chart])
            guard whole.status == 0 else { throw Failed(arguments: sweep, ran: whole) }
            texts.append(whole.stdout)
        }
        let svg = try String(contentsOfFile: dir.appendingPathComponent("whole.svg").path, encoding: .utf8)
        return (texts[0], texts[1], texts[2], svg)
    }

    /// Four shards as four processes at once, merged: the unsharded output byte for byte, in
    /// markdown, CSV and JSON, and the same chart.
    @Test func fourShardsInFourProcessesMergeToTheUnshardedOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = try Self.unsharded(in: dir)
        let parts = (0..<4).map { dir.appendingPathComponent("part-\($0).json").path }
        let shards = try Self.concurrently(4) { k in
            try Self.cli(["whatif"] + Self.sweep + ["--jobs", "1", "--shard", "\(k)/4", "--output", parts[k]])
        }
        for (k, shard) in shards.enumerated() {
            #expect(shard.status == 0, "shard \(k): \(shard.stderr)")
            #expect(shard.stdout.isEmpty)
            #expect(shard.stderr.contains("shard \(k)/4: 2 of the 8 runs"), "\(shard.stderr)")
        }
        // The parts come in any order.
        let shuffled = [parts[2], parts[0], parts[3], parts[1]]
        let chart = dir.appendingPathComponent("merged.svg").path
        let md = try Self.cli(["whatif-merge"] + shuffled + ["--chart", chart])
        #expect(md.status == 0, "\(md.stderr)")
        #expect(md.stdout == whole.md)
        #expect(md.stderr.contains("merged 4 part(s): 8 runs of 4 scenario(s) x 2 day(s)"), "\(md.stderr)")
        #expect(try String(contentsOfFile: chart, encoding: .utf8) == whole.svg)
        let csv = try Self.cli(["whatif-merge", "--format", "csv"] + parts)
        #expect(csv.status == 0 && csv.stdout == whole.csv, "\(csv.stderr)")
        let output = dir.appendingPathComponent("merged.json").path
        let json = try Self.cli(["whatif-merge", "--format", "json", "--output", output] + parts)
        #expect(json.status == 0 && json.stdout.isEmpty, "\(json.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == whole.json)
        #expect(whole.md.contains("| chairs.recliner=+1 |") && whole.json.contains("\"perDay\""))
    }

    @Test func mismatchedMissingAndRepeatedPartsExitTwoNamingTheFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func shard(_ name: String, _ spec: String, _ sweep: [String] = Self.sweep) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let out = try Self.cli(["whatif"] + sweep + ["--shard", spec, "--output", path])
            guard out.status == 0 else { throw Failed(arguments: sweep, ran: out) }
            return path
        }
        let parts = try (0..<4).map { try shard("part-\($0).json", "\($0)/4") }
        func refused(_ files: [String], _ expected: [String]) throws {
            let out = try Self.cli(["whatif-merge"] + files)
            #expect(out.status == 2, "\(files): \(out.stderr)")
            #expect(out.stdout.isEmpty)
            for text in expected { #expect(out.stderr.contains(text), "expected \(text) in: \(out.stderr)") }
        }
        try refused([parts[0], parts[1], parts[3]], ["shard.index", "1 of the 4 shards", "missing: 2/4"])
        try refused(parts + [parts[2]], [parts[2] + ": shard.index: shard 2/4 is given twice: also " + parts[2]])
        let half = try shard("half-1.json", "1/2")
        try refused([parts[0], half, parts[2], parts[3]], [half + ": shard.count: a part of a sweep in 2 shards, but " + parts[0]])
        let other = try shard("other-3.json", "3/4", Self.sweep.map { $0 == "18:30" ? "19:00" : $0 })
        try refused([parts[0], parts[1], parts[2], other], [other + ": sweep: a part of another sweep than " + parts[0]])
        let report = dir.appendingPathComponent("report.json").path
        try Data(Self.cli(["whatif"] + Self.sweep + ["--format", "json"]).stdout.utf8).write(to: URL(fileURLWithPath: report))
        try refused([report], [report + ": format: expected \"infusion-whatif-part/1\""])
        try refused([dir.appendingPathComponent("absent.json").path], ["absent.json: (document): no such file"])

        // Bad --shard values and report options with --shard are usage errors.
        for bad in ["4/4", "1/0", "-1/4", "x"] {
            let out = try Self.cli(["whatif"] + Self.sweep + ["--shard=" + bad])
            #expect(out.status == 2 && out.stderr.contains("--shard expects K/N"), "\(bad): \(out.stderr)")
        }
        let format = try Self.cli(["whatif"] + Self.sweep + ["--shard", "0/2", "--format", "csv"])
        #expect(format.status == 2 && format.stderr.contains("give --format and --chart to whatif-merge"), "\(format.stderr)")
        let empty = try Self.cli(["whatif-merge"])
        #expect(empty.status == 2)
    }

    /// A mip sweep on the clock warns that its merged report may not be the unsharded one.
    @Test func shardingAMipSweepOnTheClockWarns() throws {
        let args = ["whatif", "--day", TestFiles.instance("small-1.json"), "--method", "mip", "--time-limit", "0.5", "--shard", "0/1"]
        let clock = try Self.cli(args)
        #expect(clock.status == 0 && clock.stderr.contains("--deterministic makes every run reproducible"), "\(clock.stderr)")
        let paced = try Self.cli(args + ["--deterministic", "--work", "0.05"])
        #expect(paced.status == 0 && !paced.stderr.contains("warning"), "\(paced.stderr)")
        #expect(paced.stdout.contains("\"pace\":\"deterministic\""))
    }

    // MARK: The batch engines

    static var root: URL { TestFiles.packageRoot }
    static var binDirectory: String { CLIRunner.binary.deletingLastPathComponent().path }

    /// The Slurm scripts, run as Slurm runs them (an array task sees SLURM_ARRAY_TASK_ID and
    /// SLURM_ARRAY_TASK_COUNT): four shard tasks at once, then the merge job.
    @Test func theSlurmScriptsRunTheShardsAndMerge() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for script in ["whatif-shard.sbatch", "whatif-merge.sbatch", "submit-whatif.sh"] {
            let syntax = try Self.runProgram("bash", ["-n", Self.root.appendingPathComponent("deploy/slurm/" + script).path])
            #expect(syntax.status == 0, "\(script): \(syntax.stderr)")
        }
        let whole = try Self.unsharded(in: dir)
        let parts = dir.appendingPathComponent("parts").path
        let binary = ["INFUSION_SCHEDULER": CLIRunner.binary.path]
        let shardScript = Self.root.appendingPathComponent("deploy/slurm/whatif-shard.sbatch").path
        let tasks = try Self.concurrently(4) { k in
            try Self.runProgram("bash", [shardScript, parts] + Self.sweep,
                                environment: binary.merging(["SLURM_ARRAY_TASK_ID": "\(k)", "SLURM_ARRAY_TASK_COUNT": "4",
                                                             "SLURM_ARRAY_TASK_MIN": "0"]) { $1 })
        }
        for (k, task) in tasks.enumerated() { #expect(task.status == 0, "task \(k): \(task.stderr)") }
        let report = dir.appendingPathComponent("report.csv").path
        let merge = try Self.runProgram("bash", [Self.root.appendingPathComponent("deploy/slurm/whatif-merge.sbatch").path,
                                                 parts, "4", report, "--format", "csv"], environment: binary)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try String(contentsOfFile: report, encoding: .utf8) == whole.csv)
        // With a part gone the merge job fails, naming it.
        try FileManager.default.removeItem(atPath: parts + "/part-2.json")
        let broken = try Self.runProgram("bash", [Self.root.appendingPathComponent("deploy/slurm/whatif-merge.sbatch").path,
                                                  parts, "4", report], environment: binary)
        #expect(broken.status == 2 && broken.stderr.contains("part-2.json"), "\(broken.stderr)")
    }

    /// submit-whatif.sh queues the array over 0..N-1 and the merge behind it with afterok; a
    /// stand-in sbatch on PATH records what it is asked.
    @Test func theSlurmSubmitScriptChainsTheMergeAfterTheArray() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("sbatch.log").path
        let fake = dir.appendingPathComponent("sbatch")
        try Data("""
        #!/bin/bash
        n=$(( $(wc -l < "\(log)" 2>/dev/null || echo 0) + 1 ))
        printf '%s\\n' "$*" >> "\(log)"
        echo "$((4100 + n));cluster1"

        """.utf8).write(to: fake)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let path = dir.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let out = try Self.runProgram("bash", [Self.root.appendingPathComponent("deploy/slurm/submit-whatif.sh").path,
                                               "16", "/shared/parts", "/shared/report.md", "--merge", "--chart /shared/report.svg",
                                               "--", "--scenarios", "/shared/sweep.json", "--deterministic"],
                                      environment: ["PATH": path])
        #expect(out.status == 0, "\(out.stderr)")
        let calls = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(calls.count == 2)
        let scripts = Self.root.appendingPathComponent("deploy/slurm").path
        #expect(calls.first == "--parsable --array=0-15 \(scripts)/whatif-shard.sbatch /shared/parts --scenarios /shared/sweep.json --deterministic")
        #expect(calls.last == "--parsable --dependency=afterok:4101 \(scripts)/whatif-merge.sbatch /shared/parts 16 /shared/report.md --chart /shared/report.svg")
        #expect(out.stdout.contains("shards: job 4101") && out.stdout.contains("merge: job 4102"))
    }

    /// Whether python3 with PyYAML is at hand to read the manifests (the test needs no network).
    static let yamlAvailable: Bool = (try? runProgram("python3", ["-c", "import yaml"]).status) == 0

    /// The Kubernetes manifests: an Indexed Job whose completions match SHARDS, a merge Job; and
    /// their container commands, run here as the pods would run them (JOB_COMPLETION_INDEX set by
    /// the Job controller), merge to the unsharded output.
    @Test(.enabled(if: yamlAvailable, "needs python3 with PyYAML to read the manifests"))
    func theKubernetesManifestsRunTheShardsAndMerge() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Each Job as {kind, name, completionMode, completions, parallelism, env, command, args}.
        let reader = """
        import json, sys, yaml
        out = []
        for path in sys.argv[1:]:
            for doc in yaml.safe_load_all(open(path)):
                entry = {"kind": doc["kind"], "name": doc["metadata"]["name"]}
                if doc["kind"] == "Job":
                    spec = doc["spec"]
                    c = spec["template"]["spec"]["containers"][0]
                    entry.update(completionMode=spec.get("completionMode", "NonIndexed"), completions=spec.get("completions"),
                                 parallelism=spec.get("parallelism"), restartPolicy=spec["template"]["spec"]["restartPolicy"],
                                 env={e["name"]: e["value"] for e in c.get("env", [])}, command=c["command"], args=c["args"],
                                 mounts=sorted(m["mountPath"] for m in c.get("volumeMounts", [])))
                out.append(entry)
        print(json.dumps(out))
        """
        let manifests = ["whatif-shards.yaml", "whatif-merge.yaml"].map { Self.root.appendingPathComponent("deploy/kubernetes/" + $0).path }
        let read = try Self.runProgram("python3", ["-c", reader] + manifests)
        #expect(read.status == 0, "\(read.stderr)")
        let docs = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: Any]])
        #expect(docs.map { $0["kind"] as? String } == ["PersistentVolumeClaim", "Job", "Job"])
        let shards = docs[1], merge = docs[2]
        let env = try #require(shards["env"] as? [String: String])
        #expect(shards["completionMode"] as? String == "Indexed")
        #expect(shards["completions"] as? Int == Int(env["SHARDS"] ?? ""), "completions must equal SHARDS")
        #expect((shards["parallelism"] as? Int ?? 0) >= 1 && shards["restartPolicy"] as? String == "Never")
        #expect((merge["env"] as? [String: String])?["SHARDS"] == env["SHARDS"])
        #expect(shards["mounts"] as? [String] == ["/parts", "/plan"] && merge["mounts"] as? [String] == ["/parts"])

        // The pods' commands, with the volumes as local folders and 4 shards instead of the manifest's N.
        let plan = dir.appendingPathComponent("sweep.json")
        try Data(#"""
        {"format": "infusion-whatif/1", "base": {"profile": "small", "seeds": 2}, "method": "greedy",
         "scenarios": [{"name": "close 18:30", "close": "18:30"}], "grid": [{"vary": "chairs.recliner", "values": [-1, 1]}]}
        """#.utf8).write(to: plan)
        let parts = dir.appendingPathComponent("parts")
        try FileManager.default.createDirectory(at: parts, withIntermediateDirectories: true)
        let path = Self.binDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let local = ["PLAN": plan.path, "PARTS": parts.path, "SHARDS": "4", "PATH": path]
        func command(_ job: [String: Any]) throws -> [String] {
            let command = try #require(job["command"] as? [String]), args = try #require(job["args"] as? [String])
            return Array(command.dropFirst()) + args
        }
        let shardCommand = try command(shards), mergeCommand = try command(merge)
        let pods = try Self.concurrently(4) { k in
            try Self.runProgram("sh", shardCommand, environment: local.merging(["JOB_COMPLETION_INDEX": "\(k)"]) { $1 })
        }
        for (k, pod) in pods.enumerated() { #expect(pod.status == 0, "pod \(k): \(pod.stderr)") }
        let merged = try Self.runProgram("sh", mergeCommand, environment: local)
        #expect(merged.status == 0, "\(merged.stderr)")

        let whole = try Self.cli(["whatif", "--scenarios", plan.path])
        let wholeJSON = try Self.cli(["whatif", "--scenarios", plan.path, "--format", "json"])
        #expect(whole.status == 0 && !whole.stdout.isEmpty)
        #expect(merged.stdout == whole.stdout)
        #expect(try String(contentsOf: parts.appendingPathComponent("report.md"), encoding: .utf8) == whole.stdout)
        #expect(try String(contentsOf: parts.appendingPathComponent("report.json"), encoding: .utf8) == wholeJSON.stdout)
        #expect(FileManager.default.fileExists(atPath: parts.appendingPathComponent("report.svg").path))
        let syntax = try Self.runProgram("sh", ["-n", Self.root.appendingPathComponent("deploy/kubernetes/run-sweep.sh").path])
        #expect(syntax.status == 0, "\(syntax.stderr)")
    }
}
