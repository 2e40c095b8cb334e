import Foundation
import HTTPServer
import PilarCore

/// Conditional requests (RFC 9110 §13), all of them here: the version a write expects (from
/// If-Match / If-None-Match), the 304 of a read, and the validator headers every versioned
/// answer carries. The domain never sees a header: it gets an `ExpectedVersion` and gives
/// back `VersionTag`s; the answers 304 given from memory are in RevalidationFromMemory.swift.
extension RequestContext {
    /// The version a write expects, checked by the service inside its transaction:
    /// - `If-Match: *` → some version must exist; a list → the current version must match one
    ///   of its tags strongly (§13.1.1), so a weak tag never matches;
    /// - `If-None-Match: *` → none may exist (create only). A list of tags means nothing on a
    ///   write here (no write takes "unless it is still this"), so it is refused rather than
    ///   silently ignored;
    /// - both: If-Match's version must exist and none may: nothing can pass.
    /// A value that is neither `*` nor a list of entity-tags can match nothing: If-Match's is a
    /// 412 before anything is looked at (`malformed_etag`), If-None-Match's a 400.
    public var expectedVersion: ExpectedVersion {
        get throws {
            let ifMatch = try Self.ifMatchList(request.headers["If-Match"])
            var createOnly = false
            if let value = request.headers["If-None-Match"] {
                guard EntityTagList.parse(value) == .any else {
                    throw PilarError(.badRequest, code: "if_none_match_star_only")
                }
                createOnly = true
            }
            switch (ifMatch, createOnly) {
            case (nil, false): return .anything
            case (nil, true): return .absent
            case (.some, true): return .oneOf([])
            case (.any?, false): return .existing
            case (.tags(let tags)?, false):
                // The tag of an English representation names the same version (LanguageTag).
                return .oneOf(tags.filter { !$0.isWeak }.map { VersionTag(LanguageTag.plain($0.opaque)) })
            }
        }
    }

    static func ifMatchList(_ value: String?) throws -> EntityTagList? {
        guard let value else { return nil }
        guard let list = EntityTagList.parse(value) else {
            throw PilarError(.preconditionFailed, code: "if_match_malformed", errors: [FieldError(field: "If-Match", code: "malformed_etag")])
        }
        return list
    }

    /// For a read: true when If-None-Match names `version` (weakly, §13.1.2) or is `*`, so the
    /// answer is a 304. A malformed value holds no tag, so it never gives a 304.
    public func isNotModified(_ version: VersionTag) -> Bool {
        Conditional.notModified(request.headers["If-None-Match"], version)
    }

    /// A versioned record's read: 304 when the client's copy is current, else the JSON; both
    /// with the validator headers.
    public func versionedRead(_ body: @autoclosure () -> JSON, version: VersionTag) -> HTTPResponse {
        let h = Conditional.headers(version)
        return isNotModified(version) ? HTTPResponse(status: 304, headers: h) : Reply.json(body(), headers: h)
    }
}

public enum Conditional {
    /// `If-None-Match` of a read against the current version.
    public static func notModified(_ header: String?, _ version: VersionTag) -> Bool {
        guard let header, let list = EntityTagList.parse(header) else { return false }
        return list.noneMatchFails(EntityTag(version))
    }

    /// The validator of a versioned answer, and how it may be cached.
    /// `private, no-cache`: kept by the caller's client only, revalidated on every use.
    public static func headers(_ version: VersionTag, cacheControl: String = "private, no-cache") -> HTTPHeaders {
        var h = HTTPHeaders()
        h.set("ETag", EntityTag(version).description)
        h.set("Cache-Control", cacheControl)
        return h
    }

    /// The problem member that tells a refused writer which version is current.
    static func currentETag(_ e: PilarError) -> JSON? {
        e.currentVersion.map { .string(EntityTag($0).description) }
    }
}
