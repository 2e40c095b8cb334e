import Foundation

/// Keyset pagination cursors: the sort key of the last item shown, opaque to clients
/// (base64url of a JSON array), so a page never skips or repeats rows when data changes.
public enum Cursor {
    public static func encode(_ key: [JSON]) -> String {
        Base64URL.encode(JSON.array(key).encoded())
    }

    /// The key, or a 400 that says the cursor is not one this server gave out.
    public static func decode(_ text: String, arity: Int) throws -> [JSON] {
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard text.count <= 1024, let data = Data(base64Encoded: b64),
              let json = try? JSON.parse([UInt8](data)), case .array(let key) = json, key.count == arity
        else { throw PilarError(.badRequest, code: "cursor_invalid") }
        return key
    }
}

/// Page sizes shared by every list.
public enum PageSize {
    public static let `default` = 50
    public static let maximum = 500
}
