import Foundation

/// The levels of the Kemendagri hierarchy. A kabupaten and a kota sit at the same depth,
/// as do a desa and a kelurahan; the code alone cannot tell them apart.
public enum RegionLevel: String, CaseIterable, Codable, Sendable {
    case provinsi, kabupaten, kota, kecamatan, desa, kelurahan

    public var depth: Int {
        switch self {
        case .provinsi: return 1
        case .kabupaten, .kota: return 2
        case .kecamatan: return 3
        case .desa, .kelurahan: return 4
        }
    }
}

/// A Kemendagri region code: `32`, `32.74`, `32.74.01`, `32.74.01.1001`.
/// Segments have fixed widths (2, 2, 2, 4 digits), so a code's dotted prefix is its ancestry
/// and dotted codes sort in tree order (a parent right before its subtree).
public struct RegionCode: Hashable, Comparable, CustomStringConvertible, Codable, Sendable {
    /// Widths of the segments, province first.
    public static let segmentWidths = [2, 2, 2, 4]

    /// The canonical form, e.g. "32.74.01".
    public let dotted: String

    /// Accepts the dotted form ("32.74.01.1001") or the undotted one ("3274011001"): 1 to 4
    /// segments of 2, 2, 2 and 4 ASCII digits. Nothing else: no spaces, no empty segments,
    /// no mixed forms ("3274.01").
    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= 13 else { return nil }
        // Most codes arrive dotted and canonical (from the database, exports, imports): checked
        // byte by byte and kept as they are, without splitting and joining.
        if RegionCode.isCanonicalDotted(text) {
            dotted = text
            return
        }
        let segments: [Substring]
        if text.contains(".") {
            segments = text.split(separator: ".", omittingEmptySubsequences: false)
        } else {
            // Undotted: the length says how many segments there are.
            let cuts: [Int]
            switch text.utf8.count {
            case 2: cuts = [2]
            case 4: cuts = [2, 2]
            case 6: cuts = [2, 2, 2]
            case 10: cuts = [2, 2, 2, 4]
            default: return nil
            }
            var parts: [Substring] = []
            var start = text.startIndex
            for width in cuts {
                guard let end = text.index(start, offsetBy: width, limitedBy: text.endIndex) else { return nil }
                parts.append(text[start..<end])
                start = end
            }
            segments = parts
        }
        guard (1...4).contains(segments.count) else { return nil }
        for (i, segment) in segments.enumerated() {
            guard segment.utf8.count == RegionCode.segmentWidths[i],
                  segment.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        }
        dotted = segments.joined(separator: ".")
    }

    /// "32", "32.74", "32.74.01" or "32.74.01.1001": digits in segments of 2, 2, 2, 4.
    static func isCanonicalDotted(_ text: String) -> Bool {
        var segment = 0, width = 0
        for b in text.utf8 {
            if b == UInt8(ascii: ".") {
                guard width == segmentWidths[segment], segment < 3 else { return false }
                segment += 1
                width = 0
            } else {
                guard b >= 0x30 && b <= 0x39, width < segmentWidths[segment] else { return false }
                width += 1
            }
        }
        return width == segmentWidths[segment]
    }

    /// The segments, province first: ["32", "74", "01"].
    public var segments: [String] { dotted.split(separator: ".").map(String.init) }

    /// 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan.
    public var depth: Int { dotted.utf8.reduce(1) { $1 == UInt8(ascii: ".") ? $0 + 1 : $0 } }

    public var parent: RegionCode? {
        guard let dot = dotted.lastIndex(of: ".") else { return nil }
        return RegionCode(trusted: String(dotted[..<dot]))
    }

    public var undotted: String { dotted.replacingOccurrences(of: ".", with: "") }

    /// True when `other` is this region or lies below it.
    public func contains(_ other: RegionCode) -> Bool {
        // Fixed segment widths make "prefix up to a segment boundary" the ancestry test.
        other.dotted == dotted || other.dotted.hasPrefix(dotted + ".")
    }

    /// From the province down, excluding self: "32.74.01" -> ["32", "32.74"].
    public var ancestors: [RegionCode] {
        var result: [RegionCode] = []
        var current = parent
        while let code = current {
            result.append(code)
            current = code.parent
        }
        return result.reversed()
    }

    /// The kecamatan this code is or lies in; nil above kecamatan level.
    public var kecamatan: RegionCode? {
        switch depth {
        case 3: return self
        case 4: return parent
        default: return nil
        }
    }

    /// The ancestor-or-self at `depth`, or nil when the code is shallower.
    public func truncated(toDepth depth: Int) -> RegionCode? {
        guard depth >= 1, depth <= self.depth else { return nil }
        return RegionCode(trusted: segments.prefix(depth).joined(separator: "."))
    }

    public static func levelsAllowed(depth: Int) -> [RegionLevel] {
        RegionLevel.allCases.filter { $0.depth == depth }
    }

    /// Subtree scans over a dotted code column: `code >= subtreeLowerBound AND code < subtreeUpperBound`.
    /// Correct because every descendant is `dotted + "." + ...` and '.' (0x2E) sorts right before
    /// '/' (0x2F), while any other code either differs inside a fixed-width segment (and so sorts
    /// wholly before or after) or is a strict prefix of `dotted` (and so sorts before it).
    /// Byte order is SQLite's BINARY collation and Swift's order on ASCII strings alike.
    public var subtreeLowerBound: String { dotted }
    public var subtreeUpperBound: String { dotted + "/" }

    public var description: String { dotted }

    public static func < (a: RegionCode, b: RegionCode) -> Bool { a.dotted < b.dotted }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = RegionCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a region code: \(text)"))
        }
        self = code
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dotted)
    }

    /// For codes built from segments of a code already validated.
    private init(trusted dotted: String) { self.dotted = dotted }
}
