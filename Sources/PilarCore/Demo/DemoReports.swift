import Foundation
import SQLiteStore

extension Demo {
    /// Example TKSK reports of Kota Cirebon for the four months before the current one, in
    /// every state: older months verified, the month before last partly submitted, last month
    /// submitted, returned (with notes), draft or not started. Kejaksan (32.74.01) is left
    /// open last month so the README can walk a report through its whole cycle.
    /// Everything is dated relative to the clock and never after it: a report is never
    /// submitted in the future, so nothing counts as late before its due date. Each history
    /// starts in draft, as a real one does. Counts are made up but stable.
    /// Idempotent: a kecamatan and month that has a report is left alone.
    static func seedReports(_ pilar: Pilar) throws {
        let demo = Caller(tokenID: nil, name: "demo", role: .admin, region: nil)
        let policy = pilar.config.dueDates
        let now = pilar.clock.now()
        let thisMonth = ReportPeriod.containing(now, timeZone: ReportValidation.wib)
        let kecamatan = kecamatanCodes.compactMap(RegionCode.init)
        try pilar.write { c in
            for back in (1...4).reversed() {
                let period = thisMonth.adding(months: -back)
                for (k, code) in kecamatan.enumerated() {
                    guard let status = demoStatus(back: back, kecamatan: k),
                          try RegionService.lookup(code, on: c) != nil,
                          try ReportStore.find(c, code, period) == nil else { continue }
                    let t = timeline(policy.dueAt(period), kecamatan: k, now: now)
                    let content = example(code, period, seed: back * 7 + k)
                    _ = try ReportStore.create(c, kecamatan: code, period: period, status: .draft, content: content,
                                               dueAt: Clock.timestamp(policy.dueAt(period)), at: Clock.timestamp(t.created),
                                               by: demo, event: "created")
                    guard status != .draft else { continue }
                    let late = policy.isLate(submittedAt: t.submitted, period: period)
                    try move(c, code, period, to: .submitted,
                             sets: "submitted_at = ?, submitted_by = 'demo', late = ?", [Clock.timestamp(t.submitted), late ? 1 : 0],
                             event: .init(action: "submitted", status: .submitted), at: t.submitted, by: demo)
                    let v = Clock.timestamp(t.reviewed)
                    if status == .verified {
                        try move(c, code, period, to: .verified, sets: "verified_at = ?, verified_by = 'demo'", [v],
                                 event: .init(action: "verified", status: .verified), at: t.reviewed, by: demo)
                    } else if status == .returned {
                        let reason = "Data LUT belum sesuai dengan rekap kelurahan"
                        let notes = [FieldNote(field: "pmks[LUT].male", message: "angka LUT laki-laki perlu dicek ulang dengan data kelurahan")]
                        try move(c, code, period, to: .returned,
                                 sets: "returned_at = ?, returned_by = 'demo', return_reason = ?, return_notes = ?",
                                 [v, reason, FieldNote.stored(notes)],
                                 event: .init(action: "returned", status: .returned, reason: reason, notes: notes), at: t.reviewed, by: demo)
                    }
                }
            }
        }
    }

    /// Last month: 32.74.01 open (the README's walk-through), 02 and 05 submitted, 03 returned,
    /// 04 a draft. The month before: 05 still waits for verification. Older months: verified.
    static func demoStatus(back: Int, kecamatan k: Int) -> ReportStatus? {
        switch (back, k) {
        case (1, 0): return nil
        case (1, 2): return .returned
        case (1, 3): return .draft
        case (1, _), (2, 4): return .submitted
        default: return .verified
        }
    }

    /// When a demo report was started, submitted and reviewed: around its due date (32.74.02 a
    /// few days late), but never after `now`; a month not yet due is sent a little before now.
    static func timeline(_ due: Date, kecamatan k: Int, now: Date) -> (created: Date, submitted: Date, reviewed: Date) {
        let hour = 3600.0, day = 86_400.0
        let planned = due.addingTimeInterval(k == 1 ? 3 * day : -2 * day - Double(k) * hour)
        let submitted = min(planned, now.addingTimeInterval(-2 * hour - Double(k) * 600))
        let reviewed = min(submitted.addingTimeInterval(4 * day), now.addingTimeInterval(-hour + Double(k) * 60))
        return (submitted.addingTimeInterval(-5 * day), submitted, reviewed)
    }

    private static func move(_ c: Connection, _ code: RegionCode, _ period: ReportPeriod, to status: ReportStatus,
                             sets: String, _ args: [SQLBindable?], event: ReportStore.Event, at: Date, by demo: Caller) throws {
        let r = try ReportStore.find(c, code, period)!
        try ReportStore.setStatus(c, r, to: status, sets: sets, args, event: event, at: Clock.timestamp(at), by: demo)
    }

    /// A plausible month for one kecamatan: a few PMKS categories (one split by kelurahan),
    /// the PSKS of the source documents, two activities.
    static func example(_ k: RegionCode, _ period: ReportPeriod, seed: Int) -> ReportContent {
        func n(_ base: Int, _ salt: Int) -> Int { base + (seed * 31 + salt * 17) % max(base / 4, 3) }
        let desa = kelurahan.filter { $0.0.hasPrefix(k.dotted + ".") }.map(\.0).prefix(2)
        var pmks = [
            PMKSLine(category: "AT", male: n(6, 1), female: n(5, 2)),
            PMKSLine(category: "LUT", male: n(14, 3), female: n(19, 4)),
            PMKSLine(category: "PD", male: n(11, 5), female: n(9, 6)),
            PMKSLine(category: "PRSE", male: 0, female: n(12, 7)),
            PMKSLine(category: "FM", count: n(120, 8)),
            PMKSLine(category: "KBTLH", count: n(18, 9)),
        ]
        for (i, d) in desa.enumerated() { pmks.append(PMKSLine(category: "PGM", desa: d, male: n(2, 10 + i), female: n(1, 12 + i))) }
        let day = min(12 + seed % 10, period.lastDay.day)
        return ReportContent(
            pmks: pmks,
            psks: [PSKSCount(type: "PSM", count: 20), PSKSCount(type: "TKSK", count: 1), PSKSCount(type: "KARTAR", count: desa.count + 2)],
            activities: [
                ReportActivity(kind: "pendampingan", date: "\(period)-\(day < 10 ? "0" : "")\(day)",
                               description: "Pendampingan penyaluran bantuan sosial lanjut usia", participants: n(20, 14)),
                ReportActivity(kind: "koordinasi", date: "\(period)-05", description: "Rapat koordinasi dengan kelurahan dan puskesmas",
                               participants: 12),
            ],
            notes: ReportNotes(kendala: "Sebagian data belum diperbarui oleh kelurahan", tindakLanjut: "Verifikasi lapangan bulan depan")
        ).canonical()
    }
}
