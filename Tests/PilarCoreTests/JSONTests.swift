import XCTest
@testable import PilarCore

final class JSONTests: XCTestCase {
    func testRoundTripKeepsKeyOrderAndTypes() throws {
        let text = #"{"b":1,"a":[true,false,null],"c":{"z":"x\"y","y":-2.5},"big":9007199254740993}"#
        let v = try JSON.parse(text)
        XCTAssertEqual(v.encodedString(), text)
        XCTAssertEqual(v["big"]?.intValue, 9_007_199_254_740_993, "whole numbers stay exact integers")
    }

    func testEscapesAndUnicode() throws {
        let v = try JSON.parse(#"["a\u00e9\n\ud83d\ude00\/"]"#)
        XCTAssertEqual(v.arrayValue?.first?.stringValue, "aé\n😀/")
        XCTAssertEqual(JSON.string("tab\there\u{01}").encodedString(), #""tab\there\u0001""#)
    }

    func testRejectsMalformedInput() {
        let bad = ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\\x\"", "\"a", "{} x",
                   "\"\\ud800\"", "[1e999]", "\"\u{01}\""]
        for b in bad {
            XCTAssertThrowsError(try JSON.parse(b), "should reject \(b.debugDescription)")
        }
        XCTAssertThrowsError(try JSON.parse([0x22, 0xFF, 0x22]), "invalid UTF-8 in a string")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try JSON.parse(deep)) { e in
            XCTAssertEqual((e as? JSONParseError)?.reason, "too_deep")  // PilarAPI says it: json_error.too_deep
        }
        let ok = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        XCTAssertNoThrow(try JSON.parse(ok))
    }

    func testDuplicateKeyLastWinsAndOrderStable() throws {
        let v = try JSON.parse(#"{"a":1,"b":2,"a":3}"#)
        XCTAssertEqual(v.encodedString(), #"{"a":3,"b":2}"#)
    }
}

final class DigestTests: XCTestCase {
    func testNISTVectors() {
        XCTAssertEqual(Digest.sha256Hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(Digest.sha256Hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(Digest.sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(Digest.sha256Hex([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testConstantTimeEquals() {
        XCTAssertTrue(Digest.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(Digest.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(Digest.constantTimeEquals([1, 2], [1, 2, 3]))
    }
}

final class ControlCharacterTests: XCTestCase {
    func testJSONRefusesControlCharactersButKeepsTabsAndNewlines() throws {
        XCTAssertThrowsError(try JSON.parse(#"{"name":"a\u0000b"}"#))
        XCTAssertThrowsError(try JSON.parse(#"{"name":"a\u001bb"}"#))
        XCTAssertThrowsError(try JSON.parse([0x22, 0x61, 0x7F, 0x22]))
        XCTAssertEqual(try JSON.parse(#"["a\tb\nc\r"]"#).arrayValue?.first?.stringValue, "a\tb\nc\r")
    }

    func testCSVRefusesControlCharactersInFields() {
        var r = CSVReader(bytes: Array("a,b\n1,x\u{0}y\n".utf8))
        XCTAssertThrowsError(try r.allRecords()) { e in XCTAssertEqual((e as? CSVError)?.line, 2) }
        var ok = CSVReader(bytes: Array("a,b\n1,\"x\ty\nz\"\n".utf8))
        XCTAssertEqual(try ok.allRecords().last, ["1", "x\ty\nz"])
    }
}
