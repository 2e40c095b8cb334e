import Foundation

public enum Sex: String, CaseIterable, Codable, Sendable {
    case male, female
}

/// Education levels, lowest first. D4 is an applied bachelor's degree at the level of S1:
/// they share a rank, so `D4 >= S1` and `S1 >= D4` both hold (and neither is `<` the other).
/// Compare with `<`, `>=` or `rank`, not with `==`, when the question is "at least".
public enum EducationLevel: String, CaseIterable, Comparable, Codable, Sendable {
    case SD, SLTP, SLTA, D1, D2, D3, S1, D4, S2, S3

    public var rank: Int {
        switch self {
        case .SD: return 1
        case .SLTP: return 2
        case .SLTA: return 3
        case .D1: return 4
        case .D2: return 5
        case .D3: return 6
        case .S1, .D4: return 7
        case .S2: return 8
        case .S3: return 9
        }
    }

    public static func < (a: EducationLevel, b: EducationLevel) -> Bool { a.rank < b.rank }

    /// Lenient reading for imports: case-insensitive codes and the school names people write
    /// (SMP/MTs for SLTP, SMA/SMK/MA for SLTA, MI for SD). The API's JSON uses the codes.
    public init?(parsing text: String) {
        let key = text.trimmedWhitespace.uppercased()
        if let level = EducationLevel(rawValue: key) {
            self = level
            return
        }
        switch key {
        case "MI": self = .SD
        case "SMP", "MTS": self = .SLTP
        case "SMA", "SMK", "MA", "SMU": self = .SLTA
        default: return nil
        }
    }
}

/// A civil servant's rank (golongan/ruang), "I/a" up to "IV/e", ordered.
public struct PNSRank: Comparable, Hashable, CustomStringConvertible, Sendable {
    /// 1...4 (I...IV).
    public let group: Int
    /// "a"..."d" ("e" too in group IV).
    public let room: Character

    /// The lowest rank of a Penyuluh Sosial fungsional: Penata Muda, III/a.
    public static let penataMuda = PNSRank(group: 3, room: "a")

    /// "III/a", case-insensitive, spaces around "/" allowed, and an optional rank name before
    /// it ("Penata Muda III/a"): the name is not checked against the group.
    public init?(_ text: String) {
        let trimmed = text.trimmedWhitespace
        guard let slash = trimmed.lastIndex(of: "/") else { return nil }
        let roomText = trimmed[trimmed.index(after: slash)...].trimmingCharacters(in: .whitespaces).lowercased()
        var before = trimmed[..<slash]
        while before.last == " " { before.removeLast() }
        // The roman numeral is the trailing run of I/V letters.
        var numeralStart = before.endIndex
        while numeralStart > before.startIndex,
              "IViv".contains(before[before.index(before: numeralStart)]) {
            numeralStart = before.index(before: numeralStart)
        }
        let numeral = before[numeralStart...].uppercased()
        let prefix = before[..<numeralStart]
        guard prefix.isEmpty || prefix.last == " " else { return nil }
        let groups = ["I": 1, "II": 2, "III": 3, "IV": 4]
        guard let group = groups[numeral], roomText.count == 1, let room = roomText.first else { return nil }
        let rooms: String = group == 4 ? "abcde" : "abcd"
        guard rooms.contains(room) else { return nil }
        self.group = group
        self.room = room
    }

    private init(group: Int, room: Character) {
        self.group = group
        self.room = room
    }

    public var description: String { ["I", "II", "III", "IV"][group - 1] + "/" + String(room) }

    public static func < (a: PNSRank, b: PNSRank) -> Bool { (a.group, a.room) < (b.group, b.room) }
}
