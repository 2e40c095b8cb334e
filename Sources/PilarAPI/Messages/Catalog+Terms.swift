import Foundation

// Words that fill placeholders (`MessageValue.term`): statuses, actions, permissions, JSON
// types, region levels. A term has no placeholders of its own.
extension MessageCatalog {
    public static let terms: [String: Message] = [
        "none": Message(id: "tidak ada", en: "none"),
        "json.string": Message(id: "teks", en: "a string"),
        "json.nonempty_string": Message(id: "teks yang tidak kosong", en: "a non-empty string"),
        "json.integer": Message(id: "bilangan bulat", en: "a whole number"),
        "json.fraction": Message(id: "pecahan", en: "a fraction"),
        "json.number": Message(id: "angka", en: "a number"),
        "json.boolean": Message(id: "true atau false", en: "true or false"),
        "json.array": Message(id: "daftar (array)", en: "an array"),
        "json.object": Message(id: "objek", en: "an object"),
        "json.null": Message(id: "null", en: "null"),
        "status.draft": Message(id: "draf", en: "draft"),
        "status.submitted": Message(id: "dikirim", en: "submitted"),
        "status.verified": Message(id: "diverifikasi", en: "verified"),
        "status.returned": Message(id: "dikembalikan", en: "returned"),
        // Indonesian: the passive ("laporan tidak dapat diverifikasi"); English: the verb.
        "action.edit": Message(id: "diubah", en: "edit"),
        "action.submit": Message(id: "dikirim", en: "submit"),
        "action.verify": Message(id: "diverifikasi", en: "verify"),
        "action.return": Message(id: "dikembalikan", en: "return"),
        "action.revise": Message(id: "direvisi", en: "revise"),
        "report_state.draft": Message(
            id: "laporan masih draf; TKSK mengubah dan mengirimkannya",
            en: "it is a draft; the TKSK edits and submits it"),
        "report_state.submitted": Message(
            id: "laporan sudah dikirim dan menunggu diverifikasi atau dikembalikan oleh Dinas Sosial",
            en: "it is submitted and waits for the Dinas Sosial to verify or return it"),
        "report_state.returned": Message(
            id: "laporan dikembalikan; TKSK memperbaiki dan mengirimkannya kembali",
            en: "it was returned; the TKSK corrects and submits it again"),
        "report_state.verified": Message(
            id: "laporan sudah diverifikasi; hanya Dinas Sosial yang dapat merevisinya (versi baru, dengan alasan)",
            en: "it is verified; only the Dinas Sosial can revise it (a new version, with a reason)"),
        "permission.read_reports": Message(id: "membaca laporan (token viewer melihat dasbor)", en: "read reports (viewer tokens see the dashboards)"),
        "permission.write_reports": Message(id: "menulis laporan", en: "write reports"),
        "permission.submit_reports": Message(id: "mengirim laporan", en: "submit reports"),
        "permission.verify_reports": Message(id: "memverifikasi laporan", en: "verify reports"),
        "permission.return_reports": Message(id: "mengembalikan laporan", en: "return reports"),
        "permission.import_report_history": Message(id: "mengimpor riwayat laporan", en: "import report history"),
        "permission.read_privacy_settings": Message(id: "membaca pengaturan privasi", en: "read the privacy settings"),
        "permission.change_privacy_settings": Message(id: "mengubah pengaturan privasi", en: "change the privacy settings"),
        "permission.list_tokens": Message(id: "melihat daftar token", en: "list tokens"),
        "permission.revoke_tokens": Message(id: "mencabut token", en: "revoke tokens"),
        "permission.ask_subject_report": Message(id: "meminta laporan subjek data", en: "ask for a data-subject report"),
        "permission.export_breach_scope": Message(id: "mengekspor cakupan kebocoran data", en: "export a breach scope"),
        "permission.purge_personal_data": Message(id: "menghapus data pribadi", en: "purge personal data"),
        "permission.read_metrics": Message(id: "membaca /metrics", en: "read /metrics"),
        "permission.import_regions": Message(id: "mengimpor data wilayah", en: "import regions"),
        "permission.read_audit_log": Message(id: "membaca log audit", en: "read the audit log"),
        "level.provinsi": Message(id: "provinsi", en: "a provinsi"),
        "level.kabkota": Message(id: "kabupaten/kota", en: "a kabupaten/kota"),
        "level.kecamatan": Message(id: "kecamatan", en: "a kecamatan"),
        "reach.national": Message(id: "seluruh Indonesia", en: "the whole country"),
        "thing.report": Message(id: "laporan", en: "the report"),
        "thing.psks_record": Message(id: "data PSKS", en: "PSKS record"),
        "thing.training": Message(id: "pelatihan", en: "training"),
        "thing.ipsm": Message(id: "IPSM", en: "IPSM"),
        "upload.imports": Message(id: "impor", en: "imports"),
        "upload.bodies": Message(id: "unggahan", en: "uploads"),
    ]
}
