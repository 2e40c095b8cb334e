import Foundation
import HTTPServer
import PilarCore

/// Capacity building (issue 7): training programmes and events with their participants,
/// awards and equipment aid per record, and the IPSM associations. Rules live in the services.
extension PilarApp {
    func registerCapacityRoutes() {
        // Programmes: anyone reads the catalogue; admin extends and retires it.
        route("GET", "/v1/training-programmes") { ctx in
            Reply.json(["items": .array(try ctx.pilar.trainings.programmes())])
        }
        route("POST", "/v1/training-programmes") { ctx in
            let p = try ctx.pilar.trainings.createProgramme(try ctx.jsonObject(limit: 16 * 1024), by: ctx.caller)
            var h = HTTPHeaders()
            h.set("Location", "/v1/training-programmes/\(p["code"]?.stringValue ?? "")")
            return Reply.json(p, status: 201, headers: h)
        }
        route("PATCH", "/v1/training-programmes/{code}") { ctx in
            Reply.json(try ctx.pilar.trainings.updateProgramme(ctx.pathParam("code"), try ctx.jsonObject(limit: 16 * 1024), by: ctx.caller))
        }

        // Events.
        route("POST", "/v1/trainings") { ctx in
            let e = try ctx.pilar.trainings.create(try ctx.jsonObject(limit: 64 * 1024), by: ctx.caller)
            var h = Conditional.headers(e.versionTag)
            h.set("Location", "/v1/trainings/\(e.id)")
            return Reply.json(e.json, status: 201, headers: h)
        }
        route("GET", "/v1/trainings") { ctx in
            var q = TrainingQuery()
            q.programme = ctx.query("programme")
            if let p = q.programme, !TrainingRules.isProgrammeCode(p) {
                throw PilarError(.badRequest, code: "programme_code_malformed", ["value": .text(p)])
            }
            q.level = try ctx.queryChoice("level", OrganiserLevel.allCases.map(\.rawValue)).flatMap(OrganiserLevel.init)
            q.status = try ctx.queryChoice("status", ["scheduled", "cancelled"])
            q.region = try ctx.queryRegion("region")
            if ctx.query("year") != nil { q.year = try ctx.queryInt("year", default: 0, range: 1945...2100) }
            q.limit = try ctx.limit
            q.cursor = ctx.query("cursor")
            let (items, next) = try ctx.pilar.trainings.list(q, by: ctx.caller)
            return Reply.list(items, nextCursor: next, request: ctx.request)
        }
        route("GET", "/v1/trainings/{id}") { ctx in
            let e = try ctx.pilar.trainings.get(try ctx.trainingID(), by: ctx.caller)
            return ctx.versionedRead(e.json, version: e.versionTag)
        }
        route("PATCH", "/v1/trainings/{id}") { ctx in
            let id = try ctx.trainingID()
            let e = try ctx.pilar.trainings.update(id, try ctx.jsonObject(limit: 64 * 1024), expected: ctx.expectedVersion, by: ctx.caller)
            return Reply.json(e.json, headers: Conditional.headers(e.versionTag))
        }

        // Participants: JSON (one or many) or an attendance file (CSV, .xlsx or NDJSON).
        route("POST", "/v1/trainings/{id}/participants") { [unowned self] ctx in
            let id = try ctx.trainingID()
            if ctx.mediaType != "application/json" && ctx.mediaType != nil {
                let format = try ctx.importFormat()
                let options = try ctx.importOptions()
                return try self.importRoute(ctx, kind: "kehadiran", format: format) { spool in
                    (try ctx.pilar.trainings.importParticipants(id, spool, format: format, options: options, by: ctx.caller), [:])
                }
            }
            return Reply.json(try ctx.pilar.trainings.addParticipants(id, try ctx.jsonObject(limit: 1 << 20), by: ctx.caller))
        }
        route("GET", "/v1/trainings/{id}/participants") { ctx in
            let id = try ctx.trainingID()
            let (items, next) = try ctx.pilar.trainings.participants(id, limit: try ctx.limit, cursor: ctx.query("cursor"), by: ctx.caller)
            return Reply.list(items, nextCursor: next, request: ctx.request)
        }
        route("PATCH", "/v1/trainings/{id}/participants/{psks_id}") { ctx in
            let id = try ctx.trainingID()
            let psks = try ctx.pathID("psks_id")
            return Reply.json(try ctx.pilar.trainings.updateParticipant(id, psksID: psks, try ctx.jsonObject(limit: 16 * 1024), by: ctx.caller))
        }

        // A record's history.
        route("GET", "/v1/psks/{id}/trainings") { ctx in
            Reply.json(["items": .array(try ctx.pilar.trainings.trainings(ofRecord: try ctx.psksID(), by: ctx.caller))])
        }
        route("POST", "/v1/psks/{id}/awards") { ctx in
            let id = try ctx.psksID()
            return Reply.json(try ctx.pilar.awards.addAward(id, try ctx.jsonObject(limit: 16 * 1024), by: ctx.caller), status: 201)
        }
        route("GET", "/v1/psks/{id}/awards") { ctx in
            Reply.json(["items": .array(try ctx.pilar.awards.awards(of: try ctx.psksID(), by: ctx.caller))])
        }
        route("POST", "/v1/psks/{id}/equipment") { ctx in
            let id = try ctx.psksID()
            return Reply.json(try ctx.pilar.awards.addEquipment(id, try ctx.jsonObject(limit: 16 * 1024), by: ctx.caller), status: 201)
        }
        route("GET", "/v1/psks/{id}/equipment") { ctx in
            Reply.json(["items": .array(try ctx.pilar.awards.equipment(of: try ctx.psksID(), by: ctx.caller))])
        }

        // IPSM.
        route("POST", "/v1/ipsm") { ctx in
            let a = try ctx.pilar.ipsm.create(try ctx.jsonObject(limit: 16 * 1024), by: ctx.caller)
            var h = Conditional.headers(a.versionTag)
            h.set("Location", "/v1/ipsm/\(a.id)")
            return Reply.json(a.json, status: 201, headers: h)
        }
        route("GET", "/v1/ipsm") { ctx in
            let (items, next) = try ctx.pilar.ipsm.list(region: try ctx.queryRegion("region"), limit: try ctx.limit,
                                                        cursor: ctx.query("cursor"), by: ctx.caller)
            return Reply.list(items, nextCursor: next, request: ctx.request)
        }
        route("GET", "/v1/ipsm/{id}") { ctx in
            let a = try ctx.pilar.ipsm.get(try ctx.ipsmID(), by: ctx.caller)
            return ctx.versionedRead(a.json, version: a.versionTag)
        }
        route("PATCH", "/v1/ipsm/{id}") { ctx in
            let id = try ctx.ipsmID()
            let a = try ctx.pilar.ipsm.update(id, try ctx.jsonObject(limit: 16 * 1024), expected: ctx.expectedVersion, by: ctx.caller)
            return Reply.json(a.json, headers: Conditional.headers(a.versionTag))
        }
        route("PUT", "/v1/ipsm/{id}/members/{psks_id}") { ctx in
            let id = try ctx.ipsmID()
            let psks = try ctx.pathID("psks_id")
            // An empty body means "an ordinary member".
            let body = ctx.request.body.hasBody ? try ctx.jsonObject(limit: 16 * 1024) : JSONObject()
            let (a, created) = try ctx.pilar.ipsm.putMember(id, psksID: psks, body, by: ctx.caller)
            return Reply.json(a.json, status: created ? 201 : 200, headers: Conditional.headers(a.versionTag))
        }
        route("DELETE", "/v1/ipsm/{id}/members/{psks_id}") { ctx in
            let id = try ctx.ipsmID()
            let psks = try ctx.pathID("psks_id")
            let a = try ctx.pilar.ipsm.removeMember(id, psksID: psks, by: ctx.caller)
            return Reply.json(a.json, headers: Conditional.headers(a.versionTag))
        }
    }
}

extension RequestContext {
    func trainingID() throws -> Int64 { try pathID() }
    func ipsmID() throws -> Int64 { try pathID() }
}
