import Foundation
import XCTest
@testable import PilarCore

final class DomainNameSearchTests: XCTestCase {
    func testFolding() {
        let cases: [(String, String)] = [
            ("Siti Nurhalizá", "siti nurhaliza"),
            ("  SITI   Nurhaliza\t", "siti nurhaliza"),
            ("Siti\u{00A0}\nAminah", "siti aminah"),
            ("Nurhaliza\u{0301}", "nurhaliza"),        // combining accent
            ("Ｓｉｔｉ", "siti"),                        // full-width
            ("ﬁtri", "fitri"),                          // ligature
            ("H. Ahmad Dahlan, S.Sos.", "h. ahmad dahlan, s.sos."),
            ("İbrahim", "ibrahim"),
            ("Çağlar Ñúñez", "caglar nunez"),
            ("", ""),
            ("   ", ""),
        ]
        for (input, folded) in cases {
            XCTAssertEqual(NameSearch.fold(input), folded, input.debugDescription)
        }
    }

    /// The ASCII shortcut must fold exactly as the Unicode path does: every ASCII character
    /// alone, between letters, and doubled at the ends.
    func testASCIIShortcutFoldsAsTheUnicodePath() {
        for b in UInt8(0)..<0x80 {
            let c = String(decoding: [b], as: UTF8.self)
            for input in [c, "Ab\(c)Cd", "\(c)\(c)X y\(c)\(c)", " \(c) Q \(c)"] {
                XCTAssertEqual(NameSearch.foldASCII(input), NameSearch.foldUnicode(input), "byte \(b)")
            }
        }
        XCTAssertNil(NameSearch.foldASCII("Siti Nurhalizá"))
    }

    func testFoldedPrefixFindsTheName() {
        let stored = NameSearch.fold("Siti Nurhalizá Putri")
        XCTAssertTrue(stored.hasPrefix(NameSearch.fold("SITI nurhaliz")))
        XCTAssertTrue(stored.hasPrefix(NameSearch.fold("siti  nurháliza")))
        XCTAssertFalse(stored.hasPrefix(NameSearch.fold("siti nurhayati")))
    }
}
