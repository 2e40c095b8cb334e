import Foundation

/// The JSON face of `ReportContent` (Domain/ReportContent.swift): decoded from the PUT body
/// with a type check on every field (a wrong type or an unknown field is a 422 naming its
/// path), and a canonical order so the same content always encodes to the same bytes (a
/// repeated PUT is recognised as unchanged).
extension ReportContent {
    /// Normalized, then lines sorted by catalogue order and desa (kecamatan-wide line first),
    /// PSKS counts by type; activities keep the writer's order. Validate before this: errors
    /// name lines by the writer's indices.
    public func canonical() -> ReportContent {
        var c = normalized()
        let order = ReportContent.categoryOrder
        c.pmks = c.pmks.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            let (ox, oy) = (order[x.category] ?? Int.max, order[y.category] ?? Int.max)
            if ox != oy { return ox < oy }
            if x.category != y.category { return x.category < y.category }
            if x.desa != y.desa { return (x.desa ?? "") < (y.desa ?? "") }
            return a.offset < b.offset
        }.map(\.element)
        c.psks.sort { $0.type < $1.type }
        return c
    }

    static let categoryOrder = Dictionary(uniqueKeysWithValues: PMKSCategory.all.enumerated().map { ($1.code, $0) })

    // MARK: JSON

    public var json: JSONObject {
        var o = JSONObject()
        o["pmks"] = .array(pmks.map { l in
            var lo = JSONObject()
            lo["category"] = .string(l.category)
            if let d = l.desa { lo["desa"] = .string(d) }
            if l.male != nil || l.female != nil {
                lo["male"] = .from(l.male)
                lo["female"] = .from(l.female)
            }
            if let n = l.count { lo["count"] = .int(Int64(n)) }
            return .object(lo)
        })
        o["psks"] = .array(psks.map { ["type": .string($0.type), "count": .int(Int64($0.count))] })
        o["activities"] = .array(activities.map { a in
            var ao = JSONObject()
            ao["kind"] = .string(a.kind)
            ao["date"] = .string(a.date)
            ao["description"] = .string(a.description)
            ao["participants"] = .from(a.participants)
            return .object(ao)
        })
        o["notes"] = ["kendala": .from(notes.kendala), "tindak_lanjut": .from(notes.tindakLanjut)]
        return o
    }

    /// The stored form: canonical JSON text.
    public var stored: String { JSON.object(json).encodedString() }

    /// Reads the stored form back (it was written by `stored`, so it is trusted).
    public static func fromStored(_ text: String) -> ReportContent {
        guard case .object(let o)? = try? JSON.parse(text), let c = try? decode(o, extraKeys: []) else { return ReportContent() }
        return c
    }

    /// Writable top-level members; `reason` explains a new version of a verified report.
    public static let bodyKeys = ["pmks", "psks", "activities", "notes", "reason"]
    /// Members of the report as GET shows it, accepted and ignored so a client can PUT back
    /// what it read (kecamatan and period are checked against the path by the service).
    public static let readOnlyKeys = ["kecamatan", "kecamatan_name", "period", "status", "version", "late", "due_at",
                                      "submitted_at", "verified_at", "warnings", "return", "created_at", "created_by",
                                      "updated_at", "updated_by", "submitted_by", "verified_by", "source",
                                      "allowed_actions", "days_late"]

    /// Decodes a body, collecting every type error (not only the first).
    public static func decode(_ o: JSONObject, extraKeys: [String] = readOnlyKeys) throws -> ReportContent {
        var d = BodyDecoder()
        let c = d.content(o, extraKeys: extraKeys)
        if !d.errors.isEmpty { throw PilarError.invalid(d.errors) }
        return c
    }

    struct BodyDecoder {
        var errors: [FieldError] = []

        mutating func fail(_ field: String, code: String, _ values: MessageValues = [:]) {
            errors.append(FieldError(field: field, code: code, values))
        }

        mutating func wrongType(_ field: String, expected: String, _ v: JSON) {
            errors.append(.wrongType(field, expected: expected, v))
        }

        mutating func unknown(_ o: JSONObject, _ allowed: [String], at path: String) {
            for (k, _) in o where !allowed.contains(k) {
                let f = path.isEmpty ? k : "\(path).\(k)"
                fail(f, code: "unknown_field", ["allowed": .list(allowed)])
            }
        }

        mutating func string(_ o: JSONObject, _ key: String, _ path: String, required: Bool) -> String? {
            let f = path.isEmpty ? key : "\(path).\(key)"
            guard let v = o[key], !v.isNull else {
                if required { fail(f, code: "required") }
                return nil
            }
            guard let s = v.stringValue else { wrongType(f, expected: "string", v); return nil }
            return s
        }

        mutating func int(_ o: JSONObject, _ key: String, _ path: String) -> Int? {
            let f = "\(path).\(key)"
            guard let v = o[key], !v.isNull else { return nil }
            guard case .int(let i) = v, let n = Int(exactly: i) else {
                wrongType(f, expected: "integer", v)
                return nil
            }
            return n
        }

        mutating func array(_ o: JSONObject, _ key: String) -> [JSONObject] {
            guard let v = o[key], !v.isNull else { return [] }
            guard let a = v.arrayValue else { wrongType(key, expected: "array", v); return [] }
            var out: [JSONObject] = []
            for (i, item) in a.enumerated() {
                if let io = item.objectValue { out.append(io) } else {
                    wrongType("\(key)[\(i)]", expected: "object", item)
                    out.append(JSONObject())
                }
            }
            return out
        }

        mutating func content(_ o: JSONObject, extraKeys: [String]) -> ReportContent {
            unknown(o, ReportContent.bodyKeys + extraKeys, at: "")
            if let r = o["reason"], !r.isNull, r.stringValue == nil {
                wrongType("reason", expected: "string", r)
            }
            var c = ReportContent()
            for (i, l) in array(o, "pmks").enumerated() {
                let p = "pmks[\(i)]"
                unknown(l, ["category", "desa", "male", "female", "count"], at: p)
                c.pmks.append(PMKSLine(category: string(l, "category", p, required: true) ?? "",
                                       desa: string(l, "desa", p, required: false),
                                       male: int(l, "male", p), female: int(l, "female", p), count: int(l, "count", p)))
            }
            for (i, l) in array(o, "psks").enumerated() {
                let p = "psks[\(i)]"
                unknown(l, ["type", "count"], at: p)
                let type = string(l, "type", p, required: true) ?? ""
                let n = int(l, "count", p)
                if l["count"] == nil || l["count"] == .null { fail("\(p).count", code: "required") }
                c.psks.append(PSKSCount(type: type, count: n ?? 0))
            }
            for (i, a) in array(o, "activities").enumerated() {
                let p = "activities[\(i)]"
                unknown(a, ["kind", "date", "description", "participants"], at: p)
                c.activities.append(ReportActivity(kind: string(a, "kind", p, required: true) ?? "",
                                             date: string(a, "date", p, required: true) ?? "",
                                             description: string(a, "description", p, required: true) ?? "",
                                             participants: int(a, "participants", p)))
            }
            if let n = o["notes"], !n.isNull {
                if let no = n.objectValue {
                    unknown(no, ["kendala", "tindak_lanjut"], at: "notes")
                    c.notes.kendala = string(no, "kendala", "notes", required: false)
                    c.notes.tindakLanjut = string(no, "tindak_lanjut", "notes", required: false)
                } else {
                    wrongType("notes", expected: "object", n)
                }
            }
            return c
        }
    }
}

extension PMKSLine {
    /// "ABH" or "ABH@32.74.01.1001": the line's identity within a report.
    public var key: String { desa.map { "\(category)@\($0)" } ?? category }
}
