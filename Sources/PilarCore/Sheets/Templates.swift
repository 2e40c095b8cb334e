import Foundation

/// Empty files to fill in: the columns of an import with Indonesian headers, and (in .xlsx) a
/// second sheet that says what each column takes. Every template imports as it is filled.
public enum Templates {
    /// What each column takes, in Indonesian (the people filling templates read Indonesian).
    static let explanations: [String: String] = [
        "type": "Jenis PSKS (kode), misalnya PSM, TKSK, LKS, KT. Wajib.",
        "subtype": "Hanya untuk Penyuluh Sosial: fungsional atau masyarakat.",
        "name": "Nama lengkap (nama lembaga untuk LKS/KT). Wajib.",
        "nik": "NIK 16 angka. Kolom ini berformat Teks: ketik apa adanya; jangan menempel angka yang sudah berubah menjadi 3,27E+15.",
        "sex": "L (laki-laki) atau P (perempuan).",
        "birth_date": "Tanggal lahir, DD/MM/YYYY, misalnya 21/05/1990.",
        "education": "Pendidikan terakhir: " + EducationLevel.allCases.map(\.rawValue).joined(separator: ", ") + " (SMA/SMK ditulis SLTA, SMP ditulis SLTP).",
        "region": "Kode desa/kelurahan Kemendagri, misalnya 32.74.01.1001 (untuk lembaga boleh kode kecamatan). Wajib.",
        "phone": "Nomor HP atau telepon Indonesia, misalnya 0812-3456-7890 atau (0231) 234567. Kosongkan jika tidak ada.",
        "address": "Alamat.",
        "legal_entity": "Berbadan hukum: ya atau tidak.",
        "registration_number": "Nomor registrasi/izin lembaga.",
        "head": "Nama ketua/pimpinan.",
        "certificate_number": "Nomor sertifikat.",
        "training_completed_on": "Tanggal selesai pelatihan dasar, DD/MM/YYYY.",
        "rank": "Pangkat/golongan, misalnya III/a.",
        "extension_experience_years": "Lama pengalaman penyuluhan, dalam tahun (angka).",
        "sk_number": "Nomor SK pengangkatan.",
        "assigned_kecamatan": "Kode kecamatan tugas, jika berbeda dari kecamatan tempat tinggal.",
        "registered_on": "Tanggal terdaftar, DD/MM/YYYY; kosong berarti hari ini.",
        "notes": "Catatan bebas.",
        "psks_id": "ID PSKS di Pilar (lihat GET /v1/psks). Wajib.",
        "attended": "Hadir: ya atau tidak.",
        "completed": "Lulus/menyelesaikan pelatihan: ya atau tidak.",
    ]

    /// The columns a new record of `type` is filled with (no end-of-service columns: ending a
    /// record is its own act).
    public static func psksColumns(_ type: PSKSType) -> [String] {
        PSKSFields.csvColumns(of: type.code).filter { !["status", "ended_on", "end_reason"].contains($0) }
    }

    public static let attendanceColumns = ["psks_id", "name", "attended", "completed", "certificate_number"]

    static func explanationRows(_ columns: [String], extra: [String: String] = [:]) -> [(String, String)] {
        let head = [("Cara mengisi", "Satu baris per data. Nama kolom boleh Indonesia atau Inggris. Tanggal DD/MM/YYYY. Simpan sebagai .xlsx atau CSV (pemisah , atau ;) lalu kirim ke Pilar.")]
        return head + columns.map { c in (ColumnNames.header(c), extra[c] ?? explanations[c] ?? "") }
    }

    /// The template of one PSKS type.
    public static func psks(_ type: PSKSType, xlsx: Bool) throws -> TemplateFile {
        let columns = psksColumns(type)
        let extra = ["type": "Isi \(type.code) (\(type.name)) di setiap baris. Wajib."]
        return try TemplateFile(name: "template-psks-\(type.code.lowercased())", sheet: "PSKS \(type.code)", columns: columns,
                                explanations: explanationRows(columns, extra: extra), rows: [], xlsx: xlsx)
    }

    public static func attendance(xlsx: Bool) throws -> TemplateFile {
        try TemplateFile(name: "template-kehadiran", sheet: "Kehadiran", columns: attendanceColumns,
                         explanations: explanationRows(attendanceColumns, extra: ["name": "Nama peserta, hanya sebagai pengingat (tidak diubah)."]),
                         rows: [], xlsx: xlsx)
    }

    /// The monthly report of a kecamatan in the wide layout a Dinas recap has: one row per desa
    /// (pre-filled), a column per PMKS category, persons split L/P.
    public static func report(kecamatan: Region, desa: [Region], period: ReportPeriod, xlsx: Bool) throws -> TemplateFile {
        var columns = ["desa", "nama_desa"]
        var notes: [(String, String)] = [
            ("Cara mengisi", "Laporan PMKS kecamatan \(kecamatan.name) (\(kecamatan.code.dotted)) bulan \(period). Satu baris per desa/kelurahan; isi jumlah per kategori (kosong = 0). Kolom _L laki-laki, _P perempuan."),
            ("desa", "Kode desa/kelurahan (sudah terisi)."),
            ("nama_desa", "Nama desa/kelurahan (sudah terisi; tidak diimpor)."),
        ]
        for cat in PMKSCategory.all where cat.active {
            switch cat.unit {
            case .person:
                if !cat.womenOnly { columns.append("\(cat.code)_L") }
                columns.append("\(cat.code)_P")
                notes.append((cat.code, "\(cat.name): jumlah jiwa" + (cat.womenOnly ? " (perempuan saja)" : ", laki-laki (_L) dan perempuan (_P)")))
            case .household:
                columns.append(cat.code)
                notes.append((cat.code, "\(cat.name): jumlah KK"))
            case .community:
                columns.append(cat.code)
                notes.append((cat.code, "\(cat.name): jumlah komunitas/lokasi"))
            }
        }
        let rows = desa.map { [$0.code.dotted, $0.name] + Array(repeating: "", count: columns.count - 2) }
        return try TemplateFile(name: "template-laporan-\(kecamatan.code.undotted)-\(period)", sheet: "Laporan \(period)",
                                columns: columns, headers: columns, explanations: notes, rows: rows, xlsx: xlsx)
    }
}

/// A template as .xlsx or CSV, with its file name.
public struct TemplateFile {
    public let filename: String
    public let workbook: SheetFile?
    public let csv: [UInt8]

    init(name: String, sheet: String, columns: [String], headers: [String]? = nil, explanations: [(String, String)],
         rows: [[String]], xlsx: Bool) throws {
        let headers = headers ?? columns.map(ColumnNames.header)
        if xlsx {
            filename = name + ".xlsx"
            workbook = try SheetFile(sheet: sheet, columns: columns, headers: headers, explanations: explanations) { write in
                for r in rows { try write(r) }
            }
            csv = []
        } else {
            filename = name + ".csv"
            workbook = nil
            var out: [UInt8] = [0xEF, 0xBB, 0xBF] + CSVWriter.line(headers)
            for r in rows { out += CSVWriter.line(r) }
            csv = out
        }
    }
}
