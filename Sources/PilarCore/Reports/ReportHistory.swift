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
    /// History pages: versions are the large part of a report (up to ReportLimits.maxContentBytes
    /// each), so a page holds at most `historyMaximum` of them and only one page is in memory.
    public static let historyDefault = 10
    public static let historyMaximum = 20
    /// Stored content one history page may carry before it ends early (see `history`).
    public static let pageContentBytes = 1 << 20

    /// One page of versions, oldest first: who made each, when, why, the status it reached, the
    /// events on it (submitted, returned with notes, verified ...) and what changed from the
    /// version before. `cursor` is the `next_cursor` of the page before (nil: the first page).
    /// Returns the report's header members, the items and the next page's cursor.
    public func history(_ kecamatan: RegionCode, _ period: ReportPeriod, limit: Int = historyDefault, cursor: String? = nil,
                        by caller: Caller) throws -> (header: JSONObject, items: [JSON], nextCursor: String?) {
        try requireReadable(kecamatan, by: caller)
        var after = 0
        if let cursor {
            guard let v = try Cursor.decode(cursor, arity: 2)[1].intValue, v >= 1,
                  try Cursor.decode(cursor, arity: 2)[0] == .string("v") else {
                throw PilarError(.badRequest, code: "cursor_invalid")
            }
            after = Int(v)
        }
        return try pilar.db.read { c in
            let region = try Self.requireKecamatan(kecamatan, c)
            guard let r = try ReportStore.find(c, kecamatan, period) else {
                throw Self.notFound(kecamatan, region, period)
            }
            // The version before the page too: the first item's changes are against it.
            let versions = try ReportStore.versions(c, of: r, from: max(after, 1), limit: limit + (after > 0 ? 2 : 1))
            var previous = ReportContent()
            var page = versions[...]
            if after > 0, let first = page.first, first.int("version") == after {
                previous = ReportContent.fromStored(first.string("content"))
                page = page.dropFirst()
            }
            var more = page.count > limit
            page = page.prefix(limit)
            // A page also ends once its stored content passes pageContentBytes (one version at
            // least): a page of the largest versions stays a few MB however the limit is set.
            var bytes = 0, fits = 0
            for v in page {
                bytes += v.string("content").utf8.count
                if fits > 0 && bytes > Self.pageContentBytes { break }
                fits += 1
            }
            if fits < page.count { page = page.prefix(fits); more = true }
            let last = page.last?.int("version") ?? after
            let events = try ReportStore.events(c, of: r, after: after, through: last)
            var items: [JSON] = []
            for v in page {
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
            var header = JSONObject()
            header["kecamatan"] = .string(kecamatan.dotted)
            header["period"] = .string(period.description)
            header["status"] = .string(r.status.rawValue)
            header["version"] = .int(Int64(r.version))
            return (header, items, more ? Cursor.encode([.string("v"), .int(Int64(last))]) : nil)
        }
    }
}
