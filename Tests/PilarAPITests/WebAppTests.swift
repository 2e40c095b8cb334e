import Foundation
import XCTest
@testable import PilarAPI

/// The web app's HTTP side: the page, its assets and their headers, and the sign-in link.
/// (The screens themselves are driven in Chromium by scripts/browser-test.py.)
final class WebAppTests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    func testThePageNeedsNoTokenAndCarriesAStrictPolicy() {
        let page = TestClient(port: s.port, token: nil).get("/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertEqual(page.header("Cache-Control"), "no-cache", "the page names the current asset hashes")
        let csp = page.header("Content-Security-Policy") ?? ""
        for part in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"] {
            XCTAssertTrue(csp.contains(part), csp)
        }
        XCTAssertFalse(csp.contains("unsafe-inline"), csp)
        XCTAssertEqual(page.header("X-Frame-Options"), "DENY")
        XCTAssertTrue(page.text.contains("<html lang=\"id\">"), "Indonesian first")
        XCTAssertFalse(page.text.contains("<script>"), "no inline script")
        XCTAssertFalse(page.text.contains("style="), "no inline style")
        XCTAssertFalse(page.text.contains("http://") || page.text.contains("https://"), "nothing from another host")
    }

    func testEveryAssetTheHTMLNamesIsServedImmutableUnderItsContentHash() throws {
        let page = s.client().get("/").text
        let names = page.components(separatedBy: "/assets/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        XCTAssertGreaterThanOrEqual(names.count, 3)
        var total = page.utf8.count
        for name in names {
            XCTAssertNotNil(name.range(of: #"^[a-z]+\.[0-9a-f]{10}\.(js|css|svg)$"#, options: .regularExpression), name)
            let a = TestClient(port: s.port, token: nil).get("/assets/" + name)
            XCTAssertEqual(a.status, 200, name)
            XCTAssertEqual(a.header("Cache-Control"), "public, max-age=31536000, immutable")
            XCTAssertEqual(a.header("X-Content-Type-Options"), "nosniff")
            XCTAssertEqual(a.header("Content-Type"), WebApp.contentType(name))
            XCTAssertFalse(a.text.isEmpty)
            let outside = a.text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
            XCTAssertFalse(outside.contains("http://") || outside.contains("https://"), "\(name) names another host")
            total += a.body.count
        }
        // The first page loads everything at once; it must stay small on a slow connection
        // (the issue asks under 100 KB compressed; this holds it under 100 KB even uncompressed).
        XCTAssertLessThan(total, 100_000, "page and assets are \(total) bytes")
    }

    func testAnAssetUnderAnOldOrUnknownNameIsA404Problem() {
        let c = TestClient(port: s.port, token: nil)
        for path in ["/assets/core.0000000000.js", "/assets/core.js", "/assets/..%2Fopenapi.yaml", "/assets/"] {
            let r = c.get(path)
            XCTAssertEqual(r.status, 404, path)
            XCTAssertEqual(r.header("Content-Type"), "application/problem+json", path)
        }
    }

    func testTheAPIStillWantsATokenNextToThePublicPage() {
        XCTAssertEqual(TestClient(port: s.port, token: nil).get("/v1/me").status, 401)
    }

    func testSignInLinkCarriesTheTokenInTheFragmentOnly() throws {
        XCTAssertEqual(try WebApp.signInLink(base: "https://pilar.example.go.id", token: "pilar_2_abc"), "https://pilar.example.go.id/#token=pilar_2_abc")
        XCTAssertEqual(try WebApp.signInLink(base: "http://127.0.0.1:8080/", token: "t"), "http://127.0.0.1:8080/#token=t")
        for bad in ["ftp://x/", "pilar.example", "https://x/?a=1", "https://x/#y", "", "javascript:alert(1)"] {
            XCTAssertThrowsError(try WebApp.signInLink(base: bad, token: "t"), bad)
        }
    }

    /// `pilar token create --link` prints the link (and only the link) on standard output.
    func testTokenCreateLinkFromTheCommandLine() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pilar").path
        guard CommandLine.arguments[0].hasSuffix(".xctest"), FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("the pilar binary is not built next to the tests (run swift build first)")
        }
        func run(_ args: [String]) throws -> (Int32, String, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["token", "create", "--db", s.dbPath] + args
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                    String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        let (status, out, _) = try run(["--role", "tksk", "--region", "32.74.01", "--name", "TKSK Kejaksan", "--link", "http://127.0.0.1:\(s.port)"])
        XCTAssertEqual(status, 0)
        let link = out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(link.hasPrefix("http://127.0.0.1:\(s.port)/#token=pilar_"), link)
        let token = String(link.split(separator: "=", maxSplits: 1)[1])
        let me = s.client(token: token).get("/v1/me")
        XCTAssertEqual(me.status, 200, "the token in the link signs in")
        XCTAssertEqual(me["role"]?.stringValue, "tksk")

        let (badStatus, badOut, badErr) = try run(["--role", "tksk", "--region", "32.74.01", "--link", "https://x/?next=1"])
        XCTAssertNotEqual(badStatus, 0)
        XCTAssertEqual(badOut, "", "no token is made or printed for a bad link")
        XCTAssertTrue(badErr.contains("--link"), badErr)
    }
}
