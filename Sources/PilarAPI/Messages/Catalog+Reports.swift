import Foundation

// The monthly reports' messages (PilarCore/Reports): workflow refusals, preconditions, bodies.
extension MessageCatalog {
    static let reports: [String: Message] = [
        "period_malformed": Message(
            id: "Periode \"{value}\" bukan bulan seperti 2026-10.",
            en: "Period \"{value}\" is not a month like 2026-10."),
        "malformed_period": Message(
            id: "{field} ditulis TTTT-BB, misalnya 2026-10.",
            en: "{field} is written YYYY-MM, e.g. 2026-10."),
        "kecamatan_not_found": Message(
            id: "Kecamatan {region} tidak ada dalam daftar wilayah.",
            en: "No kecamatan {region} in the region register."),
        "report_not_found": Message(
            id: "Belum ada laporan kecamatan {kecamatan} ({name}) periode {period}; buat dahulu dengan PUT.",
            en: "No report for kecamatan {kecamatan} ({name}) and period {period} yet; PUT it first."),
        "path_mismatch": Message(
            id: "{field} pada isi permintaan harus sama dengan path ({expected}).",
            en: "{field} in the body must match the path ({expected})."),
        "workflow_not_now": Message(
            id: "Laporan tidak dapat {action} sekarang: {state}.",
            en: "Cannot {action} the report now: {state}."),
        "workflow_not_yours": Message(
            id: "Laporan tidak dapat {action} oleh token {role}.",
            en: "A {role} token cannot {action} reports."),
        "version_limit": Message(
            id: "Laporan sudah memiliki {current_version} versi, batas terbanyak untuk satu laporan ({limit}); versi baru tidak dapat ditambahkan.",
            en: "The report has {current_version} versions, the most one report keeps ({limit}); no further version can be added."),
        "idempotency_key_reused": Message(
            id: "Idempotency-Key \"{key}\" sudah dipakai untuk isi permintaan lain; gunakan kunci baru untuk permintaan baru.",
            en: "Idempotency-Key \"{key}\" was used before with a different body; use a new key for a new request."),
        "key_reused": Message(
            id: "{field} ini milik isi permintaan lain.",
            en: "This {field} belongs to another request body."),
        "unknown_action": Message(
            id: "Tindakan {action} tidak dikenal.",
            en: "Unknown action {action}."),
        "unknown_report_field": Message(
            id: "{value} bukan isian laporan ini; tulis seperti pada riwayat, misalnya {example}.",
            en: "{value} is not a field of this report; name it as the history does, e.g. {example}."),
        "malformed_field": Message(
            id: "{value} bukan nama isian laporan; tulis seperti pada riwayat, misalnya pmks[LUT].male atau psks[PSM].count.",
            en: "{value} is not a report field name; write it as the history does, e.g. pmks[LUT].male or psks[PSM].count."),
    ]
}
