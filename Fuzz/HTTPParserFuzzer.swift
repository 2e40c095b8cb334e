// libFuzzer harness for the HTTP parser; built by scripts/fuzz.sh together with Sources/HTTPServer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParserEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    fuzzHTTPParser(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
