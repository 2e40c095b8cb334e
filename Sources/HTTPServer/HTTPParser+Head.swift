/// Line-level parsing and the semantic checks of a complete head (RFC 9112 §3, §5, §6).
extension HTTPParser {
    /// `bytes` is the whole head: request line, field lines, empty line, each ending in LF.
    static func makeHead(_ bytes: ArraySlice<UInt8>, configuration: Configuration) throws -> HTTPRequestHead {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = bytes.startIndex
        for index in bytes.indices where bytes[index] == ByteClass.lf {
            var end = index
            if end > lineStart && bytes[end - 1] == ByteClass.cr { end -= 1 }
            lines.append(bytes[lineStart..<end])
            lineStart = index + 1
        }
        // The last line is the empty one that ended the head.
        guard lines.count >= 2 else { throw HTTPParserError.badRequestLine("missing") }
        let (method, target, version) = try parseRequestLine(lines[0])
        var headers = HTTPHeaders()
        for line in lines[1..<(lines.count - 1)] {
            let (name, value) = try parseFieldLine(line)
            headers.add(name, value)
        }
        return try resolve(method: method, target: target, version: version, headers: headers,
                           configuration: configuration)
    }

    static func parseRequestLine(_ line: ArraySlice<UInt8>) throws -> (String, String, HTTPVersion) {
        let parts = line.split(separator: ByteClass.sp, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw HTTPParserError.badRequestLine("expected 'method target version'") }
        let (method, target, version) = (parts[0], parts[1], parts[2])
        guard !method.isEmpty, method.allSatisfy(ByteClass.isToken) else {
            throw HTTPParserError.badRequestLine("invalid method")
        }
        guard !target.isEmpty, target.allSatisfy(ByteClass.isVisibleASCII) else {
            throw HTTPParserError.badRequestLine("invalid request target")
        }
        let methodString = String(decoding: method, as: UTF8.self)
        let targetString = String(decoding: target, as: UTF8.self)
        try checkTargetForm(targetString, method: methodString)
        return (methodString, targetString, try parseVersion(version))
    }

