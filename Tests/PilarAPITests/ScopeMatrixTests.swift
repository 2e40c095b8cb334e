import XCTest
import PilarCore

/// Role x region (own, parent, sibling, child) x read/write on the foundation routes.
/// Each later area adds its own matrix in the same shape.
final class ScopeMatrixTests: XCTestCase {
    var s: TestServer!
    override func setUpWithError() throws { s = try TestServer() }
    override func tearDown() { s.stop() }

    struct Case {
        let role: Role
        let home: String
        let relation: String
        let region: String
        let read: Int       // GET /v1/regions/{region}
        let write: Int      // POST /v1/tokens for a viewer in {region}
    }

    func testRegionsAndTokens() throws {
        // Kota Cirebon is 32.74; its sibling Kabupaten Cirebon 32.09 is not imported: a 403 must not
        // depend on whether the sibling exists.
        let cases: [Case] = [
            .init(role: .provinsi, home: "32", relation: "own", region: "32", read: 200, write: 201),
            .init(role: .provinsi, home: "32", relation: "child", region: "32.74", read: 200, write: 201),
            .init(role: .provinsi, home: "32", relation: "sibling", region: "33", read: 403, write: 403),
            .init(role: .kabkota, home: "32.74", relation: "own", region: "32.74", read: 200, write: 201),
            .init(role: .kabkota, home: "32.74", relation: "parent", region: "32", read: 200, write: 403),
            .init(role: .kabkota, home: "32.74", relation: "sibling", region: "32.09", read: 403, write: 403),
            .init(role: .kabkota, home: "32.74", relation: "child", region: "32.74.01", read: 200, write: 201),
            .init(role: .tksk, home: "32.74.01", relation: "own", region: "32.74.01", read: 200, write: 403),
            .init(role: .tksk, home: "32.74.01", relation: "parent", region: "32.74", read: 200, write: 403),
            .init(role: .tksk, home: "32.74.01", relation: "sibling", region: "32.74.02", read: 403, write: 403),
            .init(role: .tksk, home: "32.74.01", relation: "child", region: "32.74.01.1001", read: 200, write: 403),
            .init(role: .viewer, home: "32.74", relation: "own", region: "32.74", read: 200, write: 403),
            .init(role: .viewer, home: "32.74", relation: "sibling", region: "32.73", read: 403, write: 403),
            .init(role: .viewer, home: "32.74", relation: "child", region: "32.74.05", read: 200, write: 403),
        ]
        for c in cases {
            let client = s.client(token: try s.token(c.role, c.home))
            let what = "\(c.role.rawValue)@\(c.home) on \(c.relation) \(c.region)"
            let read = client.get("/v1/regions/\(c.region)")
            XCTAssertEqual(read.status, c.read, "read: \(what)")
            let write = client.post("/v1/tokens", ["role": "viewer", "region": .string(c.region), "name": "dash"])
            XCTAssertEqual(write.status, c.write, "write: \(what): \(write.text)")
            if c.write == 403 || c.read == 403 {
                let body = (c.read == 403 ? read : write).text
                XCTAssertFalse(body.contains("not in the register"), "a 403 never says whether the thing exists: \(what)")
            }
        }
    }

    func testAdminOnlyAndRoleOnlyRoutes() throws {
        for role in [Role.provinsi, .kabkota, .tksk, .viewer] {
            let home = ["provinsi": "32", "kabkota": "32.74", "tksk": "32.74.01", "viewer": "32.74"][role.rawValue]!
            let c = s.client(token: try s.token(role, home))
            XCTAssertEqual(c.csv("/v1/regions/import", "code,name,level\n").status, 403, "\(role) import")
            let audit = c.get("/v1/audit").status
            XCTAssertEqual(audit, [.provinsi, .kabkota].contains(role) ? 200 : 403, "\(role) audit")
            let tokens = c.get("/v1/tokens").status
            XCTAssertEqual(tokens, [.provinsi, .kabkota].contains(role) ? 200 : 403, "\(role) tokens")
        }
    }
}
