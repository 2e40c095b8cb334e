import Foundation

// The twelve PSKS types of CATALOG.md, in its order, with its names and criteria.
// A migration seeds the database from this table: change it only together with CATALOG.md.
// Criterion codes are stable identifiers (attestations are stored under them).

private func c(_ code: String, _ text: String, checked: Bool = false, subtype: String? = nil) -> PSKSCriterion {
    PSKSCriterion(code: code, text: text, checked: checked, subtype: subtype)
}

extension PSKSType {
    public static let all: [PSKSType] = [
        PSKSType(code: "PEKSOS", name: "Pekerja Sosial Profesional", kind: .person,
                 fields: ["certificate_number"], criteria: [
                    c("certified", "certified as a professional social worker (certificate number)", checked: true),
                    c("practice", "practises social work"),
                 ]),
        PSKSType(code: "PSM", name: "Pekerja Sosial Masyarakat", kind: .person,
                 fields: ["training_completed_on"], criteria: [
                    c("citizen", "Indonesian citizen"),
                    c("min_age", "age at least 18", checked: true),
                    c("pancasila", "loyal to Pancasila and UUD 1945"),
                    c("willing", "willing to serve"),
                    c("conduct", "good conduct"),
                    c("healthy", "healthy"),
                    c("training", "completed PSM training (date)", checked: true),
                    c("karang_taruna", "earlier a Karang Taruna member"),
                    c("desa_based", "based in a desa/kelurahan", checked: true),
                 ]),
        PSKSType(code: "TAGANA", name: "Taruna Siaga Bencana", kind: .person, criteria: [
                    c("age", "age 18 to 40", checked: true),
                    c("disaster_skills", "disaster knowledge and skills"),
                    c("willing_training", "willing to take disaster training"),
                    c("devout", "devout"),
                    c("pancasila", "loyal to Pancasila and UUD 1945"),
                 ]),
        PSKSType(code: "LKS", name: "Lembaga Kesejahteraan Sosial", kind: .institution, criteria: [
                    // "structure" is checked as a named head (ketua) of the institution.
                    c("identity", "clear name, structure and address", checked: true),
                    c("board_programme", "board and work programme"),
                    c("legal_entity", "with or without legal entity (recorded)"),
                    c("welfare_work", "works in social welfare"),
                 ]),
        PSKSType(code: "KARTAR", name: "Karang Taruna", kind: .institution, criteria: [
                    c("desa_based", "youth organisation seated in a desa/kelurahan", checked: true),
                    c("members", "members aged 13 to 45 living in the desa"),
                    c("organisation", "name, address, structure and board"),
                    c("passive_membership", "passive membership"),
                 ]),
        PSKSType(code: "LK3", name: "Lembaga Konsultasi Kesejahteraan Keluarga", kind: .institution, criteria: [
                    c("services", "social organisation giving counselling, consultation, information, advocacy and referral"),
                    c("founded", "formally founded"),
                    c("staff", "has a structure, social workers and professional staff"),
                 ]),
        PSKSType(code: "KELPIONER", name: "Keluarga Pioner", kind: .family, criteria: [
                    c("functions", "a family that performs its functions"),
                    c("role_model", "is a role model"),
                    c("whole", "keeps itself whole with positive behaviour"),
                    c("passes_on", "passes it on to other families"),
                 ]),
        PSKSType(code: "WKSBM", name: "Wahana Kesejahteraan Sosial Berbasis Masyarakat", kind: .network, criteria: [
                    c("community_based",
                      "associations and groups growing in an RT/RW/kampung/desa/kelurahan/nagari/banjar or adat area"),
                    c("network", "a social network there"),
                    c("cooperation", "working together for social welfare"),
                 ]),
        PSKSType(code: "WPKS", name: "Wanita Pemimpin Kesejahteraan Sosial", kind: .person,
                 fields: ["training_completed_on"], criteria: [
                    c("woman", "a woman", checked: true),
                    c("age", "age 18 to 59", checked: true),
                    c("education", "education at least SLTP", checked: true),
                    c("leader", "recognised leader"),
                    c("training", "completed women's leadership training in social welfare"),
                    c("leads_welfare", "leads welfare work by women in her area"),
                 ]),
        PSKSType(code: "PENYULUH", name: "Penyuluh Sosial", kind: .person,
                 fields: ["subtype", "rank", "extension_experience_years", "training_completed_on"],
                 subtypes: ["fungsional", "masyarakat"], criteria: [
                    c("pns", "civil servant (PNS)", subtype: "fungsional"),
                    c("degree", "degree S1/D4", checked: true, subtype: "fungsional"),
                    c("rank", "rank at least Penata Muda III/a", checked: true, subtype: "fungsional"),
                    c("experience", "at least 2 years of extension experience", checked: true, subtype: "fungsional"),
                    c("functional_training", "passed functional training", subtype: "fungsional"),
                    c("max_age", "age at most 50", checked: true, subtype: "fungsional"),
                    c("dp3", "DP-3 rating at least \"baik\"", subtype: "fungsional"),
                    c("community_figure",
                      "community figure (religious, adat, women's, youth leader, PSM, Tagana, TKSK, PKH, LK3 staff, village head)",
                      subtype: "masyarakat"),
                    c("education", "education at least SLTP", checked: true, subtype: "masyarakat"),
                    c("age", "age 25 to 60", checked: true, subtype: "masyarakat"),
                 ]),
        PSKSType(code: "TKSK", name: "Tenaga Kesejahteraan Sosial Kecamatan", kind: .person,
                 fields: ["sk_number"], criteria: [
                    c("community", "from the community"),
                    c("domicile", "lives in the kecamatan assigned", checked: true),
                    c("education", "education at least SLTA", checked: true),
                    c("education_preferred", "D3/S1 preferred"),
                    c("activist_preferred", "Karang Taruna or PSM activist preferred"),
                    c("age", "age 25 to 50", checked: true),
                    c("healthy", "healthy"),
                    c("sk", "SK issued by the Ministry of Social Affairs (number)", checked: true),
                    // Checked by the registry against the database, not by PSKSEligibility.
                    c("one_per_kecamatan", "one active TKSK per kecamatan", checked: true),
                 ]),
        PSKSType(code: "DUNIAUSAHA", name: "Dunia Usaha", kind: .institution, criteria: [
                    c("business", "a business, state- or region-owned enterprise or entrepreneur"),
                    c("takes_part", "takes part in social welfare and helps handle social problems"),
                 ]),
    ]
}
