import Foundation
import HTTPServer

/// Counters for `GET /metrics` (Prometheus text format 0.0.4).
public final class Metrics {
    private let lock = NSLock()
    private var requests: [String: Int] = [:]          // "method|route|status" -> count
    private static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private var buckets = [Int](repeating: 0, count: Metrics.bounds.count)
    private var durationSum = 0.0
    private var durationCount = 0

    public init() {}

    /// Method labels: the methods HTTP defines, "-" for a request refused before its head was
    /// read; any other method name (a client may send any token) is counted as `OTHER`, so no
    /// client can grow the label set.
    static let methodLabels: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "QUERY", "-"]

    /// The series key; every part comes from a bounded set (route patterns are the router's,
    /// statuses three digits).
    static func key(_ e: AccessLogEntry) -> String {
        let method = methodLabels.contains(e.method) ? e.method : "OTHER"
        let status = (100...999).contains(e.status) ? e.status : 0
        return "\(method)|\(e.routePattern ?? "unmatched")|\(status)"
    }

    public func record(_ e: AccessLogEntry) {
        let key = Self.key(e)
        lock.lock()
        requests[key, default: 0] += 1
        for (i, b) in Metrics.bounds.enumerated() where e.duration <= b { buckets[i] += 1 }
        durationSum += e.duration
        durationCount += 1
        lock.unlock()
    }

    public func render(openConnections: Int, writeQueueDepth: Int, committedWrites: Int64) -> String {
        lock.lock()
        defer { lock.unlock() }
        var out = "# HELP pilar_http_requests_total HTTP requests answered, by method, route and status.\n"
        out += "# TYPE pilar_http_requests_total counter\n"
        for key in requests.keys.sorted() {
            let p = key.split(separator: "|", omittingEmptySubsequences: false)
            out += "pilar_http_requests_total{method=\"\(p[0])\",route=\"\(escape(String(p[1])))\",status=\"\(p[2])\"} \(requests[key]!)\n"
        }
        out += "# HELP pilar_http_request_duration_seconds Time from request head to last response byte.\n"
        out += "# TYPE pilar_http_request_duration_seconds histogram\n"
        for (i, b) in Metrics.bounds.enumerated() {
            out += "pilar_http_request_duration_seconds_bucket{le=\"\(b)\"} \(buckets[i])\n"
        }
        out += "pilar_http_request_duration_seconds_bucket{le=\"+Inf\"} \(durationCount)\n"
        out += "pilar_http_request_duration_seconds_sum \(durationSum)\n"
        out += "pilar_http_request_duration_seconds_count \(durationCount)\n"
        out += "# HELP pilar_http_open_connections Client connections open now.\n# TYPE pilar_http_open_connections gauge\n"
        out += "pilar_http_open_connections \(openConnections)\n"
        out += "# HELP pilar_db_write_queue_depth Writes waiting for the database writer.\n# TYPE pilar_db_write_queue_depth gauge\n"
        out += "pilar_db_write_queue_depth \(writeQueueDepth)\n"
        out += "# HELP pilar_writes_committed_total Write transactions this process committed since it started.\n# TYPE pilar_writes_committed_total counter\n"
        out += "pilar_writes_committed_total \(committedWrites)\n"
        return out
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
