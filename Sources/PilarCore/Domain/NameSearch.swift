import Foundation

/// Names as people search them: "Siti Nurhalizá" is found by typing "siti nurh".
public enum NameSearch {
    /// Lower-cased, accents and other combining marks removed, compatibility forms unified
    /// (ligatures, full-width letters), format characters dropped (zero-width space and
    /// joiners, soft hyphen, byte-order mark), every dash and hyphen made "-", whitespace runs
    /// collapsed to one space, trimmed. Duplicate checks compare folded names, so a look-alike
    /// ("LKS\u{200B}Harapan", "Harapan\u{2011}Kita") is the same name (issue 13).
    /// Bump `version` whenever this changes: stored names are folded again on open.
    /// Store the folded name beside the name and compare folded query prefixes against it.
    public static let version = 2

    public static func fold(_ s: String) -> String {
        foldASCII(s) ?? foldUnicode(s)
    }

    static func foldUnicode(_ s: String) -> String {
        // NFKD splits "á" into "a" + U+0301 and "ﬁ" into "fi"; the marks are then dropped.
        // Lower-casing first: some capitals lower-case to a letter plus a mark ("İ" -> "i̇").
        let decomposed = s.lowercased().decomposedStringWithCompatibilityMapping
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for var scalar in decomposed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format:
                continue
            case .dashPunctuation:
                scalar = "-"
            default:
                if scalar == "\u{2212}" { scalar = "-" }  // minus sign, a math symbol
            }
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        // Compatibility forms can carry capitals ("Ⅻ" -> "XII"), hence lower-casing again.
        return String(scalars).lowercased()
    }

    /// The same answer for a name in plain ASCII (most names), without Foundation's
    /// normalisation, which cost some 35,000 instructions a name in the registry import: ASCII
    /// has no marks, format characters or compatibility forms, its only dash is "-", and its
    /// whitespace is tab to carriage return and space. Nil for anything else.
    static func foldASCII(_ s: String) -> String? {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for b in s.utf8 {
            guard b < 0x80 else { return nil }
            if b == 0x20 || (0x09...0x0D).contains(b) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append((0x41...0x5A).contains(b) ? b + 0x20 : b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
