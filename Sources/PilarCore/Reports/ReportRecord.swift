import Foundation
import SQLiteStore

/// A note a verifier attaches to one field when returning a report.
public struct FieldNote: Equatable {
    public let field: String
    public let message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    var json: JSON { ["field": .string(field), "message": .string(message)] }

    static func list(_ text: String?) -> [FieldNote] {
        guard let text, let a = (try? JSON.parse(text))?.arrayValue else { return [] }
        return a.compactMap { j in j["field"]?.stringValue.map { FieldNote(field: $0, message: j["message"]?.stringValue ?? "") } }
    }
    static func stored(_ notes: [FieldNote]) -> String { JSON.array(notes.map(\.json)).encodedString() }
}

/// One report as stored: its current state and its current version's content.
public struct ReportRecord: Equatable {
    public let id: Int64
    public let kecamatan: RegionCode
    public let period: ReportPeriod
    public let status: ReportStatus
    public let version: Int
    /// Bumped by every change of content or status; the ETag.
    public let revision: Int
    public let dueAt: String
    public let submittedAt: String?
    public let verifiedAt: String?
    public let late: Bool
    public let createdAt: String
    public let createdBy: String
    public let updatedAt: String
    public let updatedBy: String
    public let submittedBy: String?
    public let verifiedBy: String?
    public let returnedAt: String?
    public let returnedBy: String?
    public let returnReason: String?
    public let returnNotes: [FieldNote]
    public let warnings: [FieldError]
    public let source: String
    public let content: ReportContent
    /// The stored (canonical) content text, compared to tell an unchanged PUT.
    let storedContent: String

    /// A strong validator of the report's whole state.
    public var versionTag: VersionTag { VersionTag("r\(id).\(revision)") }

    static func from(_ r: Row) -> ReportRecord {
        let stored = r.string("content")
        return ReportRecord(
            id: r.int64("id"), kecamatan: RegionCode(r.string("kecamatan"))!, period: ReportPeriod(r.string("period"))!,
            status: ReportStatus(rawValue: r.string("status")) ?? .draft, version: r.int("version"),
            revision: r.int("revision"), dueAt: r.string("due_at"), submittedAt: r.optionalString("submitted_at"),
            verifiedAt: r.optionalString("verified_at"), late: r.int("late") != 0,
            createdAt: r.string("created_at"), createdBy: r.string("created_by"),
            updatedAt: r.string("updated_at"), updatedBy: r.string("updated_by"),
            submittedBy: r.optionalString("submitted_by"), verifiedBy: r.optionalString("verified_by"),
            returnedAt: r.optionalString("returned_at"), returnedBy: r.optionalString("returned_by"),
            returnReason: r.optionalString("return_reason"), returnNotes: FieldNote.list(r.optionalString("return_notes")),
            warnings: ReportRecord.warningList(r.string("warnings")), source: r.string("source"),
            content: ReportContent.fromStored(stored), storedContent: stored)
    }

    static func warningList(_ text: String) -> [FieldError] {
        guard let a = (try? JSON.parse(text))?.arrayValue else { return [] }
        return a.compactMap(FieldError.init(json:))
    }

    static func storedWarnings(_ w: [FieldError]) -> String {
        JSON.array(w.map(\.json)).encodedString()
    }

    /// Started days after the due moment (0 when on time; counts on while not submitted).
    public func daysLate(policy: DueDatePolicy, now: Date) -> Int {
        guard status != .verified || submittedAt != nil else { return 0 }
        return policy.daysLate(submittedAt: submittedAt.flatMap(Clock.parseTimestamp), period: period, now: now)
    }

    /// The report as GET shows it; `allowed` lists what the caller may do next.
    public func json(kecamatanName: String?, allowed: [ReportAction], daysLate: Int) -> JSON {
        var o = JSONObject()
        o["kecamatan"] = .string(kecamatan.dotted)
        o["kecamatan_name"] = .from(kecamatanName)
        o["period"] = .string(period.description)
        o["status"] = .string(status.rawValue)
        o["version"] = .int(Int64(version))
        o["late"] = .bool(late)
        o["days_late"] = .int(Int64(daysLate))
        o["due_at"] = .string(dueAt)
        o["submitted_at"] = .from(submittedAt)
        o["submitted_by"] = .from(submittedBy)
        o["verified_at"] = .from(verifiedAt)
        o["verified_by"] = .from(verifiedBy)
        o["created_at"] = .string(createdAt)
        o["created_by"] = .string(createdBy)
        o["updated_at"] = .string(updatedAt)
        o["updated_by"] = .string(updatedBy)
        o["source"] = .string(source)
        for (k, v) in content.json { o[k] = v }
        o["warnings"] = .array(warnings.map(\.json))  // words said by PilarAPI
        // The return is the TKSK's to-do while the report is returned; once resubmitted it
        // lives on in the history only.
        if let returnedAt, status == .returned {
            var r = JSONObject()
            r["reason"] = .from(returnReason)
            r["notes"] = .array(returnNotes.map(\.json))
            r["returned_at"] = .string(returnedAt)
            r["returned_by"] = .from(returnedBy)
            o["return"] = .object(r)
        } else {
            o["return"] = .null
        }
        o["allowed_actions"] = .array(allowed.map { .string($0.rawValue) })
        return .object(o)
    }

    /// The short form used in lists.
    public func summaryJSON(daysLate: Int) -> JSON {
        var o = JSONObject()
        o["kecamatan"] = .string(kecamatan.dotted)
        o["period"] = .string(period.description)
        o["status"] = .string(status.rawValue)
        o["version"] = .int(Int64(version))
        o["late"] = .bool(late)
        o["days_late"] = .int(Int64(daysLate))
        o["due_at"] = .string(dueAt)
        o["submitted_at"] = .from(submittedAt)
        o["verified_at"] = .from(verifiedAt)
        o["updated_at"] = .string(updatedAt)
        o["warnings"] = .int(Int64(warnings.count))
        o["source"] = .string(source)
        return .object(o)
    }
}

extension Caller {
    /// The workflow's name for this caller.
    var reportActor: ReportActor { ReportActor(rawValue: role.rawValue) ?? .viewer }
}
