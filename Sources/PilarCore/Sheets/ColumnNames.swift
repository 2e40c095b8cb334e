/// Column names as a Dinas sheet has them. Every import accepts Pilar's English names and the
/// Indonesian ones below, written any way a person does ("Tanggal Lahir", "tanggal_lahir",
/// "TGL. LAHIR"); templates write the Indonesian name first in each list.
public enum ColumnNames {
    /// Pilar's column -> the Indonesian names that mean it (the first is the template's header).
    static let indonesian: [String: [String]] = [
        "type": ["jenis_psks", "jenis", "tipe"],
        "subtype": ["sub_jenis", "subjenis"],
        "name": ["nama", "nama_lengkap"],
        "nik": ["nik", "no_nik", "nomor_nik"],
        "sex": ["jenis_kelamin", "jk", "l_p", "kelamin"],
        "birth_date": ["tanggal_lahir", "tgl_lahir"],
        "education": ["pendidikan", "pendidikan_terakhir"],
        "region": ["kode_wilayah", "desa", "kode_desa", "wilayah", "desa_kelurahan", "kelurahan"],
        "phone": ["no_hp", "nomor_hp", "telepon", "no_telepon", "nomor_telepon", "no_telp", "telp", "hp"],
        "address": ["alamat"],
        "legal_entity": ["berbadan_hukum"],
        "registration_number": ["nomor_registrasi", "no_registrasi"],
        "head": ["ketua", "pimpinan"],
        "certificate_number": ["nomor_sertifikat", "no_sertifikat"],
        "training_completed_on": ["tanggal_pelatihan", "tanggal_selesai_pelatihan", "tgl_pelatihan"],
        "rank": ["pangkat", "golongan"],
        "extension_experience_years": ["pengalaman_penyuluhan_tahun", "lama_pengalaman"],
        "sk_number": ["nomor_sk", "no_sk"],
        "assigned_kecamatan": ["kecamatan_tugas", "kode_kecamatan_tugas"],
        "status": ["status"],
        "registered_on": ["tanggal_daftar", "tanggal_terdaftar", "tgl_daftar"],
        "ended_on": ["tanggal_berhenti", "tgl_berhenti"],
        "end_reason": ["alasan_berhenti"],
        "notes": ["catatan", "keterangan"],
        // Regions.
        "code": ["kode", "kode_wilayah"],
        "level": ["tingkat"],
        "parent_code": ["kode_induk"],
        // Reports (long form and backfill).
        "kecamatan": ["kecamatan", "kode_kecamatan"],
        "period": ["periode", "bulan"],
        "category": ["kategori", "kode_kategori"],
        "desa": ["desa", "kode_desa"],
        "male": ["laki_laki", "lk", "l"],
        "female": ["perempuan", "pr", "p"],
        "count": ["jumlah"],
        // Attendance.
        "psks_id": ["id_psks"],
        "attended": ["hadir"],
        "completed": ["lulus", "selesai"],
    ]

    /// A header as typed, reduced to one spelling: lower case, words joined by `_`, a hint in
    /// parentheses dropped ("Tanggal Lahir (DD/MM/YYYY)" -> "tanggal_lahir").
    public static func normalise(_ header: String) -> String {
        var s = header.lowercased()
        if let paren = s.firstIndex(of: "(") { s = String(s[..<paren]) }
        var out = ""
        var gap = false
        for ch in s {
            if ch.isLetter || ch.isNumber {
                if gap && !out.isEmpty { out.append("_") }
                out.append(ch)
                gap = false
            } else {
                gap = true
            }
        }
        return out
    }

    /// The import column a header means, among `known`; nil when it means none. Pilar's own
    /// name wins, then the Indonesian names in table order (`desa` is the desa column of a
    /// report and the region of a registry row).
    public static func canonical(_ header: String, known: [String]) -> String? {
        let n = normalise(header)
        if known.contains(n) { return n }
        for k in known where indonesian[k]?.contains(n) == true { return k }
        return nil
    }

    /// The error column of a rejected-rows file (`RejectedRows.errorHeader`): every import
    /// passes over it, so the fixed file goes back as it is.
    public static func isIgnored(_ header: String) -> Bool {
        let n = normalise(header)
        return n == "kesalahan" || n == "errors"
    }

    /// The header a template writes for a column: its Indonesian name.
    public static func header(_ column: String) -> String {
        indonesian[column]?.first ?? column
    }
}
