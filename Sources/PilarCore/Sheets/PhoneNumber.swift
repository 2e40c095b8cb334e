/// An Indonesian phone number as registers hold them, read from whatever a sheet has:
/// `+62 852-2456-1234`, `6285224561234`, `0852 2456 1234`, `(022) 4201234`, and `85224561234`
/// (Excel dropped the leading zero of a number typed into a General cell). Stored in one
/// national form, digits only with the leading 0 (`085224561234`), so the same number never
/// looks like a change on the next import.
public struct PhoneNumber: Equatable, Sendable {
    public enum Kind: Sendable { case mobile, fixedLine }
    /// Digits with the leading 0: "085224561234", "0224201234".
    public let national: String
    public let kind: Kind
    /// The number arrived without its leading 0 and it was put back (a caller says so).
    public let restoredLeadingZero: Bool

    static let hint = Phrase(id: "tulis satu nomor Indonesia, misalnya 0812-3456-7890 atau (022) 4201234; kosongkan jika tidak ada",
                             en: "write one Indonesian number, for example 0812-3456-7890 or (022) 4201234; leave it empty if there is none")

    /// The number in `text`, or why it is not one. Blank text is no number (nil).
    public static func parse(_ text: String) -> Result<PhoneNumber, CellProblem>? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        var digits: [UInt8] = []
        var plus = false
        for (i, u) in t.unicodeScalars.enumerated() {
            switch u {
            case "0"..."9": digits.append(UInt8(u.value))
            case "+" where i == 0: plus = true
            case " ", "-", ".", "(", ")", "\u{A0}": continue
            case "/", ",", ";":
                return .failure(CellProblem("invalid_phone", id: "\"\(t)\" berisi lebih dari satu nomor; \(hint.id)",
                                            en: "\"\(t)\" holds more than one number; \(hint.en)"))
            default:
                return .failure(CellProblem("invalid_phone", id: "\"\(t)\" bukan nomor telepon; \(hint.id)",
                                            en: "\"\(t)\" is not a phone number; \(hint.en)"))
            }
        }
        var restored = false
        var national: [UInt8]
        let zero = UInt8(ascii: "0")
        if plus || (digits.starts(with: Array("62".utf8)) && digits.count >= 10) {
            guard digits.starts(with: Array("62".utf8)) else {
                return .failure(CellProblem("invalid_phone", id: "\"\(t)\" bukan nomor Indonesia (+62); \(hint.id)",
                                            en: "\"\(t)\" is not an Indonesian number (+62); \(hint.en)"))
            }
            var rest = digits.dropFirst(2)
            while rest.first == zero { rest = rest.dropFirst() }  // +62 0812... written both ways
            national = [zero] + rest
        } else if digits.first == zero {
            national = digits
        } else if let first = digits.first, (first == UInt8(ascii: "8") && (9...12).contains(digits.count))
                    || ((UInt8(ascii: "2")...UInt8(ascii: "7")).contains(first) && (8...10).contains(digits.count)) {
            // Excel keeps a number typed into a General cell as a number: the 0 goes.
            national = [zero] + digits
            restored = true
        } else {
            return .failure(CellProblem("invalid_phone", id: "\"\(t)\" terlalu pendek atau tanpa kode wilayah; \(hint.id)",
                                        en: "\"\(t)\" is too short or has no area code; \(hint.en)"))
        }
        let second = national.count > 1 ? national[1] : 0
        let kind: Kind
        if second == UInt8(ascii: "8"), (10...13).contains(national.count) {
            kind = .mobile
        } else if (UInt8(ascii: "2")...UInt8(ascii: "7")).contains(second) || second == UInt8(ascii: "9"), (9...12).contains(national.count) {
            kind = .fixedLine
        } else {
            return .failure(CellProblem("invalid_phone", id: "\"\(t)\" bukan nomor seluler (08…, 10–13 angka) atau telepon rumah (kode wilayah 0xx); \(hint.id)",
                                        en: "\"\(t)\" is neither a mobile number (08…, 10–13 digits) nor a fixed line (area code 0xx); \(hint.en)"))
        }
        return .success(PhoneNumber(national: String(decoding: national, as: UTF8.self), kind: kind, restoredLeadingZero: restored))
    }
}

/// Values a masked export wrote ("3274********0001"): importing them would overwrite the real
/// NIK with stars, so they are refused with words that say where they came from.
public enum MaskedValue {
    public static func isMasked(_ text: String) -> Bool {
        var stars = 0, xs = 0, run = 0, digits = 0
        for u in text.unicodeScalars {
            switch u {
            case "*", "•", "●": stars += 1; run = 0
            case "x", "X":
                run += 1
                xs = max(xs, run)
            case "0"..."9": digits += 1; run = 0
            default: run = 0
            }
        }
        return stars >= 2 || (xs >= 3 && digits >= 2)
    }

    public static func problem(column: String, _ text: String) -> CellProblem {
        CellProblem("masked_value",
            id: "\(column) \"\(text)\" tersamar (bertanda *): file ini berasal dari ekspor yang menyamarkan data pribadi; isi nilai lengkap atau ekspor ulang tanpa samaran",
            en: "\(column) \"\(text)\" is masked: the file comes from an export that masks personal data; fill in the full value or export again unmasked")
    }
}
