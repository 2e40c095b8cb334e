public typealias RouteHandler = (HTTPRequest, RouteParameters) throws -> HTTPResponse

/// Values of the `{name}` segments of a matched pattern, percent-decoded.
public struct RouteParameters {
    var values: [(name: String, value: String)] = []
    public init() {}
    public init(_ pairs: [(String, String)]) { values = pairs.map { (name: $0.0, value: $0.1) } }
    public subscript(_ name: String) -> String? { values.first { $0.name == name }?.value }
}

/// Method + path pattern -> handler. Patterns are split into segments; "{name}" matches one
/// non-empty segment, and literal segments win over parameters.
public final class Router: HTTPResponder {
    private final class Node {
        var literals: [String: Node] = [:]
        var parameter: (name: String, node: Node)?
        var handlers: [String: RouteHandler] = [:]
        var pattern: String?
    }

    public enum Match {
        case found(RouteHandler, RouteParameters, pattern: String)
        /// Allowed methods on the path, with HEAD when GET exists, and OPTIONS.
        case methodNotAllowed(allow: [String])
        case notFound
    }

    private let root = Node()

    public init() {}

    /// `pattern` like "/v1/reports/{kecamatan}/{period}/submit". Adding the same method and
    /// pattern twice replaces the handler.
    public func add(_ method: String, _ pattern: String, _ handler: @escaping RouteHandler) {
        var node = root
        for segment in Self.segments(pattern) {
            if segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2 {
                let name = String(segment.dropFirst().dropLast())
                if let existing = node.parameter {
                    precondition(existing.name == name, "route \(pattern): parameter {\(name)} clashes with {\(existing.name)}")
                    node = existing.node
                } else {
                    let next = Node()
                    node.parameter = (name, next)
                    node = next
                }
            } else if let next = node.literals[segment] {
                node = next
            } else {
                let next = Node()
                node.literals[segment] = next
                node = next
            }
        }
        node.handlers[method.uppercased()] = handler
        node.pattern = pattern
    }

    /// HEAD falls back to the GET handler.
    public func match(method: String, path: String) -> Match {
        var candidates: [(Node, [(name: String, value: String)])] = []
        collect(root, Self.segments(path)[...], [], into: &candidates)
        // The most literal pattern owns the path, for every method (as in OpenAPI, a concrete path
        // wins over a templated one): DELETE /v1/regions/search is a 405 listing the literal's
        // methods, never a call of /v1/regions/{code} with the code "search".
        guard let (node, values) = candidates.first else { return .notFound }
        if let handler = node.handlers[method] ?? (method == "HEAD" ? node.handlers["GET"] : nil) {
            return .found(handler, RouteParameters(values.map { ($0.name, $0.value) }), pattern: node.pattern ?? path)
        }
        return .methodNotAllowed(allow: Self.allow([node]))
    }

    /// Every node matching the path, most literal first (depth-first, literal before parameter).
    private func collect(_ node: Node, _ rest: ArraySlice<String>, _ values: [(name: String, value: String)],
                         into result: inout [(Node, [(name: String, value: String)])]) {
        guard let segment = rest.first else {
            if !node.handlers.isEmpty { result.append((node, values)) }
            return
        }
        if let next = node.literals[segment] {
            collect(next, rest.dropFirst(), values, into: &result)
        }
        if let (name, next) = node.parameter, !segment.isEmpty {
            let value = HTTPRequest.percentDecode(Substring(segment), plusAsSpace: false)
            collect(next, rest.dropFirst(), values + [(name: name, value: value)], into: &result)
        }
    }

    private static func allow(_ nodes: [Node]) -> [String] {
        var methods = Set(nodes.flatMap { $0.handlers.keys })
        if methods.contains("GET") { methods.insert("HEAD") }
        methods.insert("OPTIONS")
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        return order.filter(methods.contains) + methods.subtracting(order).sorted()
    }

    /// "/a/b" -> ["a", "b"]; "/" -> []; "/a/" -> ["a", ""] (a trailing slash is a different path).
    private static func segments(_ path: String) -> [String] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "" { parts.removeFirst() }
        if parts == [""] { return [] }
        return parts
    }

    // MARK: HTTPResponder

    /// 404, 405 with Allow, 204 with Allow for OPTIONS, handler errors as 500; all problem+json.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        if request.method == "OPTIONS" && request.target == "*" {
            // The server as a whole (RFC 9110 §9.3.7).
            return HTTPResponse(status: 204, headers: HTTPHeaders([("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")]))
        }
        switch match(method: request.method, path: request.path) {
        case .notFound:
            return .problem(status: 404, detail: "No resource at \(request.path).")
        case .methodNotAllowed(let allow):
            var headers = HTTPHeaders()
            headers.set("Allow", allow.joined(separator: ", "))
            if request.method == "OPTIONS" { return HTTPResponse(status: 204, headers: headers) }
            return .problem(status: 405, detail: "\(request.method) is not allowed on \(request.path).", headers: headers)
        case .found(let handler, let parameters, let pattern):
            request.routePattern = pattern
            do {
                return try handler(request, parameters)
            } catch let error as HTTPBodyError {
                return Self.problem(for: error)
            } catch {
                return .problem(status: 500, detail: "The handler failed (request id \(request.requestID)).")
            }
        }
    }

    /// A body that could not be read ends the exchange: the framing is no longer trustworthy.
    public static func problem(for error: HTTPBodyError) -> HTTPResponse {
        let headers = HTTPHeaders([("Connection", "close")])
        switch error {
        case .tooLarge(let limit):
            return .problem(status: 413, detail: "The request body exceeds the limit of \(limit) bytes.", headers: headers)
        case .timedOut:
            return .problem(status: 408, detail: "The request body did not arrive in time.", headers: headers)
        case .connectionClosed:
            return .problem(status: 400, detail: "The connection closed before the body was complete.", headers: headers)
        case .malformed(let why):
            return .problem(status: 400, detail: why, headers: headers)
        }
    }
}