    /// origin-form, absolute-form, authority-form (CONNECT) or asterisk-form (OPTIONS) only.
    private static func checkTargetForm(_ target: String, method: String) throws {
        if target.hasPrefix("/") { return }
        if target == "*" {
            guard method == "OPTIONS" else { throw HTTPParserError.badRequestLine("'*' is only for OPTIONS") }
            return
        }
        let lower = target.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return }
        if method == "CONNECT" { return }
        throw HTTPParserError.badRequestLine("invalid request target")
    }

    private static func parseVersion(_ bytes: ArraySlice<UInt8>) throws -> HTTPVersion {
        let b = Array(bytes)
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
        guard b.count == 8, b[0..<5].elementsEqual("HTTP/".utf8), b[6] == UInt8(ascii: "."),
              let major = digit(b[5]), let minor = digit(b[7])
        else { throw HTTPParserError.badRequestLine("invalid HTTP version") }
        guard major == 1 else { throw HTTPParserError.versionNotSupported }
        return HTTPVersion(major: major, minor: minor)
    }

    private static func digit(_ b: UInt8) -> Int? {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? Int(b - UInt8(ascii: "0")) : nil
    }

    static func parseFieldLine(_ line: ArraySlice<UInt8>) throws -> (String, String) {
        guard let first = line.first else { throw HTTPParserError.badHeader("empty line") }
        if first == ByteClass.sp || first == ByteClass.htab {
            throw HTTPParserError.badHeader("obsolete line folding")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw HTTPParserError.badHeader("missing colon")
        }
        let name = line[line.startIndex..<colon]
        for b in name where !ByteClass.isToken(b) {
            if b == ByteClass.sp || b == ByteClass.htab { throw HTTPParserError.badHeader("whitespace before colon") }
            if b == ByteClass.cr { throw HTTPParserError.badHeader("bare CR") }
            throw HTTPParserError.badHeader("invalid field name")
        }
        guard !name.isEmpty else { throw HTTPParserError.badHeader("empty field name") }
        var value = line[(colon + 1)...]
        while let b = value.first, b == ByteClass.sp || b == ByteClass.htab { value.removeFirst() }
        while let b = value.last, b == ByteClass.sp || b == ByteClass.htab { value.removeLast() }
        for b in value where !ByteClass.isFieldValue(b) {
            throw HTTPParserError.badHeader(b == ByteClass.cr ? "bare CR" : "invalid character in field value")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Host, framing, Expect and Connection semantics of a syntactically valid head.
    static func resolve(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders,
                        configuration: Configuration) throws -> HTTPRequestHead {
        let hosts = headers.values("Host")
        if hosts.count > 1 { throw HTTPParserError.multipleHost }
        if hosts.isEmpty && version.minor >= 1 { throw HTTPParserError.missingHost }
        if let host = hosts.first, !isValidHost(host) { throw HTTPParserError.badHost }

        let framing = try resolveFraming(version: version, headers: headers, configuration: configuration)

        var expectsContinue = false
        let expectations = headers.tokens("Expect")
        // RFC 9110 §10.1.1: an HTTP/1.0 request's expectation is ignored.
        if version.minor >= 1, !expectations.isEmpty {
            guard expectations.allSatisfy({ $0 == "100-continue" }) else {
                throw HTTPParserError.unsupportedExpectation(headers.values("Expect").joined(separator: ", "))
            }
            expectsContinue = true
        }

        let connection = headers.tokens("Connection")
        let keepAlive = version.minor >= 1
            ? !connection.contains("close")
            : connection.contains("keep-alive") && !connection.contains("close")
        return HTTPRequestHead(method: method, target: target, version: version, headers: headers,
                               framing: framing, keepAlive: keepAlive, expectsContinue: expectsContinue)
    }

    private static func resolveFraming(version: HTTPVersion, headers: HTTPHeaders,
                                       configuration: Configuration) throws -> HTTPBodyFraming {
        let lengths = headers.values("Content-Length")
        let codings = headers.values("Transfer-Encoding")
        if !codings.isEmpty {
            // RFC 9112 §6.1: both together is a smuggling attempt; TE on 1.0 is faulty framing.
            if !lengths.isEmpty { throw HTTPParserError.conflictingFraming }
            if version.minor == 0 { throw HTTPParserError.unsupportedTransferCoding("Transfer-Encoding on HTTP/1.0") }
            let tokens = headers.tokens("Transfer-Encoding")
            guard tokens == ["chunked"] else {
                throw HTTPParserError.unsupportedTransferCoding(codings.joined(separator: ", "))
            }
            return .chunked
        }
        guard !lengths.isEmpty else { return .none }
        var length: Int?
        for value in lengths {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = part.trimmingOWS()
                guard !text.isEmpty, text.utf8.count <= 18,
                      text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      let n = Int(text)
                else { throw HTTPParserError.badContentLength("'\(value)' is not a decimal length") }
                if let length, length != n { throw HTTPParserError.badContentLength("conflicting values") }
                length = n
            }
        }
        let n = length!
        if n > configuration.maxBodyBytes { throw HTTPParserError.bodyTooLarge(limit: configuration.maxBodyBytes) }
        return .length(n)
    }

    /// Host = uri-host [ ":" port ] (RFC 9112 §3.2, RFC 3986 §3.2.2): a reg-name or IPv4
    /// (unreserved, sub-delims, %XX) or an IP-literal in brackets, then an optional port of at
    /// most five digits up to 65535. The host may be empty. Anything else is a 400.
    static func isValidHost(_ host: String) -> Bool {
        var bytes = Array(host.utf8)[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > bytes.startIndex + 1 else { return false }
            let literal = bytes[(bytes.startIndex + 1)..<close]
            guard literal.allSatisfy({ isHexDigit($0) || ":.vV".utf8.contains($0) || isRegNameByte($0) }),
                  literal.contains(UInt8(ascii: ":")) || literal.first == UInt8(ascii: "v") || literal.first == UInt8(ascii: "V")
            else { return false }
            bytes = bytes[(close + 1)...]
        } else {
            let end = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            var i = bytes.startIndex
            while i < end {
                if bytes[i] == UInt8(ascii: "%") {
                    guard i + 2 < end, isHexDigit(bytes[i + 1]), isHexDigit(bytes[i + 2]) else { return false }
                    i += 3
                    continue
                }
                guard isRegNameByte(bytes[i]) else { return false }
                i += 1
            }
            bytes = bytes[end...]
        }
        guard let colon = bytes.first else { return true }
        guard colon == UInt8(ascii: ":") else { return false }
        let port = bytes.dropFirst()
        guard port.count <= 5, port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        return port.isEmpty || Int(String(decoding: port, as: UTF8.self))! <= 65_535
    }

    /// unreserved / sub-delims (RFC 3986): what a reg-name holds besides %XX.
    private static func isRegNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&'()*+,;=".utf8.contains(b)
        }
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
            || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }

    /// chunk-size [ chunk-ext ]: hex digits, then optionally BWS ";" extensions (ignored).
    static func parseChunkSize(_ line: ArraySlice<UInt8>) throws -> Int {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = hexValue(line[index]) {
            digits += 1
            guard digits <= 15 else { throw HTTPParserError.badChunk("chunk size too large") }
            size = size * 16 + value
            index += 1
        }
        guard digits > 0 else { throw HTTPParserError.badChunk("invalid chunk size") }
        while index < line.endIndex, line[index] == ByteClass.sp || line[index] == ByteClass.htab { index += 1 }
        if index < line.endIndex {
            guard line[index] == UInt8(ascii: ";") else { throw HTTPParserError.badChunk("invalid chunk size") }
            for b in line[index...] where !ByteClass.isFieldValue(b) {
                throw HTTPParserError.badChunk("invalid chunk extension")
            }
        }
        return size
    }

    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
