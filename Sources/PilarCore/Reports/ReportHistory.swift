import Foundation
import SQLiteStore

/// Field-level differences between two versions of a report's content. Lines are matched by
/// their identity (category and desa; PSKS type; activity position), so a reordered body
/// shows no change and a changed number shows as one field.
public enum ReportDiff {
    public struct Change: Equatable {
        public let field: String
        public let change: String  // added, removed, changed
        public let before: JSON?
        public let after: JSON?
        public var json: JSON {
            var o = JSONObject()
            o["field"] = .string(field)
            o["change"] = .string(change)
            o["before"] = before ?? .null
            o["after"] = after ?? .null
            return .object(o)
        }
    }

    public static func changes(from old: ReportContent, to new: ReportContent) -> [Change] {
        var out: [Change] = []
        func compare(_ field: String, _ a: JSON?, _ b: JSON?) {
            guard a != b else { return }
            let change = a == nil || a == .null ? "added" : (b == nil || b == .null ? "removed" : "changed")
            out.append(Change(field: field, change: change, before: a, after: b))
        }
        let oldLines = Dictionary(old.pmks.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let newLines = Dictionary(new.pmks.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for l in new.pmks {
            let f = "pmks[\(l.key)]"
            guard let o = oldLines[l.key] else { out.append(Change(field: f, change: "added", before: nil, after: lineJSON(l))); continue }
            compare("\(f).male", .from(o.male), .from(l.male))
            compare("\(f).female", .from(o.female), .from(l.female))
            compare("\(f).count", .from(o.count), .from(l.count))
        }
        for l in old.pmks where newLines[l.key] == nil {
            out.append(Change(field: "pmks[\(l.key)]", change: "removed", before: lineJSON(l), after: nil))
        }
        let oldPSKS = Dictionary(old.psks.map { ($0.type, $0.count) }, uniquingKeysWith: { a, _ in a })
        let newPSKS = Dictionary(new.psks.map { ($0.type, $0.count) }, uniquingKeysWith: { a, _ in a })
        for p in new.psks { compare("psks[\(p.type)].count", oldPSKS[p.type].map { .int(Int64($0)) }, .int(Int64(p.count))) }
        for p in old.psks where newPSKS[p.type] == nil { compare("psks[\(p.type)].count", .int(Int64(p.count)), nil) }
        let oldA = ReportContent(activities: old.activities).json["activities"]?.arrayValue ?? []
        let newA = ReportContent(activities: new.activities).json["activities"]?.arrayValue ?? []
        for i in 0..<max(oldA.count, newA.count) {
            let f = "activities[\(i)]"
            let a: JSON? = i < oldA.count ? .some(oldA[i]) : .none
            let b: JSON? = i < newA.count ? .some(newA[i]) : .none
            switch (a, b) {
            case (nil, let b?): out.append(Change(field: f, change: "added", before: nil, after: b))
            case (let a?, nil): out.append(Change(field: f, change: "removed", before: a, after: nil))
            case (let a?, let b?):
                for k in ["kind", "date", "description", "participants"] { compare("\(f).\(k)", a[k], b[k]) }
            default: break
            }
        }
        compare("notes.kendala", .from(old.notes.kendala), .from(new.notes.kendala))
        compare("notes.tindak_lanjut", .from(old.notes.tindakLanjut), .from(new.notes.tindakLanjut))
        return out
    }

    static func lineJSON(_ l: PMKSLine) -> JSON {
        .object(ReportContent(pmks: [l]).json["pmks"]!.arrayValue![0].objectValue!)
    }
}

extension ReportService {
    /// Every version, oldest first: who made it, when, why, the status it reached, the events
    /// on it (submitted, returned with notes, verified ...) and what changed from the version before.
    public func history(_ kecamatan: RegionCode, _ period: ReportPeriod, by caller: Caller) throws -> JSON {
        try requireReadable(kecamatan, by: caller)
        return try pilar.db.read { c in
            let region = try Self.requireKecamatan(kecamatan, c)
            guard let r = try ReportRecord.find(kecamatan, period, c) else {
                throw PilarError.notFound("no report for kecamatan \(kecamatan.dotted) (\(region.name)) and period \(period) yet")
            }
            let versions = try c.query("SELECT * FROM report_versions WHERE report_id = ? ORDER BY version", r.id)
            let events = try c.query("SELECT * FROM report_events WHERE report_id = ? ORDER BY id", r.id)
            var previous = ReportContent()
            var items: [JSON] = []
            for v in versions {
                let n = v.int("version")
                let content = ReportContent.fromStored(v.string("content"))
                let mine = events.filter { $0.int("version") == n }
                var o = JSONObject()
                o["version"] = .int(Int64(n))
                o["created_at"] = .string(v.string("created_at"))
                o["created_by"] = .string(v.string("created_by"))
                o["reason"] = .from(v.optionalString("reason"))
                o["status"] = .string(mine.last?.string("status") ?? r.status.rawValue)
                o["current"] = .bool(n == r.version)
                o["events"] = .array(mine.map { e in
                    var eo = JSONObject()
                    eo["action"] = .string(e.string("action"))
                    eo["status"] = .string(e.string("status"))
                    eo["at"] = .string(e.string("at"))
                    eo["by"] = .string(e.string("actor"))
                    eo["reason"] = .from(e.optionalString("reason"))
                    eo["notes"] = .array(FieldNote.list(e.optionalString("notes")).map(\.json))
                    return .object(eo)
                })
                o["changes"] = .array(ReportDiff.changes(from: previous, to: content).map(\.json))
                previous = content
                items.append(.object(o))
            }
            var o = JSONObject()
            o["kecamatan"] = .string(kecamatan.dotted)
            o["period"] = .string(period.description)
            o["status"] = .string(r.status.rawValue)
            o["version"] = .int(Int64(r.version))
            o["items"] = .array(items)
            return .object(o)
        }
    }
}
