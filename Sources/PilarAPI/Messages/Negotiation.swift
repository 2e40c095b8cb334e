import Foundation
import HTTPServer
import PilarCore

extension HTTPRequest {
    /// The language of the answer, negotiated from `Accept-Language` (see Language.negotiate).
    public var language: Language { Language.negotiate(headers["Accept-Language"]) }
}

extension HTTPResponse {
    /// Marks an answer as spoken in `language`: `Content-Language` (unless the answer set its
    /// own), and `Accept-Language` added to `Vary`, so a cache keeps one answer per language.
    public mutating func speak(_ language: Language) {
        if headers["Content-Language"] == nil { headers.set("Content-Language", language.tag) }
        let vary = headers["Vary"] ?? ""
        if vary.isEmpty {
            headers.set("Vary", "Accept-Language")
        } else if !vary.lowercased().contains("accept-language") {
            headers.set("Vary", vary + ", Accept-Language")
        }
    }

    func spoken(_ language: Language) -> HTTPResponse {
        var r = self
        r.speak(language)
        return r
    }
}

/// ETags of answers whose body holds words: one representation per language (RFC 9110
/// §8.8.3), so a cache or an If-None-Match never mixes them. Indonesian keeps the plain tag;
/// English adds `;en` inside the quotes. `plain` gives back the version an If-Match names.
public enum LanguageTag {
    public static func etag(_ version: VersionTag, _ language: Language) -> String {
        EntityTag(language == .id ? version.value : version.value + ";" + language.tag).description
    }

    /// The opaque part of a tag without its language mark.
    public static func plain(_ opaque: String) -> String {
        for language in Language.allCases where language != .id && opaque.hasSuffix(";" + language.tag) {
            return String(opaque.dropLast(language.tag.count + 1))
        }
        return opaque
    }
}

extension Reply {
    /// A body built in PilarCore with words still to be said (`Words`, FieldError.json): each
    /// `_words` member becomes its `into` member in `language`. Only bodies known to hold words
    /// go through here (reports, ...): the walk is over one answer, not over exports.
    public static func spoken(_ body: JSON, _ language: Language) -> JSON {
        switch body {
        case .object(var o):
            if let w = o[Words.member]?.objectValue {
                o[Words.member] = nil
                let key = w["key"]?.stringValue ?? ""
                var values: MessageValues = [:]
                for (k, v) in w["values"]?.objectValue ?? [:] { values[k] = MessageValue(json: v) }
                let field = o["field"]?.stringValue
                o[w["into"]?.stringValue ?? "message"] = .string(
                    MessageCatalog.render(key, values, field: field?.isEmpty == false ? field : nil, in: language) ?? key)
            }
            for (k, v) in o where v.isContainer { o[k] = spoken(v, language) }
            return .object(o)
        case .array(let a):
            return .array(a.map { $0.isContainer ? spoken($0, language) : $0 })
        default:
            return body
        }
    }
}

extension JSON {
    var isContainer: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }
}
