/// Places of something scarce counted per token and in all (exports streaming, import jobs):
/// the one counting rule both use, so a token's count can never leak or go negative. Not locked:
/// each owner calls it under its own lock.
struct Places {
    enum Refusal { case perToken, total }
    let perToken: Int
    let total: Int
    private var held: [Int64: Int] = [:]   // token id -> places held; absent when none
    private(set) var all = 0

    init(perToken: Int, total: Int) {
        self.perToken = perToken
        self.total = total
    }

    /// Takes a place for `key`, or says which limit refuses it.
    mutating func claim(_ key: Int64) -> Refusal? {
        guard held[key, default: 0] < perToken else { return .perToken }
        guard all < total else { return .total }
        held[key, default: 0] += 1
        all += 1
        return nil
    }

    mutating func release(_ key: Int64) {
        let left = held[key, default: 1] - 1
        held[key] = left > 0 ? left : nil
        all -= 1
    }
}
