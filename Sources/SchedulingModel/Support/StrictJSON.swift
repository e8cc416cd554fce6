import Foundation

/// The checks Foundation's JSON readers leave out, run over the raw bytes before decoding.
///
/// `JSONDecoder` and `JSONSerialization` on Linux accept an object that repeats a key (one of
/// the values silently wins) and a comma before `]` or `}`. A file that says `"slotMinutes"`
/// twice means two things, so every JSON input is read strictly: a duplicate key (compared
/// after unescaping, so `"a"` and `"\u0061"` are one key) or a trailing comma is an
/// ``InputError`` naming the JSON path (`requests[3].window.earliest`, or the array or object
/// holding the comma).
///
/// Only these two faults are reported. At anything else the scan stops without a verdict and
/// leaves the bytes to the decoder, which names its own syntax errors.
package enum StrictJSON {
    /// Deeper nesting than this is left to the decoder (which has its own limit).
    static let maximumDepth = 512

    /// Throws an ``InputError`` (attributed to `file`) for the first duplicate key or trailing comma.
    package static func check(_ data: Data, file: String?) throws {
        if let error = firstProblem(in: data) { throw error.inFile(file) }
    }

    /// The first duplicate key or trailing comma in `data`, or nil when there is none (or the
    /// bytes stop being JSON before one).
    static func firstProblem(in data: Data) -> InputError? {
        data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.run()
        }
    }

    /// One open array or object.
    private struct Level {
        var isObject: Bool
        /// Object keys seen so far.
        var keys: Set<String> = []
        /// The key of the member being read (objects).
        var key = ""
        /// The index of the element being read (arrays).
        var index = 0
    }

    /// The JSON path of the value being read in the innermost of `levels` (the path of the
    /// container itself when `levels` ends with its parent), built only for a message.
    private static func path(_ levels: ArraySlice<Level>) -> String {
        var out = ""
        for level in levels {
            out += level.isObject ? Day.pathComponent(level.key, first: out.isEmpty) : "[\(level.index)]"
        }
        return out
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        private static let comma = UInt8(ascii: ","), colon = UInt8(ascii: ":")
        private static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
        private static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return
                }
            }
        }

        /// Reads a string starting at its opening quote; nil when it does not end.
        mutating func string() -> String? {
            i += 1
            let start = i
            var escaped = false
            while i < bytes.count {
                let b = bytes[i]
                if b == Self.quote {
                    let body = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    i += 1
                    return escaped ? Self.unescape(body) : String(decoding: body, as: UTF8.self)
                }
                if b == Self.backslash { escaped = true; i += 2; continue }
                i += 1
            }
            return nil
        }

        /// Skips a number or literal (`true`, `false`, `null`); false when nothing is there.
        mutating func scalar() -> Bool {
            let start = i
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0A, 0x0D, Self.comma, Self.colon, Self.closeBrace, Self.closeBracket,
                     Self.openBrace, Self.openBracket, Self.quote:
                    return i > start
                default: i += 1
                }
            }
            return i > start
        }

        /// Scans the document; the first problem found, or nil.
        mutating func run() -> InputError? {
            var stack: [Level] = []
            // Expecting a value (after `[`, `,` in an array, `:`, or at the top).
            var expectValue = true
            // A byte-order mark is skipped; anything else unusual is the decoder's business.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
            skipSpace()
            while i < bytes.count {
                let b = bytes[i]
                if expectValue {
                    switch b {
                    case Self.openBrace, Self.openBracket:
                        guard stack.count < StrictJSON.maximumDepth else { return nil }
                        i += 1
                        stack.append(Level(isObject: b == Self.openBrace))
                        skipSpace()
                        guard i < bytes.count else { return nil }
                        if bytes[i] == (b == Self.openBrace ? Self.closeBrace : Self.closeBracket) {
                            i += 1
                            stack.removeLast()
                            expectValue = false
                        } else if b == Self.openBrace {
                            guard bytes[i] == Self.quote, let problem = member(&stack) else { return nil }
                            if case .failure(let error) = problem { return error }
                        }
                    case Self.quote:
                        guard string() != nil else { return nil }
                        expectValue = false
                    case Self.comma, Self.colon, Self.closeBrace, Self.closeBracket:
                        return nil
                    default:
                        guard scalar() else { return nil }
                        expectValue = false
                    }
                    skipSpace()
                    continue
                }
                // After a value: a comma, or the end of the container.
                guard var level = stack.popLast() else { return nil }  // text after the document
                switch b {
                case Self.comma:
                    i += 1
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    let next = bytes[i]
                    if next == Self.closeBrace || next == Self.closeBracket {
                        let what = level.isObject ? "object" : "array"
                        return InputError(path: StrictJSON.path(stack[...]), message: "trailing comma before the end of the \(what) (JSON allows none)",
                                          kind: .malformed)
                    }
                    if level.isObject {
                        stack.append(level)
                        guard next == Self.quote, let problem = member(&stack) else { return nil }
                        if case .failure(let error) = problem { return error }
                        expectValue = true
                    } else {
                        level.index += 1
                        stack.append(level)
                        expectValue = true
                    }
                case level.isObject ? Self.closeBrace : Self.closeBracket:
                    i += 1
                    expectValue = false
                default:
                    return nil
                }
                skipSpace()
            }
            return nil
        }

        /// Reads `"key":` of an object member at the top of `stack`, recording the key; a
        /// failure for a duplicate key, nil when the bytes are not a member.
        mutating func member(_ stack: inout [Level]) -> Result<Void, InputError>? {
            guard let key = string() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == Self.colon else { return nil }
            i += 1
            skipSpace()
            let top = stack.count - 1
            stack[top].key = key
            guard stack[top].keys.insert(key).inserted else {
                return .failure(InputError(path: StrictJSON.path(stack[...]), message: "duplicate key: an object names each key once", kind: .malformed))
            }
            return .success(())
        }

        /// The text of a string body with its escapes resolved (a bad escape is kept as written:
        /// the decoder reports it).
        static func unescape(_ body: UnsafeBufferPointer<UInt8>) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(body.count)
            var utf16: [UInt16] = []
            func flushUTF16() {
                guard !utf16.isEmpty else { return }
                out.append(contentsOf: Array(String(decoding: utf16, as: UTF16.self).utf8))
                utf16.removeAll()
            }
            var k = 0
            while k < body.count {
                let b = body[k]
                guard b == backslash, k + 1 < body.count else { flushUTF16(); out.append(b); k += 1; continue }
                let e = body[k + 1]
                if e == UInt8(ascii: "u"), k + 6 <= body.count,
                   let unit = UInt16(String(decoding: UnsafeBufferPointer(rebasing: body[(k + 2)..<(k + 6)]), as: UTF8.self), radix: 16) {
                    utf16.append(unit)
                    k += 6
                    continue
                }
                flushUTF16()
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                default: out.append(e)  // \" \\ \/
                }
                k += 2
            }
            flushUTF16()
            return String(decoding: out, as: UTF8.self)
        }
    }
}
