import Foundation
import SQLiteStore

/// The privacy settings an admin may change (table `privacy_settings`, Migrations/0008):
/// default lifetimes of new tksk and viewer tokens, and how long the access log is kept.
public struct PrivacySettings: Equatable {
    /// Days a new tksk / viewer token works when its maker gives no expiry (0: no default).
    public var tokenDaysTKSK = 365
    public var tokenDaysViewer = 365
    /// Days entries of the personal-data access log are kept.
    public var accessLogDays = 730

    static let keys = ["token_days_tksk", "token_days_viewer", "access_log_days"]
    /// Ten years: a longer value is almost certainly a typo.
    public static let maxDays = 3_650

    func defaultTokenDays(for role: Role) -> Int? {
        switch role {
        case .tksk: return tokenDaysTKSK
        case .viewer: return tokenDaysViewer
        default: return nil
        }
    }

    static func read(_ c: Connection) throws -> PrivacySettings {
        var s = PrivacySettings()
        for row in try c.query("SELECT key, value FROM privacy_settings") {
            switch row.string("key") {
            case "token_days_tksk": s.tokenDaysTKSK = row.int("value")
            case "token_days_viewer": s.tokenDaysViewer = row.int("value")
            case "access_log_days": s.accessLogDays = row.int("value")
            default: break
            }
        }
        return s
    }

    public var json: JSON {
        var o = JSONObject()
        o["token_days_tksk"] = .int(Int64(tokenDaysTKSK))
        o["token_days_viewer"] = .int(Int64(tokenDaysViewer))
        o["access_log_days"] = .int(Int64(accessLogDays))
        return .object(o)
    }
}

extension Pilar {
    public func privacySettings(by caller: Caller) throws -> PrivacySettings {
        try caller.requireRole([.admin, .dpo], to: "read_privacy_settings")
        return try db.read { c in try PrivacySettings.read(c) }
    }

    /// Changes the settings named in `body` (whole numbers of days, 0 to 3650); audited.
    public func updatePrivacySettings(_ body: JSONObject, by caller: Caller) throws -> PrivacySettings {
        try caller.requireRole([.admin], to: "change_privacy_settings")
        var errors: [FieldError] = []
        var values: [(String, Int64)] = []
        for (k, v) in body {
            guard PrivacySettings.keys.contains(k) else {
                errors.append(FieldError(field: k, code: "unknown_field", ["allowed": .list(PrivacySettings.keys)]))
                continue
            }
            let least = k == "access_log_days" ? 1 : 0
            guard let days = v.intValue, (Int64(least)...Int64(PrivacySettings.maxDays)).contains(days) else {  // 742.0 is 742 in JSON
                errors.append(FieldError(field: k, code: "out_of_range",
                                         ["min": .int(least), "max": .int(PrivacySettings.maxDays), "value": .text(v.encodedString())]))
                continue
            }
            values.append((k, days))
        }
        if !errors.isEmpty { throw PilarError.invalid(errors) }
        let now = Clock.timestamp(clock.now())
        return try write { c in
            let before = try PrivacySettings.read(c)
            for (k, v) in values { try c.run("UPDATE privacy_settings SET value = ? WHERE key = ?", v, k) }
            let after = try PrivacySettings.read(c)
            if after != before {
                try AuditLog.append(c, by: caller, at: now, entity: "privacy_settings", key: "settings", action: "update",
                                    region: nil, before: before.json, after: after.json)
            }
            return after
        }
    }
}
