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
}
