import Foundation

/// What a token may do. Each regional role is bound to one region and sees only its subtree.
public enum Role: String, CaseIterable {
    case admin, provinsi, kabkota, tksk, viewer
    /// The data protection officer: the subject report, the breach scope and the access log.
    case dpo
    /// A scraper: /metrics and nothing else.
    case metrics

    /// The depth a role's region must have (provinsi 1, kabkota 2, tksk 3); viewer may sit
    /// anywhere; admin, dpo and metrics have none.
    public var requiredRegionDepth: Int? {
        switch self {
        case .admin, .dpo, .metrics: return nil
        case .provinsi: return 1
        case .kabkota: return 2
        case .tksk: return 3
        case .viewer: return nil
        }
    }

    /// Whether tokens of this role have a region (every role but admin, dpo and metrics).
    public var isRegional: Bool { ![.admin, .dpo, .metrics].contains(self) }

    /// What a role may do, the one source for who may hand out which token.
    public enum Capability: CaseIterable {
        case readStats, readRegister, readPersonalData, writeRegister, readReports, writeReports,
             organiseTrainings, readAudit, manageTokens, protectData, readMetrics
    }

    public var capabilities: Set<Capability> {
        switch self {
        case .admin: return Set(Capability.allCases)
        case .provinsi: return [.readStats, .readRegister, .readReports, .organiseTrainings, .readAudit, .manageTokens]
        case .kabkota: return [.readStats, .readRegister, .readPersonalData, .writeRegister, .readReports, .writeReports,
                               .organiseTrainings, .readAudit, .manageTokens]
        case .tksk: return [.readStats, .readRegister, .readReports, .writeReports]
        case .viewer: return [.readStats]
        case .dpo: return [.protectData]
        case .metrics: return [.readMetrics]
        }
    }

    /// The roles this role may hand out: one rule, never more than the holder has. A lower
    /// role whose rights are all the holder's own (and, checked with the region, inside the
    /// holder's subtree). Admin hands out everything; no one else its own role.
    public var grantable: [Role] {
        guard self != .admin else { return Role.allCases }
        guard capabilities.contains(.manageTokens) else { return [] }
        return Role.allCases.filter { $0 != self && $0.capabilities.isSubset(of: capabilities) }
    }
}

/// The authenticated caller of one request (or the CLI, which acts as admin).
public struct Caller: Equatable {
    public let tokenID: Int64?
    public let name: String
    public let role: Role
    public let region: RegionCode?

    public init(tokenID: Int64?, name: String, role: Role, region: RegionCode?) {
        self.tokenID = tokenID
        self.name = name
        self.role = role
        self.region = region
    }

    /// The command line acts with full rights; the audit log names it "cli".
    public static let cli = Caller(tokenID: nil, name: "cli", role: .admin, region: nil)

    /// The one scope check: is `code` inside the caller's subtree?
    public func covers(_ code: RegionCode) -> Bool {
        guard let region else { return role == .admin }
        return region.contains(code)
    }

    /// COMPATIBILITY (issue 15, unconverted folders): words for a 403, which subtree the token covers.
    public var reach: String {
        guard let region else { return "the whole country" }
        return "region \(region.dotted) and below"
    }

    /// The region the token covers, as a message value: its code, or `(nasional)` for the country.
    public var reachValue: MessageValue { region.map { .text($0.dotted) } ?? .term("reach.national") }

    /// Refuses a region outside the subtree. The error never says whether the thing exists.
    public func requireCovers(_ code: RegionCode) throws {
        guard covers(code) else {
            throw PilarError(.forbidden, code: "outside_reach",
                             ["role": .text(role.rawValue), "reach": reachValue, "region": .text(code.dotted)])
        }
    }

    /// Refuses a role not in `allowed`. `permission` names what is refused, a `permission.*`
    /// term of the catalogue (`read_reports`); COMPATIBILITY: an English phrase (it has a space)
    /// from a folder not converted yet becomes a legacy error.
    public func requireRole(_ allowed: Set<Role>, to permission: String) throws {
        guard allowed.contains(role) else {
            let names = Role.allCases.filter { allowed.contains($0) }.map(\.rawValue)
            if permission.contains(" ") {
                throw PilarError.forbidden("a \(role.rawValue) token may not \(permission); that needs: \(names.joined(separator: ", "))")
            }
            throw PilarError(.forbidden, code: "role_not_allowed",
                             ["role": .text(role.rawValue), "permission": .term("permission." + permission), "roles": .list(names)])
        }
    }

    /// Whether personal data (NIK, birth date, phone) of a record in `code` is shown in full.
    public func seesPersonalData(in code: RegionCode) -> Bool {
        switch role {
        case .admin: return true
        case .kabkota: return covers(code)
        case .provinsi, .tksk, .viewer, .dpo, .metrics: return false
        }
    }
}
