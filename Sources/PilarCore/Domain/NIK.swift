import Foundation

public enum NIKError: Error, Equatable, Sendable {
    case notSixteenDigits, badRegion, badBirthDate, zeroSerial

    public var message: String {
        switch self {
        case .notSixteenDigits:
            return "NIK must be exactly 16 digits"
        case .badRegion:
            return "NIK must start with the 6-digit code of a kecamatan, like 327401"
        case .badBirthDate:
            return "NIK digits 7 to 12 must be a birth date DDMMYY (day plus 40 for women) not after the registration date"
        case .zeroSerial:
            return "NIK must not end in 0000"
        }
    }
}

/// Nomor Induk Kependudukan: 6 digits of the kecamatan where it was issued, the birth date
/// DDMMYY (day + 40 for women), and a 4-digit serial that is not 0000.
///
/// `description` is the masked form, so a NIK that reaches a log or a message does not leak;
/// use `digits` to store it. Two NIKs are equal when their digits are.
public struct NIK: Hashable, CustomStringConvertible, Sendable {
    public let digits: String
    /// "327401..." -> 32.74.01.
    public let kecamatan: RegionCode
    /// The century is the latest one that puts the birth date on or before the reference date.
    public let birthDate: CalendarDate
    public let sex: Sex

    /// Surrounding whitespace is ignored; anything but 16 ASCII digits is refused.
    /// `referenceDate` (usually the date of registration) settles the century of the birth year.
    public init(parsing text: String, referenceDate: CalendarDate) throws {
        let trimmed = text.trimmedWhitespaceAndNewlines
        let b = Array(trimmed.utf8)
        guard b.count == 16, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw NIKError.notSixteenDigits }

        // Province codes run from 11; no segment of a real code is 00.
        guard let province = DomainText.digits(b[0..<2]), province >= 11,
              DomainText.digits(b[2..<4])! > 0, DomainText.digits(b[4..<6])! > 0,
              let region = RegionCode(String(decoding: b[0..<6], as: UTF8.self))
        else { throw NIKError.badRegion }

        var day = DomainText.digits(b[6..<8])!
        let month = DomainText.digits(b[8..<10])!
        let yy = DomainText.digits(b[10..<12])!
        var sex = Sex.male
        if day > 40 {
            day -= 40
            sex = .female
        }
        guard let birth = NIK.birthDate(day: day, month: month, yy: yy, notAfter: referenceDate) else {
            throw NIKError.badBirthDate
        }
        guard b[12..<16] != [0x30, 0x30, 0x30, 0x30] else { throw NIKError.zeroSerial }

        digits = trimmed
        kecamatan = region
        birthDate = birth
        self.sex = sex
    }

    /// The last 4 digits.
    public var serial: String { String(digits.suffix(4)) }

    /// "3274**********01": the first 4 and last 2 digits.
    public var masked: String { NIK.mask(digits) }

    public var description: String { masked }

    /// Masks any stored NIK text the same way, parsed or not: the first 4 characters (the
    /// kabupaten/kota, which the record's region shows anyway) and the last 2; anything shorter
    /// than 9 characters is fully starred. At most 6 of 16 digits: with the birth date hidden
    /// too, the rest cannot be guessed from a few hundred candidates (issue 13). Masking a
    /// masked NIK again gives the same text, so older masked forms (audit entries written
    /// before this rule) are shown by the same rule.
    public static func mask(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count >= 9 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(4)) + String(repeating: "*", count: chars.count - 6) + String(chars.suffix(2))
    }

    public static func == (a: NIK, b: NIK) -> Bool { a.digits == b.digits }
    public func hash(into hasher: inout Hasher) { hasher.combine(digits) }

    /// Tries the reference date's century, then the one before.
    private static func birthDate(day: Int, month: Int, yy: Int, notAfter reference: CalendarDate) -> CalendarDate? {
        let century = reference.year / 100
        for c in [century, century - 1] where c >= 0 {
            if let date = CalendarDate(year: c * 100 + yy, month: month, day: day), date <= reference {
                return date
            }
        }
        return nil
    }
}
