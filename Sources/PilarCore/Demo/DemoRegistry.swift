import Foundation

extension Demo {
    /// The PSKS of Kota Cirebon (owned by the registry work).
    static func seedRegistry(_ pilar: Pilar) throws {}
}
