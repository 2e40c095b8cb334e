// libFuzzer harness for the CSV reader; built by scripts/fuzz.sh together with the files it needs.
// Feeds the bytes whole and in pieces whose sizes come from the data, and checks that both
// readings agree (a record boundary must not depend on where a network read ended).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReaderEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    func read(_ pieces: [[UInt8]]) -> [String] {
        var i = 0
        var reader = CSVReader(maxRecordBytes: 1024) {
            guard i < pieces.count else { return nil }
            defer { i += 1 }
            return pieces[i]
        }
        var out: [String] = []
        do {
            while let r = try reader.nextRecord() { out.append("\(r.line):\(r.fields)") }
        } catch let e as CSVError {
            out.append("error \(e.line)")
        } catch {
            fatalError("unexpected error \(error)")
        }
        return out
    }
    var pieces: [[UInt8]] = []
    var offset = 0
    while offset < bytes.count {
        let n = min(bytes.count - offset, 1 + Int(bytes[offset]) % 7)
        pieces.append(Array(bytes[offset..<offset + n]))
        offset += n
    }
    let whole = read([bytes])
    let split = read(pieces)
    precondition(whole == split, "CSV reading depends on chunk boundaries")
    return 0
}
