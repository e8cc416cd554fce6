import Foundation

/// A JSON value whose objects keep their keys in the order they were written, so that files
/// come out in the order the contract shows them and byte for byte the same on every run.
package indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }
    package func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// Pretty-printed JSON with one-space indentation and a trailing newline.
    package func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out += "\n"
        return out
    }

    /// JSON on one line, without a trailing newline (for line-by-line streams: progress, errors).
    package func compact() -> String {
        switch self {
        case .array(let items): return "[" + items.map { $0.compact() }.joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { key, value in
                var k = ""
                JSONValue.quote(key, into: &k)
                return k + ":" + value.compact()
            }.joined(separator: ",") + "}"
        default:
            var out = ""
            write(into: &out, indent: 0)
            return out
        }
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSONValue.format(d)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Short arrays of scalars (time windows, notify lists) stay on one line.
            if items.count <= 8, items.allSatisfy(\.isScalar) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(into: &out, indent: indent)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 1)
                item.write(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += String(repeating: " ", count: indent + 1)
                JSONValue.quote(key, into: &out)
                out += ": "
                value.write(into: &out, indent: indent + 1)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// Numbers are rounded to 1e-6 so that float noise never changes a file; integral values
    /// print with one decimal (`1021.0`), others in Swift's shortest round-trip form.
    package static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        let rounded = (d * 1e6).rounded() / 1e6
        if rounded == 0 { return "0.0" }
        return String(describing: rounded)
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Encodes any `Encodable` into a ``JSONValue`` keeping keys in the order `encode(to:)` writes them.
package enum OrderedJSONEncoder {
    /// The value as an ordered JSON tree.
    package static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = TreeEncoder(codingPath: [])
        try value.encode(to: encoder)
        return encoder.storage.value
    }

    /// The value as pretty-printed, deterministic JSON text.
    package static func string<T: Encodable>(_ value: T) throws -> String {
        try encode(value).rendered()
    }
}

/// A mutable box that containers fill in after the parent has taken a reference to it.
private final class Slot {
    enum Content { case empty, single(JSONValue), keyed(KeyedBox), unkeyed(UnkeyedBox) }
    var content: Content = .empty
    var value: JSONValue {
        switch content {
        case .empty: return .null
        case .single(let v): return v
        case .keyed(let box): return .object(box.members.map { ($0.0, $0.1.value) })
        case .unkeyed(let box): return .array(box.items.map(\.value))
        }
    }
}

private final class KeyedBox { var members: [(String, Slot)] = [] }
private final class UnkeyedBox { var items: [Slot] = [] }

private struct TreeEncoder: Encoder {
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let storage: Slot

    init(codingPath: [any CodingKey], storage: Slot = Slot()) {
        self.codingPath = codingPath
        self.storage = storage
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: KeyedBox
        if case .keyed(let existing) = storage.content { box = existing } else { box = KeyedBox(); storage.content = .keyed(box) }
        return KeyedEncodingContainer(KeyedContainer<Key>(codingPath: codingPath, box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: UnkeyedBox
        if case .unkeyed(let existing) = storage.content { box = existing } else { box = UnkeyedBox(); storage.content = .unkeyed(box) }
        return UnkeyedContainer(codingPath: codingPath, box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(codingPath: codingPath, slot: storage) }
}

private func scalar<T: Encodable>(_ value: T, path: [any CodingKey]) throws -> JSONValue {
    switch value {
    case let v as Bool: return .bool(v)
    case let v as Int: return .int(v)
    case let v as Double: return .double(v)
    case let v as String: return .string(v)
    default:
        let slot = Slot()
        try value.encode(to: TreeEncoder(codingPath: path, storage: slot))
        return slot.value
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var codingPath: [any CodingKey]
    let box: KeyedBox

    private func slot(for key: Key) -> Slot {
        if let index = box.members.firstIndex(where: { $0.0 == key.stringValue }) { return box.members[index].1 }
        let slot = Slot()
        box.members.append((key.stringValue, slot))
        return slot
    }

    mutating func encodeNil(forKey key: Key) throws { slot(for: key).content = .single(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        slot(for: key).content = .single(try scalar(value, path: codingPath + [key]))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(codingPath: codingPath + [key], storage: slot(for: key)).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(codingPath: codingPath + [key], storage: slot(for: key)).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TreeEncoder(codingPath: codingPath, storage: Slot()) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(codingPath: codingPath + [key], storage: slot(for: key)) }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "Index \(intValue!)" }
    var intValue: Int?
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    var codingPath: [any CodingKey]
    let box: UnkeyedBox
    var count: Int { box.items.count }

    private func append() -> Slot { let s = Slot(); box.items.append(s); return s }

    mutating func encodeNil() throws { append().content = .single(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [IndexKey(count)]
        append().content = .single(try scalar(value, path: path))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [IndexKey(count)]
        return TreeEncoder(codingPath: path, storage: append()).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [IndexKey(count)]
        return TreeEncoder(codingPath: path, storage: append()).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TreeEncoder(codingPath: codingPath, storage: append()) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    var codingPath: [any CodingKey]
    let slot: Slot
    mutating func encodeNil() throws { slot.content = .single(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { slot.content = .single(try scalar(value, path: codingPath)) }
}
