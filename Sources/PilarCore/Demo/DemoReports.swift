import Foundation

extension Demo {
    /// Example TKSK reports of Kota Cirebon (owned by the reports work).
    static func seedReports(_ pilar: Pilar) throws {}
}
