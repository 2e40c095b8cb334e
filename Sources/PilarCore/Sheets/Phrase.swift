/// A message for a person in both of Pilar's languages: Indonesian (the default, what a Dinas
/// operator reads) and English (on request). `code` never changes with the language.
public struct Phrase: Equatable, Sendable, CustomStringConvertible {
    public let id: String
    public let en: String
    public init(id: String, en: String) {
        self.id = id
        self.en = en
    }
    /// Indonesian: the words where the caller's language is not negotiated.
    public var description: String { id }
}

/// Why a value in a spreadsheet cell was refused: a stable code and the words to fix it.
public struct CellProblem: Error, Equatable, Sendable {
    public let code: String
    public let message: Phrase
    public init(_ code: String, id: String, en: String) {
        self.code = code
        self.message = Phrase(id: id, en: en)
    }
}
