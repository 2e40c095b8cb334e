import Foundation
import HTTPServer
import PilarCore

extension PilarApp {
    func registerReportRoutes() {
    }
}
