import Foundation

// The PMKS categories of CATALOG.md: the 26 of Permensos No. 8 Tahun 2012 in its order, the two
// older categories that stay active (KBTLH, KR), then the 14 retired codes of the older list
// with their replacements. A migration seeds the database from this table: change it only
// together with CATALOG.md.
//
// Retired codes carry the group and unit of their replacement; WRSE and WKTK (wanita) are
// women-only like PRSE. Neither matters for counting (retired codes are refused) but the
// catalogue endpoint shows them.

private func current(_ code: String, _ name: String, _ group: String, _ unit: PMKSUnit,
                    womenOnly: Bool = false) -> PMKSCategory {
    PMKSCategory(code: code, name: name, group: group, unit: unit, womenOnly: womenOnly)
}

private func retired(_ code: String, _ name: String, _ group: String, _ unit: PMKSUnit, _ replacedBy: String,
                     womenOnly: Bool = false) -> PMKSCategory {
    PMKSCategory(code: code, name: name, group: group, unit: unit, active: false, replacedBy: replacedBy,
                 womenOnly: womenOnly)
}

extension PMKSCategory {
    public static let all: [PMKSCategory] = [
        current("ABT", "Anak Balita Terlantar", "anak", .person),
        current("AT", "Anak Terlantar", "anak", .person),
        current("ABH", "Anak yang Berhadapan dengan Hukum", "anak", .person),
        current("AJ", "Anak Jalanan", "anak", .person),
        current("ADK", "Anak dengan Kedisabilitasan", "anak", .person),
        current("AKTK", "Anak yang Menjadi Korban Tindak Kekerasan atau Diperlakukan Salah", "anak", .person),
        current("AMPK", "Anak yang Memerlukan Perlindungan Khusus", "anak", .person),
        current("LUT", "Lanjut Usia Terlantar", "lansia", .person),
        current("PD", "Penyandang Disabilitas", "disabilitas", .person),
        current("TS", "Tuna Susila", "tuna sosial", .person),
        current("GLD", "Gelandangan", "tuna sosial", .person),
        current("PGM", "Pengemis", "tuna sosial", .person),
        current("PML", "Pemulung", "tuna sosial", .person),
        current("KM", "Kelompok Minoritas", "tuna sosial", .person),
        current("BWBLP", "Bekas Warga Binaan Lembaga Pemasyarakatan", "tuna sosial", .person),
        current("ODHA", "Orang dengan HIV/AIDS", "tuna sosial", .person),
        current("NAPZA", "Korban Penyalahgunaan NAPZA", "korban", .person),
        current("KTR", "Korban Trafficking", "korban", .person),
        current("KTK", "Korban Tindak Kekerasan", "korban", .person),
        current("PMBS", "Pekerja Migran Bermasalah Sosial", "korban", .person),
        current("KBA", "Korban Bencana Alam", "korban bencana", .person),
        current("KBS", "Korban Bencana Sosial", "korban bencana", .person),
        current("PRSE", "Perempuan Rawan Sosial Ekonomi", "perempuan", .person, womenOnly: true),
        current("FM", "Fakir Miskin", "kemiskinan", .household),
        current("KBSP", "Keluarga Bermasalah Sosial Psikologis", "keluarga", .household),
        current("KAT", "Komunitas Adat Terpencil", "komunitas", .community),
        // Older categories with no successor, still counted by district programmes.
        current("KBTLH", "Keluarga Berumah Tidak Layak Huni", "keluarga", .household),
        current("KR", "Keluarga Rentan", "keluarga", .household),
        // The older list (before 2012), retired.
        retired("AN", "Anak Nakal", "anak", .person, "ABH"),
        retired("AC", "Anak Cacat", "anak", .person, "ADK"),
        retired("WRSE", "Wanita Rawan Sosial Ekonomi", "perempuan", .person, "PRSE", womenOnly: true),
        retired("WKTK", "Wanita Korban Tindak Kekerasan", "korban", .person, "KTK", womenOnly: true),
        retired("LUKTK", "Lanjut Usia Korban Tindak Kekerasan", "korban", .person, "KTK"),
        retired("PENCA", "Penyandang Cacat", "disabilitas", .person, "PD"),
        retired("PCBK", "Penyandang Cacat Bekas Penderita Penyakit Kronis", "disabilitas", .person, "PD"),
        retired("HIV", "Penderita HIV/AIDS", "tuna sosial", .person, "ODHA"),
        retired("PG", "Pengemis", "tuna sosial", .person, "PGM"),
        retired("GL", "Gelandangan", "tuna sosial", .person, "GLD"),
        retired("KPN", "Korban Penyalahgunaan NAPZA", "korban", .person, "NAPZA"),
        retired("BNP", "Bekas Narapidana", "tuna sosial", .person, "BWBLP"),
        retired("PM", "Pekerja Migran Bermasalah Sosial", "korban", .person, "PMBS"),
        retired("KFM", "Keluarga Fakir Miskin", "kemiskinan", .household, "FM"),
    ]
}
