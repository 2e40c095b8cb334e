import Foundation
import HTTPServer
import PilarCore

/// The web app: `Web/*` embedded at build time (EmbedMigrations plugin). It is one more client of
/// /v1 and holds no secret, so its files are public; the token stays in the browser.
public enum WebApp {
    /// Only our own files and our own API; no inline script or style, never inside a frame.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// Assets by their content-hashed name (`app.3f9c0a1b2d.js`: the first 10 hex digits of the
    /// file's SHA-256), so they may be cached for a year; and index.html with its `/assets/…`
    /// references rewritten to those names, so a page always asks for the assets it came with.
    static let (assets, index): ([String: [UInt8]], [UInt8]) = {
        var assets: [String: [UInt8]] = [:]
        var page = embeddedWebFiles.first { $0.name == "index.html" }?.text ?? ""
        for f in embeddedWebFiles where f.name != "index.html" {
            let ext = (f.name as NSString).pathExtension
            let stem = (f.name as NSString).deletingPathExtension
            let hashed = "\(stem).\(Digest.sha256Hex(Array(f.text.utf8)).prefix(10)).\(ext)"
            assets[hashed] = Array(f.text.utf8)
            page = page.replacingOccurrences(of: "/assets/\(f.name)\"", with: "/assets/\(hashed)\"")
        }
        return (assets, Array(page.utf8))
    }()

    static func contentType(_ name: String) -> String {
        switch (name as NSString).pathExtension {
        case "js": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "html": return "text/html; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    /// The link a Dinas hands a TKSK: the token travels in the fragment, which browsers never send
    /// to the server (so it is in no access log), and the page removes it from the address bar.
    public static func signInLink(base: String, token: String) throws -> String {
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil, url.fragment == nil, url.query == nil else {
            throw PilarError(.badRequest, code: "link_base_invalid", ["base": .text(base)])
        }
        return (base.hasSuffix("/") ? base : base + "/") + "#token=" + token
    }
}

extension PilarApp {
    func registerWebRoutes() {
        publicRoute("GET", "/") { _ in
            var h = HTTPHeaders()
            h.set("Content-Type", "text/html; charset=utf-8")
            // The page names the current asset hashes, so it must be revalidated on every visit.
            h.set("Cache-Control", "no-cache")
            h.set("Content-Security-Policy", WebApp.contentSecurityPolicy)
            h.set("X-Frame-Options", "DENY")
            h.set("Referrer-Policy", "no-referrer")
            h.set("X-Content-Type-Options", "nosniff")
            return HTTPResponse(status: 200, headers: h, body: .bytes(WebApp.index))
        }
        publicRoute("GET", "/assets/{name}") { request in
            let name = String(request.path.dropFirst("/assets/".count))
            guard let body = WebApp.assets[name] else {
                throw PilarError(.notFound, code: "asset_not_found", ["name": .text(name)])
            }
            var h = HTTPHeaders()
            h.set("Content-Type", WebApp.contentType(name))
            h.set("Cache-Control", "public, max-age=31536000, immutable")
            h.set("X-Content-Type-Options", "nosniff")
            return HTTPResponse(status: 200, headers: h, body: .bytes(body))
        }
    }
}
