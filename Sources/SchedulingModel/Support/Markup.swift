/// A small writer of XML markup for the day picture: elements with ordered attributes,
/// text escaped for XML, and numbers in one fixed, locale-free form.
///
/// Attribute order follows the call, never a dictionary, so that the same picture is always
/// the same bytes.
package struct Markup {
    /// The markup written so far.
    package private(set) var text = ""

    package init() {}

    /// Opens `name` with `attributes`, written in the order given.
    package mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<" + name + Self.attributeList(attributes) + ">"
    }

    /// Closes `name`.
    package mutating func close(_ name: String) { text += "</" + name + ">\n" }

    /// Writes an element without content.
    package mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        text += "<" + name + Self.attributeList(attributes) + "/>\n"
    }

    /// Writes an element holding `content` as escaped text.
    package mutating func element(_ name: String, _ attributes: [(String, String)] = [], content: String) {
        text += "<" + name + Self.attributeList(attributes) + ">" + Self.escape(content) + "</" + name + ">\n"
    }

    /// Writes markup that is already well formed (a fixed style sheet, a prologue).
    package mutating func raw(_ markup: String) { text += markup }

    private static func attributeList(_ attributes: [(String, String)]) -> String {
        var out = ""
        for (key, value) in attributes { out += " " + key + "=\"" + escape(value) + "\"" }
        return out
    }

    /// Escapes `s` for XML text and attribute values.
    ///
    /// Ids are opaque strings and may hold anything; characters XML 1.0 cannot carry at all
    /// (most control characters, lone surrogates are impossible in Swift strings, U+FFFE and
    /// U+FFFF) become U+FFFD so that the document stays well formed.
    package static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            case "\r": out += "&#13;"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `v` rounded to tenths, without trailing zeros (`12`, `12.5`, `-0.5`).
    package static func num(_ v: Double) -> String { fixed(v, digits: 1, trim: true) }

    /// `v` with `digits` decimals, written without locale (`2.00`); with `trim`, trailing zeros go.
    package static func fixed(_ v: Double, digits: Int, trim: Bool = false) -> String {
        guard v.isFinite else { return "n/a" }
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(v) * Double(scale)).rounded()
        guard scaled < 1e17 else { return v < 0 ? "-huge" : "huge" }
        let units = Int(scaled)
        let whole = units / scale
        let sign = (v < 0 && units != 0) ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        var fractionDigits = String(units % scale)
        fractionDigits = String(repeating: "0", count: digits - fractionDigits.count) + fractionDigits
        if trim {
            while fractionDigits.hasSuffix("0") { fractionDigits.removeLast() }
            if fractionDigits.isEmpty { return sign + String(whole) }
        }
        return sign + String(whole) + "." + fractionDigits
    }
}
