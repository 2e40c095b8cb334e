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

        // Per row only integer work: a national month lists 7,285 kecamatan, and Foundation's
        // calendar and ISO 8601 formatter cost tens of microseconds a call on Linux (they made
        // this answer take 2 s). Due moments are computed once per month asked for.
        let policy = pilar.config.dueDates
        let now = pilar.clock.now()
        var due: [String: (at: Date, text: String)] = [:]
        for m in months {
            let at = policy.dueAt(ReportPeriod(m)!)
            due[m] = (at, Clock.timestamp(at))
        }
        var total = Tally()
        var children: [String: Tally] = [:]
        for code in childNames.keys { children[code] = Tally() }
        // Dotted codes have fixed widths (32, 32.74, 32.74.01): a child is a prefix.
        let childWidth = [2, 5, 8][min(max(childDepth, 1), 3) - 1]
        // The listing is written straight to JSON bytes: a JSONObject per kecamatan (a
        // dictionary and an enum tree for 7,285 rows) was half of the national answer's time.
        var listed: [UInt8] = []
        var listedCount = 0
        if q.listing != .none { listed.reserveCapacity(rows.count * 170) }
        var csvKecamatan: [[String]] = []
        for r in rows {
            let code = r.string(0)
            let periodText = r.string(2)
            let status = r.optionalString(3)
            let received = status == "submitted" || status == "verified"
            let late = received && r.int(6) != 0
            guard let periodDue = due[periodText] else { continue }  // (months come from the query)
            // Not started or a draft, and its due moment still ahead: not missing yet.
            let notYetDue = (status == nil || status == "draft") && now <= periodDue.at
            var t = Tally()
            t.expected = 1
            t.received = received ? 1 : 0
            t.late = late ? 1 : 0
            t.onTime = received && !late ? 1 : 0
            t.verified = status == "verified" ? 1 : 0
            t.notYetDue = notYetDue ? 1 : 0
            total.add(t)
            if childDepth <= 3, code.utf8.count >= childWidth {
                children[String(code.utf8.prefix(childWidth))!, default: Tally()].add(t)
            }

            // Overdue, late, waiting for verification or returned; a draft or an absent report
            // before its due date is work in progress, not a problem.
            let problem = late || status == "submitted" || status == "returned" || (!received && !notYetDue)
            guard q.listing == .all || (q.listing == .problems && problem) || q.table == .kecamatan else { continue }
            let shownStatus = status ?? (notYetDue ? "not_yet_due" : "missing")
            let submittedAt = r.optionalString(5)
            // Not received (missing, draft, returned): overdue as of now.
            let moment = received ? submittedAt.flatMap(Self.parseTimestamp) ?? now : now
            let daysLate = Self.daysLate(moment, due: periodDue.at)
            let dueAt = r.optionalString(4) ?? periodDue.text
            let name = r.string(1)
            if q.listing == .all || (q.listing == .problems && problem) {
                listed.append(listedCount == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
                listedCount += 1
                Self.member("{\"code\":", code, &listed)
                Self.member(",\"name\":", name, &listed)
                Self.member(",\"period\":", periodText, &listed)
                Self.member(",\"status\":", shownStatus, &listed)
                Self.member(",\"due_at\":", dueAt, &listed)
                Self.member(",\"submitted_at\":", submittedAt, &listed)
                listed += Self.daysLateKey
                listed += String(daysLate).utf8
                listed.append(UInt8(ascii: "}"))
            }
            if q.table == .kecamatan {
                csvKecamatan.append([code, name, periodText, shownStatus, dueAt, submittedAt ?? "", String(daysLate)])
            }
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
        var document = JSON.object(o).encoded()
        if q.listing != .none {
            document.removeLast()  // the closing brace
            document += ",\"kecamatan\":".utf8
            if listedCount == 0 { listed.append(UInt8(ascii: "[")) }
            document += listed
            document += "]}".utf8
        }

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
                           documentBytes: document)
    }

    static let daysLateKey = Array(",\"days_late\":".utf8)

    /// `key` (already JSON, with its colon) and the string value, or null.
    static func member(_ key: StaticString, _ value: String?, _ out: inout [UInt8]) {
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        if let value { writeJSONString(value, to: &out) } else { out += "null".utf8 }
    }
}

extension StatsService {
    /// `DueDatePolicy.daysLate` for a known due moment: started days after it, 0 when on time.
    static func daysLate(_ moment: Date, due: Date) -> Int {
        let seconds = moment.timeIntervalSince(due)
        guard seconds > 0 else { return 0 }
        return Int((seconds / 86_400).rounded(.up))
    }

    /// Parses the stored timestamp form `YYYY-MM-DDTHH:MM:SS[.fff]Z` (Clock.timestamp) with
    /// integer arithmetic; anything else goes to `Clock.parseTimestamp`.
    static func parseTimestamp(_ s: String) -> Date? {
        let b = Array(s.utf8)
        func num(_ from: Int, _ n: Int) -> Int? {
            var v = 0
            for i in from..<(from + n) {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard b.count == 20 || (b.count == 24 && b[19] == UInt8(ascii: ".")), b[b.count - 1] == UInt8(ascii: "Z"),
              b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
              let sec = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 60
        else { return Clock.parseTimestamp(s) }
        let ms = b.count == 24 ? num(20, 3) : 0
        guard let ms else { return Clock.parseTimestamp(s) }
        // Days from 1970-01-01 to the civil date (H. Hinnant's days_from_civil).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = Double(days * 86_400 + h * 3600 + mi * 60 + sec) + Double(ms) / 1000
        return Date(timeIntervalSince1970: seconds)
    }
}

/// Counts of one region (or the total) for completeness.
struct Tally {
    var expected = 0, received = 0, onTime = 0, late = 0, verified = 0, notYetDue = 0

    mutating func add(_ t: Tally) {
        expected += t.expected
        received += t.received
        onTime += t.onTime
        late += t.late
        verified += t.verified
        notYetDue += t.notYetDue
    }

    static let columns = ["expected", "received", "on_time", "late", "verified", "not_yet_due",
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
        o["not_yet_due"] = .int(Int64(notYetDue))
        o["received_rate"] = rate(received)
        o["on_time_rate"] = rate(onTime)
        o["late_rate"] = rate(late)
        o["verified_rate"] = rate(verified)
        return o
    }

    var cells: [String] { Tally.columns.map { StatsService.cell(json[$0] ?? .null) } }
}
