import Foundation
import XCTest
@testable import PilarCore

final class DomainQualityTests: XCTestCase {
    private typealias History = [String: [(period: ReportPeriod, total: Int)]]
    private let october = ReportPeriod("2026-10")!

    /// Totals for the months before October 2026, most recent first.
    private func months(_ totals: [Int]) -> [(period: ReportPeriod, total: Int)] {
        totals.enumerated().map { (october.adding(months: -1 - $0.offset), $0.element) }
    }

    private func at(_ total: Int) -> ReportContent {
        ReportContent(pmks: [PMKSLine(category: "AT", male: total - total / 2, female: total / 2)])
    }

    private func codes(_ content: ReportContent, _ history: History = [:], period: ReportPeriod? = nil) -> [String] {
        let warnings = period == nil ? ReportQuality.warnings(content, history: history)
            : ReportQuality.warnings(content, period: period, history: history)
        return warnings.map { "\($0.field):\($0.code)" }
    }

    func testDesaLinesMustAddUpToTheKecamatanLine() {
        func content(_ desa2Female: Int, fmDesa: Int) -> ReportContent {
            ReportContent(pmks: [
                PMKSLine(category: "AT", male: 10, female: 5),
                PMKSLine(category: "AT", desa: "32.74.01.1001", male: 6, female: 3),
                PMKSLine(category: "AT", desa: "32.74.01.1002", male: 4, female: desa2Female),
                PMKSLine(category: "FM", desa: "32.74.01.1001", count: fmDesa),
                PMKSLine(category: "FM", count: 100),
                PMKSLine(category: "KR", desa: "32.74.01.1001", count: 7),   // desa lines only: nothing to compare
                PMKSLine(category: "KBTLH", count: 7),                       // kecamatan line only
            ])
        }
        XCTAssertEqual(codes(content(2, fmDesa: 100)), [])
        XCTAssertEqual(codes(content(1, fmDesa: 100)), ["pmks[0]:desa_sum_mismatch"])
        XCTAssertEqual(codes(content(2, fmDesa: 90)), ["pmks[4]:desa_sum_mismatch"])
        // What the warning says (its words are PilarAPI's: MessageCatalogTests.testReportRuleWords).
        let values = ReportQuality.warnings(content(1, fmDesa: 100), history: [:]).first?.values
        XCTAssertEqual(values, ["category": "AT", "desa": "female 4", "whole": "female 5"])
    }

    func testUnusualTotalAgainstTheLastTwelveMonths() {
        let steady = months([100, 96, 104, 99, 101, 95, 105, 100, 98, 102, 97, 103])
        let cases: [(String, Int, [(period: ReportPeriod, total: Int)], [String])] = [
            ("usual", 103, steady, []),
            ("far above", 160, steady, ["pmks[0]:unusual_total"]),
            ("far below", 40, steady, ["pmks[0]:unusual_total"]),
            ("too little history", 160, Array(steady.prefix(5)), []),
            ("six months are enough", 160, Array(steady.prefix(6)), ["pmks[0]:unusual_total"]),
            // MAD 0: the mean absolute deviation stands in.
            ("MAD zero, far", 80, months([50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 52, 48]), ["pmks[0]:unusual_total"]),
            ("MAD zero, within 20", 60, months([50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 52, 48]), []),
            ("flat history, changed by 21", 71, months(Array(repeating: 50, count: 12)), ["pmks[0]:unusual_total"]),
            ("flat history, changed by 20", 70, months(Array(repeating: 50, count: 12)), []),
            ("flat history, unchanged", 50, months(Array(repeating: 50, count: 12)), []),
            // Small counts moving by a few are not worth a look, however large z is.
            ("small counts", 15, months([2, 3, 2, 1, 3, 2, 2, 3, 1, 2, 2, 3]), []),
        ]
        for (name, total, history, expected) in cases {
            XCTAssertEqual(codes(at(total), ["AT": history]), expected, name)
            XCTAssertEqual(codes(at(total), ["at": history.shuffled()]), expected, "\(name), any order and case")
        }
    }

    func testSuddenChangeFromThePreviousMonth() {
        let cases: [(String, Int, Int, [String])] = [
            ("over 3 times", 10, 40, ["pmks[0]:sudden_change"]),
            ("exactly 3 times", 10, 30, []),
            ("3 times but small", 5, 20, []),
            ("drop below a third", 100, 20, ["pmks[0]:sudden_change"]),
            ("from zero", 0, 21, ["pmks[0]:sudden_change"]),
            ("from zero, small", 0, 20, []),
        ]
        for (name, previous, total, expected) in cases {
            XCTAssertEqual(codes(at(total), ["AT": months([previous])]), expected, name)
        }
        let warning = ReportQuality.warnings(at(40), history: ["AT": months([10])]).first
        XCTAssertEqual(warning?.variant, "up")
        XCTAssertEqual(warning?.values, ["category": "AT", "total": 40, "factor": 3, "previous": 10, "period": "2026-09"])
    }

    func testWithThePeriodOnlyTheTwelveMonthsBeforeItCount() {
        // Six months of history, two of them more than a year before October 2026.
        let history = [(ReportPeriod("2026-09")!, 100), (ReportPeriod("2026-07")!, 98), (ReportPeriod("2026-05")!, 103),
                       (ReportPeriod("2026-01")!, 101), (ReportPeriod("2025-08")!, 99), (ReportPeriod("2025-06")!, 97)]
            .map { (period: $0.0, total: $0.1) }
        XCTAssertEqual(codes(at(160), ["AT": history]), ["pmks[0]:unusual_total"])
        XCTAssertEqual(codes(at(160), ["AT": history], period: october), [], "only 4 months within the window")
        // The report's own month in the history is ignored; the previous month must be exactly September.
        let gap = [(period: ReportPeriod("2026-08")!, total: 10), (period: october, total: 500)]
        XCTAssertEqual(codes(at(40), ["AT": gap], period: october), [], "no September: no month-to-month comparison")
        XCTAssertEqual(codes(at(40), ["AT": gap], period: ReportPeriod("2026-09")!), ["pmks[0]:sudden_change"])
    }

    func testTotalsFromDesaLinesAndIncompleteLines() {
        let desaOnly = ReportContent(pmks: [PMKSLine(category: "FM", desa: "32.74.01.1001", count: 30),
                                            PMKSLine(category: "FM", desa: "32.74.01.1002", count: 15)])
        XCTAssertEqual(codes(desaOnly, ["FM": months([10])]), ["pmks[0]:sudden_change"], "45 is the total")
        let incomplete = ReportContent(pmks: [PMKSLine(category: "AT", male: 90)])
        XCTAssertEqual(codes(incomplete, ["AT": months([10])]), [], "no total, no comparison")
    }
}
