import Foundation
import SQLiteStore

extension RegistryService {
    /// The PSKS types as the database holds them (seeded from `PSKSType.all` by the migration):
    /// code, name, kind, active, fields, subtypes and criteria `{code, text, checked, subtype?}`.
    /// Any token may read it: it holds no personal data.
    public func catalog() throws -> [JSON] {
        try pilar.db.read { c in
            let criteria = try c.query("SELECT * FROM psks_criteria ORDER BY type, position")
            var byType: [String: [JSON]] = [:]
            for r in criteria {
                var o = JSONObject()
                o["code"] = .string(r.string("code"))
                o["text"] = .string(r.string("text"))
                o["checked"] = .bool(r.bool("checked"))
                if let s = r.optionalString("subtype") { o["subtype"] = .string(s) }
                byType[r.string("type"), default: []].append(.object(o))
            }
            return try c.query("SELECT * FROM psks_types ORDER BY position, code").map { r in
                var o = JSONObject()
                o["code"] = .string(r.string("code"))
                o["name"] = .string(r.string("name"))
                o["kind"] = .string(r.string("kind"))
                o["active"] = .bool(r.bool("active"))
                o["fields"] = (try? JSON.parse(r.string("fields"))) ?? .array([])
                o["subtypes"] = (try? JSON.parse(r.string("subtypes"))) ?? .array([])
                o["criteria"] = .array(byType[r.string("code")] ?? [])
                return .object(o)
            }
        }
    }
}
