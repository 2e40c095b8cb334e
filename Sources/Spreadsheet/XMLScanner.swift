/// A small pull scanner for the XML that spreadsheet files hold: it reads bytes a chunk at a
/// time and hands back one start tag, end tag or text run per call, so a sheet of any length is
/// read with a buffer the size of its largest tag or text (bounded by `maxToken`).
///
/// It is not a general XML parser on purpose: no DTDs, no custom entities (a DOCTYPE is refused,
/// so no entity expansion can blow up), namespaces reduced to local names (`x:row` is `row`),
/// which is all SpreadsheetML needs.
struct XMLScanner {
    enum Event {
        case start(name: [UInt8], attributes: [(name: [UInt8], value: String)], selfClosing: Bool)
        case end(name: [UInt8])
        /// Raw text between tags, entities not yet decoded (most of it is whitespace nobody reads).
        case text([UInt8])
    }

    private let source: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var pos = 0
    private var eof = false
    let maxToken: Int
    let part: String

    init(part: String, maxToken: Int = 4 << 20, source: @escaping () throws -> [UInt8]?) {
        self.part = part
        self.maxToken = maxToken
        self.source = source
    }

    init(part: String, bytes: [UInt8]) {
        var given = false
        self.init(part: part) {
            if given { return nil }
            given = true
            return bytes
        }
    }

    private func malformed(_ detail: String) -> SpreadsheetError { .malformedXML(part: part, detail: detail) }

    /// Makes sure `count` bytes from `pos` are in the buffer, reading more as needed. False at EOF.
    private mutating func fill(_ count: Int) throws -> Bool {
        while buffer.count - pos < count {
            if eof { return false }
            if pos > 0 && pos >= buffer.count / 2 {
                buffer.removeSubrange(0..<pos)
                pos = 0
            }
            if let chunk = try source() { buffer.append(contentsOf: chunk) } else { eof = true }
        }
        return true
    }

    /// Index of `byte` at or after `from`, reading more as needed; nil at EOF.
    private mutating func find(_ byte: UInt8, from: Int) throws -> Int? {
        var i = from
        while true {
            while i < buffer.count {
                if buffer[i] == byte { return i }
                i += 1
            }
            if i - pos > maxToken { throw SpreadsheetError.tooLarge(part: part, limit: maxToken) }
            let offset = i - pos
            if !(try fill(offset + 1)) { return nil }
            i = pos + offset
        }
    }

    /// Index where `pattern` starts at or after `from`, reading more as needed.
    private mutating func find(_ pattern: [UInt8], from: Int) throws -> Int? {
        var i = from
        while let at = try find(pattern[0], from: i) {
            let offset = at - pos
            guard try fill(offset + pattern.count) else { return nil }
            let start = pos + offset
            if Array(buffer[start..<start + pattern.count]) == pattern { return start }
            i = start + 1
        }
        return nil
    }

