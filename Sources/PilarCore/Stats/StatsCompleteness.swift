import Foundation
import SQLiteStore

extension StatsService {
    /// Reporting completeness and timeliness, as DHIS2 reporting rates. `expected` counts the
    /// kecamatan of the subtree that existed in each month (regions.valid_from/valid_until,
    /// NULL = open), so a report of a kecamatan that did not exist is not counted and no rate
    /// passes 1. received = submitted or verified; on_time/late split the received by the
    /// report's `late` flag; verified is a subset of received.
    public func completeness(_ q: CompletenessQuery) throws -> StatsAnswer {
        let months = Self.months(q.from, q.to)
        let values = months.map { _ in "(?)" }.joined(separator: ", ")
        var args: [SQLBindable?] = months.map { $0 as SQLBindable? }
        var subtree = ""
        if let r = q.region {
            subtree = " AND k.code >= ? AND k.code < ?"
            args += [r.subtreeLowerBound, r.subtreeUpperBound]
        }
        let sql = """
            WITH months (period) AS (VALUES \(values))
            SELECT k.code, k.name, m.period, r.status, r.due_at, r.submitted_at, r.late
            FROM regions AS k CROSS JOIN months AS m
            LEFT JOIN reports AS r ON r.kecamatan = k.code AND r.period = m.period
            WHERE k.level = 'kecamatan'\(subtree)
              AND (k.valid_from IS NULL OR k.valid_from <= m.period)
              AND (k.valid_until IS NULL OR k.valid_until >= m.period)
            ORDER BY k.code, m.period
            """
        let childDepth = (q.region?.depth ?? 0) + 1
        let (name, rows, childNames) = try pilar.db.read { c -> (String, [Row], [String: String]) in
            let name = try Self.regionName(q.region, c)
            let rows = try c.query(sql, args)
            var childNames: [String: String] = [:]
            if childDepth <= 3 {
                let children: [Row]
                if let r = q.region {
                    children = try c.query("SELECT code, name FROM regions WHERE parent_code = ?", r.dotted)
                } else {
                    children = try c.query("SELECT code, name FROM regions WHERE parent_code IS NULL")
                }
                for ch in children { childNames[ch.string("code")] = ch.string("name") }
            }
            return (name, rows, childNames)
        }

        let policy = pilar.config.dueDates
        let now = pilar.clock.now()
        var total = Tally()
        var children: [String: Tally] = [:]
        for code in childNames.keys { children[code] = Tally() }
        var listed: [JSON] = []
        var csvKecamatan: [[String]] = []
        for r in rows {
            let code = r.string("code")
            let period = ReportPeriod(r.string("period"))!
            let status = r.optionalString("status")
            let received = status == "submitted" || status == "verified"
            let late = received && r.int("late") != 0
            var t = Tally()
            t.expected = 1
            t.received = received ? 1 : 0
            t.late = late ? 1 : 0
            t.onTime = received && !late ? 1 : 0
            t.verified = status == "verified" ? 1 : 0
            total.add(t)
            if childDepth <= 3, let child = RegionCode(code)?.truncated(toDepth: childDepth)?.dotted {
                children[child, default: Tally()].add(t)
            }

            let submittedAt = r.optionalString("submitted_at")
            // Not received (missing, draft, returned): overdue as of now.
            let daysLate = policy.daysLate(submittedAt: received ? submittedAt.flatMap(Clock.parseTimestamp) : nil,
                                           period: period, now: now)
            let problem = !received || late || status != "verified"
            guard q.listing == .all || (q.listing == .problems && problem) || q.table == .kecamatan else { continue }
            let dueAt = r.optionalString("due_at") ?? Clock.timestamp(policy.dueAt(period))
            var o = JSONObject()
            o["code"] = .string(code)
            o["name"] = .string(r.string("name"))
            o["period"] = .string(period.description)
            o["status"] = .string(status ?? "missing")
            o["due_at"] = .string(dueAt)
            o["submitted_at"] = .from(submittedAt)
            o["days_late"] = .int(Int64(daysLate))
            if q.listing == .all || (q.listing == .problems && problem) { listed.append(.object(o)) }
            csvKecamatan.append([code, r.string("name"), period.description, status ?? "missing", dueAt,
                                 submittedAt ?? "", String(daysLate)])
        }

        var o = JSONObject()
        o["region"] = .from(q.region?.dotted)
        o["region_name"] = .string(name)
        o["period"] = .string(q.from.description)
        o["period_to"] = .string(q.to.description)
        for (k, v) in total.json { o[k] = v }
        let childRows: [(String, Tally)] = children.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        o["children"] = .array(childRows.map { code, tally in
            var c = JSONObject()
            c["region"] = .string(code)
            c["region_name"] = .from(childNames[code])
            for (k, v) in tally.json { c[k] = v }
            return .object(c)
        })
        if q.listing != .none { o["kecamatan"] = .array(listed) }

        let header: [String], csv: [[String]]
        switch q.table {
        case .children:
            header = ["region", "region_name"] + Tally.columns
            var rows = [[q.region?.dotted ?? "", name] + total.cells]
            for (code, tally) in childRows { rows.append([code, childNames[code] ?? ""] + tally.cells) }
            csv = rows
        case .kecamatan:
            header = ["code", "name", "period", "status", "due_at", "submitted_at", "days_late"]
            csv = csvKecamatan
        }
        return StatsAnswer(envelope: JSONObject(), columns: header, rows: csv.map { $0.map(JSON.string) },
                           document: .object(o))
    }
}

/// Counts of one region (or the total) for completeness.
struct Tally {
    var expected = 0, received = 0, onTime = 0, late = 0, verified = 0

    mutating func add(_ t: Tally) {
        expected += t.expected
        received += t.received
        onTime += t.onTime
        late += t.late
        verified += t.verified
    }

    static let columns = ["expected", "received", "on_time", "late", "verified",
                          "received_rate", "on_time_rate", "late_rate", "verified_rate"]

    /// A share of `expected`, rounded to 4 places; null when nothing was expected.
    func rate(_ n: Int) -> JSON {
        guard expected > 0 else { return .null }
        return .double((Double(n) / Double(expected) * 10_000).rounded() / 10_000)
    }

    var json: JSONObject {
        var o = JSONObject()
        o["expected"] = .int(Int64(expected))
        o["received"] = .int(Int64(received))
        o["on_time"] = .int(Int64(onTime))
        o["late"] = .int(Int64(late))
        o["verified"] = .int(Int64(verified))
        o["received_rate"] = rate(received)
        o["on_time_rate"] = rate(onTime)
        o["late_rate"] = rate(late)
        o["verified_rate"] = rate(verified)
        return o
    }

    var cells: [String] { Tally.columns.map { StatsService.cell(json[$0] ?? .null) } }
}
