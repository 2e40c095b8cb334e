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

    func testFoldedPrefixFindsTheName() {
        let stored = NameSearch.fold("Siti Nurhalizá Putri")
        XCTAssertTrue(stored.hasPrefix(NameSearch.fold("SITI nurhaliz")))
        XCTAssertTrue(stored.hasPrefix(NameSearch.fold("siti  nurháliza")))
        XCTAssertFalse(stored.hasPrefix(NameSearch.fold("siti nurhayati")))
    }
}