    mutating func next() throws -> Event? {
        while true {
            guard try fill(1) else { return nil }
            if buffer[pos] != UInt8(ascii: "<") {
                let end = try find(UInt8(ascii: "<"), from: pos) ?? buffer.count
                let text = Array(buffer[pos..<end])
                pos = end
                return .text(text)
            }
            guard try fill(2) else { throw malformed("the file ends inside a tag") }
            switch buffer[pos + 1] {
            case UInt8(ascii: "?"):
                guard let end = try find(Array("?>".utf8), from: pos + 2) else { throw malformed("unclosed <?") }
                pos = end + 2
            case UInt8(ascii: "!"):
                if try fill(4), Array(buffer[pos..<pos + 4]) == Array("<!--".utf8) {
                    guard let end = try find(Array("-->".utf8), from: pos + 4) else { throw malformed("unclosed comment") }
                    pos = end + 3
                } else if try fill(9), Array(buffer[pos..<pos + 9]) == Array("<![CDATA[".utf8) {
                    guard let end = try find(Array("]]>".utf8), from: pos + 9) else { throw malformed("unclosed CDATA") }
                    // CDATA is literal text: escape it so the caller can decode every text alike.
                    let raw = buffer[pos + 9..<end]
                    pos = end + 3
                    var escaped: [UInt8] = []
                    escaped.reserveCapacity(raw.count)
                    for b in raw {
                        if b == UInt8(ascii: "&") { escaped += Array("&amp;".utf8) } else if b == UInt8(ascii: "<") { escaped += Array("&lt;".utf8) } else { escaped.append(b) }
                    }
                    return .text(escaped)
                } else {
                    throw malformed("a DOCTYPE or other declaration is not allowed here")
                }
            case UInt8(ascii: "/"):
                guard let end = try find(UInt8(ascii: ">"), from: pos + 2) else { throw malformed("unclosed end tag") }
                var nameEnd = end
                while nameEnd > pos + 2 && XMLScanner.isSpace(buffer[nameEnd - 1]) { nameEnd -= 1 }
                let name = XMLScanner.localName(buffer[pos + 2..<nameEnd])
                pos = end + 1
                return .end(name: name)
            default:
                return try startTag()
            }
        }
    }

    private mutating func startTag() throws -> Event {
        // A '>' may sit inside a quoted attribute value, so scan the tag with quotes in mind.
        var i = pos + 1
        var quote: UInt8 = 0
        while true {
            if i >= buffer.count {
                let offset = i - pos
                if offset > maxToken { throw SpreadsheetError.tooLarge(part: part, limit: maxToken) }
                guard try fill(offset + 1) else { throw malformed("the file ends inside a tag") }
                i = pos + offset
            }
            let b = buffer[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                break
            }
            i += 1
        }
        let end = i
        var selfClosing = false
        var last = end
        if buffer[end - 1] == UInt8(ascii: "/") { selfClosing = true; last = end - 1 }
        var j = pos + 1
        while j < last && !XMLScanner.isSpace(buffer[j]) { j += 1 }
        let name = XMLScanner.localName(buffer[pos + 1..<j])
        var attributes: [(name: [UInt8], value: String)] = []
        while j < last {
            while j < last && XMLScanner.isSpace(buffer[j]) { j += 1 }
            if j >= last { break }
            let nameStart = j
            while j < last && buffer[j] != UInt8(ascii: "=") && !XMLScanner.isSpace(buffer[j]) { j += 1 }
            let attrName = buffer[nameStart..<j]
            while j < last && (XMLScanner.isSpace(buffer[j]) || buffer[j] == UInt8(ascii: "=")) { j += 1 }
            guard j < last, buffer[j] == UInt8(ascii: "\"") || buffer[j] == UInt8(ascii: "'") else {
                throw malformed("an attribute without a quoted value")
            }
            let q = buffer[j]
            let valueStart = j + 1
            j = valueStart
            while j < last && buffer[j] != q { j += 1 }
            let value = XMLScanner.decode(buffer[valueStart..<j])
            j += 1
            // Namespace declarations are not data.
            if !attrName.starts(with: Array("xmlns".utf8)) {
                attributes.append((XMLScanner.localName(attrName), value))
            }
        }
        pos = end + 1
        return .start(name: name, attributes: attributes, selfClosing: selfClosing)
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func localName(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) { return Array(bytes[(colon + 1)...]) }
        return Array(bytes)
    }

    /// Text with the five predefined entities and character references decoded.
    static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let a = Array(bytes)
        var i = 0
        while i < a.count {
            guard a[i] == UInt8(ascii: "&"), let semi = a[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                out.append(a[i]); i += 1; continue
            }
            let entity = String(decoding: a[(i + 1)..<semi], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
            }
            if let s = scalar {
                out.append(contentsOf: Array(String(Character(s)).utf8))
                i = semi + 1
            } else {
                out.append(a[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Compares with an ASCII literal without building a String.
    @inline(__always) func `is`(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for i in 0..<count where self[i] != p[i] { return false }
        return true
    }
}
