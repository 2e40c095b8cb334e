import Foundation

public enum ReportStatus: String, CaseIterable, Codable, Sendable {
    case draft, submitted, verified, returned
}

/// What can be done to a report. `revise` records a new version of a verified report.
public enum ReportAction: String, CaseIterable, Codable, Sendable {
    case edit, submit, verify, `return`, revise
}

/// Who acts, by token role.
public enum ReportActor: String, CaseIterable, Codable, Sendable {
    case tksk, kabkota, admin, provinsi, viewer
}

public enum WorkflowError: Error, Equatable, Sendable {
    /// The action exists for this actor but not in this status (409).
    case illegal(from: ReportStatus, action: ReportAction, allowed: [ReportAction])
    /// The actor may never take this action (403).
    case forbidden(actor: ReportActor, action: ReportAction)
    /// `return` and `revise` need a reason (422).
    case reasonRequired(action: ReportAction)
}

/// The life of a monthly report (CATALOG.md, PRODUCT.md):
///
///     draft --submit--> submitted --verify--> verified --revise--> verified (new version)
///                           |  ^
///                     return|  |submit
///                           v  |
///                         returned   (edit keeps draft or returned as it is)
///
/// Decisions where the documents are silent:
/// - `admin` may do everything `kabkota` may (it is national); `provinsi` and `viewer` only read.
/// - A TKSK edits and submits; kabkota and admin may also edit and submit on the TKSK's behalf.
/// - A revision by kabkota or admin is recorded as a new version that stays `verified`: the
///   Dinas is the one verifying, so its correction needs no second verification. The service
///   keeps every version (with the reason).
/// - Precedence: an actor who may never take the action gets `forbidden`, before the status
///   is looked at; otherwise an action not open in the status is `illegal`.
public enum ReportWorkflow {
    private struct Rule {
        let from: ReportStatus
        let action: ReportAction
        let to: ReportStatus
        let actors: Set<ReportActor>
    }

    private static let writers: Set<ReportActor> = [.tksk, .kabkota, .admin]
    private static let verifiers: Set<ReportActor> = [.kabkota, .admin]

    private static let rules: [Rule] = [
        Rule(from: .draft, action: .edit, to: .draft, actors: writers),
        Rule(from: .returned, action: .edit, to: .returned, actors: writers),
        Rule(from: .draft, action: .submit, to: .submitted, actors: writers),
        Rule(from: .returned, action: .submit, to: .submitted, actors: writers),
        Rule(from: .submitted, action: .verify, to: .verified, actors: verifiers),
        Rule(from: .submitted, action: .return, to: .returned, actors: verifiers),
        Rule(from: .verified, action: .revise, to: .verified, actors: verifiers),
    ]

    // What a status means for who acts next is said by PilarAPI's catalogue
    // (`report_state.<status>`), in the same words for every refusal in it.

    /// A report that does not exist yet starts as a draft, created by whoever may edit.
    public static let initialStatus = ReportStatus.draft
    public static func mayCreate(_ actor: ReportActor) -> Bool { writers.contains(actor) }

    public static func requiresReason(_ action: ReportAction) -> Bool { action == .return || action == .revise }

    public static func next(from: ReportStatus, action: ReportAction, actor: ReportActor) -> Result<ReportStatus, WorkflowError> {
        guard rules.contains(where: { $0.action == action && $0.actors.contains(actor) }) else {
            return .failure(.forbidden(actor: actor, action: action))
        }
        guard let rule = rules.first(where: { $0.from == from && $0.action == action && $0.actors.contains(actor) }) else {
            return .failure(.illegal(from: from, action: action, allowed: allowedActions(from: from, actor: actor)))
        }
        return .success(rule.to)
    }

    /// As `next(from:action:actor:)`, and a non-blank reason for `return` and `revise`.
    public static func next(from: ReportStatus, action: ReportAction, actor: ReportActor,
                            reason: String?) -> Result<ReportStatus, WorkflowError> {
        let result = next(from: from, action: action, actor: actor)
        if case .success = result, requiresReason(action),
           (reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "").isEmpty {
            return .failure(.reasonRequired(action: action))
        }
        return result
    }

    /// In `ReportAction` order.
    public static func allowedActions(from: ReportStatus, actor: ReportActor) -> [ReportAction] {
        ReportAction.allCases.filter { action in
            rules.contains { $0.from == from && $0.action == action && $0.actors.contains(actor) }
        }
    }
}
