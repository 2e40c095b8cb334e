import Foundation

extension Demo {
    /// Example TKSK reports of Kota Cirebon for the four months before the current one, in
    /// every state: older months verified, the month before last partly submitted, last month
    /// submitted, returned (with notes), draft or missing. Counts are made up but stable.
    /// Idempotent: a kecamatan and month that has a report is left alone.
    static func seedReports(_ pilar: Pilar) throws {
        let demo = Caller(tokenID: nil, name: "demo", role: .admin, region: nil)
        let policy = pilar.config.dueDates
        let thisMonth = ReportPeriod.containing(pilar.clock.now(), timeZone: ReportValidation.wib)
        let kecamatan = ["32.74.01", "32.74.02", "32.74.03", "32.74.04", "32.74.05"].compactMap(RegionCode.init)
        try pilar.write { c in
            for back in (1...4).reversed() {
                let period = thisMonth.adding(months: -back)
                for (k, code) in kecamatan.enumerated() {
                    guard try RegionService.lookup(code, on: c) != nil,
                          try ReportRecord.find(code, period, c) == nil else { continue }
                    // Last month: 01, 02 submitted, 03 returned, 04 draft, 05 not started.
                    // The month before: 05 still waits for verification; older months verified.
                    let status: ReportStatus
                    switch (back, k) {
                    case (1, 0), (1, 1): status = .submitted
                    case (1, 2): status = .returned
                    case (1, 3): status = .draft
                    case (1, _): continue
                    case (2, 4): status = .submitted
                    default: status = .verified
                    }
                    let due = policy.dueAt(period)
                    // 32.74.02 tends to be a few days late.
                    let submitted = due.addingTimeInterval(k == 1 ? 3 * 86_400 : -2 * 86_400 - Double(k) * 3600)
                    let verified = submitted.addingTimeInterval(4 * 86_400)
                    let content = example(code, period, seed: back * 7 + k)
                    let created = Clock.timestamp(submitted.addingTimeInterval(-5 * 86_400))
                    let id = try ReportStore.create(c, kecamatan: code, period: period, status: status, content: content,
                                                    dueAt: Clock.timestamp(due), at: created, by: demo, event: "created")
                    guard status != .draft else { continue }
                    let s = Clock.timestamp(submitted)
                    let late = policy.isLate(submittedAt: submitted, period: period)
                    try c.run("""
                        UPDATE reports SET submitted_at = ?, submitted_by = 'demo', late = ?, updated_at = ? WHERE id = ?
                        """, s, late ? 1 : 0, s, id)
                    try ReportStore.appendEvent(c, id: id, version: 1, .init(action: "submitted", status: .submitted), at: s, by: demo)
                    if status == .verified {
                        let v = Clock.timestamp(verified)
                        try c.run("UPDATE reports SET verified_at = ?, verified_by = 'demo', updated_at = ? WHERE id = ?", v, v, id)
                        try ReportStore.appendEvent(c, id: id, version: 1, .init(action: "verified", status: .verified), at: v, by: demo)
                    } else if status == .returned {
                        let v = Clock.timestamp(verified)
                        let notes = [FieldNote(field: "pmks[0].male", message: "angka LUT laki-laki perlu dicek ulang dengan data kelurahan")]
                        try c.run("""
                            UPDATE reports SET returned_at = ?, returned_by = 'demo', return_reason = ?, return_notes = ?, updated_at = ?
                            WHERE id = ?
                            """, v, "Data LUT belum sesuai dengan rekap kelurahan", FieldNote.stored(notes), v, id)
                        try ReportStore.appendEvent(c, id: id, version: 1,
                                                    .init(action: "returned", status: .returned,
                                                          reason: "Data LUT belum sesuai dengan rekap kelurahan", notes: notes),
                                                    at: v, by: demo)
                    }
                }
            }
        }
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
