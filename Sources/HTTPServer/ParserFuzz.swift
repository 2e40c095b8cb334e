/// Fuzz entry point: feeds arbitrary bytes to the parser whole, then again in pieces whose sizes
/// come from the data itself, and drains every event. It must never crash or loop forever; the
/// test target runs it over the seed corpus, and a libFuzzer harness can call it directly.
public func fuzzHTTPParser(_ data: UnsafeRawBufferPointer) {
    var configuration = HTTPParser.Configuration()
    // Small limits so the size checks are reached by small inputs too.
    configuration.maxRequestLineBytes = 256
    configuration.maxHeaderBytes = 1024
    configuration.maxHeaderCount = 16
    configuration.maxBodyBytes = 4096
    configuration.maxBodyPiece = 100

    var whole = HTTPParser(configuration: configuration)
    whole.append(data)
    drain(&whole)

    var pieces = HTTPParser(configuration: configuration)
    var offset = 0
    var step = 1
    while offset < data.count {
        let size = min(data.count - offset, 1 + Int(data[offset]) % 17 + step % 3)
        pieces.append(UnsafeRawBufferPointer(rebasing: data[offset..<(offset + size)]))
        offset += size
        step += 1
        drain(&pieces)
    }
}

private func drain(_ parser: inout HTTPParser) {
    // Each event consumes input or changes state, so this ends; the bound is a second guard.
    var events = 0
    while events < 1_000_000 {
        do {
            guard try parser.next() != nil else { return }
        } catch {
            return
        }
        events += 1
    }
    fatalError("parser produced events without consuming input")
}
