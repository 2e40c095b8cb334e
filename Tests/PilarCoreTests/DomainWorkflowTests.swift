import Foundation
import XCTest
@testable import PilarCore

final class DomainWorkflowTests: XCTestCase {
    /// Every allowed move, written out: "from action actor -> to".
    private let allowed: Set<String> = [
        "draft edit tksk -> draft", "draft edit kabkota -> draft", "draft edit admin -> draft",
        "returned edit tksk -> returned", "returned edit kabkota -> returned", "returned edit admin -> returned",
        "draft submit tksk -> submitted", "draft submit kabkota -> submitted", "draft submit admin -> submitted",
        "returned submit tksk -> submitted", "returned submit kabkota -> submitted", "returned submit admin -> submitted",
        "submitted verify kabkota -> verified", "submitted verify admin -> verified",
        "submitted return kabkota -> returned", "submitted return admin -> returned",
        "verified revise kabkota -> verified", "verified revise admin -> verified",
    ]

    func testEveryStatusActionAndActor() {
        var successes = 0
        for status in ReportStatus.allCases {
            for action in ReportAction.allCases {
                for actor in ReportActor.allCases {
                    let result = ReportWorkflow.next(from: status, action: action, actor: actor)
                    let key = "\(status.rawValue) \(action.rawValue) \(actor.rawValue)"
                    if let to = allowed.first(where: { $0.hasPrefix(key + " -> ") })?.components(separatedBy: " -> ").last {
                        XCTAssertEqual(try? result.get().rawValue, to, key)
                        successes += 1
                        continue
                    }
                    let everAllowed = allowed.contains { $0.contains(" \(action.rawValue) \(actor.rawValue) -> ") }
                    let expected: WorkflowError = everAllowed
                        ? .illegal(from: status, action: action, allowed: ReportWorkflow.allowedActions(from: status, actor: actor))
                        : .forbidden(actor: actor, action: action)
                    XCTAssertEqual(result, .failure(expected), key)
                }
            }
        }
        XCTAssertEqual(successes, allowed.count)
    }

    func testAllowedActions() {
        let cases: [(ReportStatus, ReportActor, [ReportAction])] = [
            (.draft, .tksk, [.edit, .submit]),
            (.submitted, .tksk, []),
            (.submitted, .kabkota, [.verify, .return]),
            (.returned, .tksk, [.edit, .submit]),
            (.verified, .kabkota, [.revise]),
            (.verified, .tksk, []),
            (.submitted, .provinsi, []),
            (.draft, .viewer, []),
        ]
        for (status, actor, actions) in cases {
            XCTAssertEqual(ReportWorkflow.allowedActions(from: status, actor: actor), actions, "\(status) \(actor)")
        }
    }

    func testReturnAndReviseNeedAReason() {
        let cases: [(ReportStatus, ReportAction, String?, Result<ReportStatus, WorkflowError>)] = [
            (.submitted, .return, "angka FM tidak sesuai", .success(.returned)),
            (.submitted, .return, nil, .failure(.reasonRequired(action: .return))),
            (.submitted, .return, "  ", .failure(.reasonRequired(action: .return))),
            (.verified, .revise, "koreksi data desa", .success(.verified)),
            (.verified, .revise, "", .failure(.reasonRequired(action: .revise))),
            (.submitted, .verify, nil, .success(.verified)),
            // A move that is illegal anyway says so, not that a reason is missing.
            (.draft, .return, nil, .failure(.illegal(from: .draft, action: .return, allowed: [.edit, .submit]))),
        ]
        for (status, action, reason, expected) in cases {
            XCTAssertEqual(ReportWorkflow.next(from: status, action: action, actor: .kabkota, reason: reason), expected,
                           "\(status) \(action) \(reason ?? "nil")")
        }
    }

    func testCreationAndMessages() {
        XCTAssertEqual(ReportWorkflow.initialStatus, .draft)
        XCTAssertTrue(ReportWorkflow.mayCreate(.tksk))
        XCTAssertFalse(ReportWorkflow.mayCreate(.viewer))
        XCTAssertFalse(ReportWorkflow.mayCreate(.provinsi))
        // The words of a refusal are PilarAPI's (MessageCatalogTests.testWorkflowRefusalsReadTheSameForAState).
        XCTAssertTrue(ReportWorkflow.requiresReason(.return))
        XCTAssertFalse(ReportWorkflow.requiresReason(.submit))
    }
}
