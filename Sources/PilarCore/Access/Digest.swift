import Crypto

/// The hashes Pilar keeps instead of secrets: SHA-256 from swift-crypto (token secrets are
/// stored only as their digest; request bodies are compared by digest for Idempotency-Key).
public enum Digest {
    public static func sha256(_ message: [UInt8]) -> [UInt8] {
        Array(Crypto.SHA256.hash(data: message))
    }

    public static func sha256Hex(_ message: [UInt8]) -> String {
        Crypto.SHA256.hash(data: message).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Compares two digests in time that depends only on their length, so a caller cannot learn
    /// a stored token's digest byte by byte from how long a refusal takes.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
