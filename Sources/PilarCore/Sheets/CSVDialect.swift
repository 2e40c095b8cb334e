/// What a CSV file from an Indonesian office may look like: Excel in the Indonesian locale
/// saves with `;` (the comma is the decimal separator there), with or without a UTF-8 BOM,
/// and sometimes not in UTF-8 at all ("CSV (Comma delimited)" is Windows-1252).
public enum CSVDialect {
    /// The delimiter of a file, from its header line: whichever of `,` and `;` occurs more
    /// outside quotes (`,` when neither does: a one-column file).
    public static func delimiter(ofHeader bytes: [UInt8]) -> UInt8 {
        var commas = 0, semicolons = 0, quoted = false
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        for b in bytes[start...] {
            if b == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A || b == 0x0D { break }
            if b == UInt8(ascii: ",") { commas += 1 } else if b == UInt8(ascii: ";") { semicolons += 1 }
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// Why the start of a file is not UTF-8 text, or nil when it is. A multi-byte character cut
    /// by the end of `head` is not held against it.
    public static func encodingProblem(_ head: [UInt8]) -> CellProblem? {
        let howTo = Phrase(id: "simpan ulang sebagai \"CSV UTF-8 (Comma delimited)\" di Excel, atau \"Text CSV\" dengan set karakter Unicode (UTF-8) di LibreOffice",
                           en: "save it again as \"CSV UTF-8 (Comma delimited)\" in Excel, or \"Text CSV\" with character set Unicode (UTF-8) in LibreOffice")
        // UTF-16 with a byte-order mark, or without one (ASCII letters then come with zero bytes
        // between them). A stray NUL further on is a row's problem, named by the CSV reader.
        let utf16 = head.count >= 4 && ((head[1] == 0 && head[3] == 0) || (head[0] == 0 && head[2] == 0))
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) || utf16 {
            return CellProblem("not_utf8", id: "file ini UTF-16 (\"Unicode Text\"), bukan UTF-8; \(howTo.id)",
                               en: "the file is UTF-16 (\"Unicode Text\"), not UTF-8; \(howTo.en)")
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            return CellProblem("not_csv", id: "file ini buku kerja Excel, bukan CSV; kirim dengan Content-Type .xlsx atau simpan sebagai CSV UTF-8",
                               en: "the file is an Excel workbook, not CSV; send it as .xlsx or save it as CSV UTF-8")
        }
        var body = head[...]
        // Drop a character cut at the end: up to 3 trailing bytes of an unfinished sequence.
        if let lead = body.suffix(4).lastIndex(where: { $0 >= 0xC0 }) {
            let need = body[lead] >= 0xF0 ? 4 : body[lead] >= 0xE0 ? 3 : 2
            let tail = body[(lead + 1)...]
            if body.endIndex - lead < need, tail.allSatisfy({ $0 & 0xC0 == 0x80 }) { body = body[..<lead] }
        }
        if String(validating: body, as: UTF8.self) == nil {
            return CellProblem("not_utf8", id: "file ini tidak dalam UTF-8 (mungkin Windows-1252 / \"CSV (Comma delimited)\"); \(howTo.id)",
                               en: "the file is not UTF-8 (perhaps Windows-1252, \"CSV (Comma delimited)\"); \(howTo.en)")
        }
        return nil
    }
}
