import Foundation

// The rules of a monthly report's content (PilarCore/Domain/Report*): validation, limits and
// the quality warnings a Dinas operator reads before verifying. `code.variant` keys are the
// cases of one code (FieldError.variant); clients see the code.
extension MessageCatalog {
    static let reportRules: [String: Message] = [
        "in_future.period": Message(
            id: "Periode {period} belum tiba (sekarang {today} WIB).",
            en: "Period {period} is in the future (it is {today} in WIB)."),
        "in_future.date": Message(
            id: "Tanggal {date} belum tiba.",
            en: "Date {date} is in the future."),
        "retired.pmks_category": Message(
            id: "Kategori {category} sudah tidak berlaku; gunakan {successor}.",
            en: "Category {category} is retired; use {successor}."),
        "retired.pmks_category_ended": Message(
            id: "Kategori {category} sudah tidak berlaku.",
            en: "Category {category} is retired."),
        "unknown.pmks_category": Message(
            id: "Kategori PMKS \"{value}\" tidak dikenal.",
            en: "Unknown PMKS category \"{value}\"."),
        "unknown.psks_type": Message(
            id: "Jenis PSKS \"{value}\" tidak dikenal.",
            en: "Unknown PSKS type \"{value}\"."),
        "unknown.activity_kind": Message(
            id: "Jenis kegiatan \"{value}\" tidak dikenal; pilihan: {allowed}.",
            en: "Unknown activity kind \"{value}\"; kinds: {allowed}."),
        "unknown.desa": Message(
            id: "Desa {value} tidak ada dalam daftar desa/kelurahan.",
            en: "Desa {value} is not a known desa/kelurahan."),
        "required.persons": Message(
            id: "{category} dihitung per jiwa: isi male dan female.",
            en: "{category} is counted in persons: give male and female."),
        "required.women_only": Message(
            id: "{category} hanya menghitung perempuan: isi male 0 dan female.",
            en: "{category} counts women only: give male 0 and female."),
        "required.count": Message(
            id: "{category} dihitung dalam {unit}: isi count.",
            en: "{category} is counted in {unit}: give count."),
        "not_applicable.persons": Message(
            id: "{category} dihitung per jiwa: isi male dan female, bukan count.",
            en: "{category} is counted in persons: give male and female, not count."),
        "not_applicable.women_only": Message(
            id: "{category} hanya menghitung perempuan: isi male 0 dan female, bukan count.",
            en: "{category} counts women only: give male 0 and female, not count."),
        "not_applicable.count": Message(
            id: "{category} dihitung dalam {unit}: isi count, bukan {field}.",
            en: "{category} is counted in {unit}: give count, not {field}."),
        "women_only": Message(
            id: "{category} hanya menghitung perempuan: male harus 0 (terisi {value}).",
            en: "{category} counts women only: male must be 0 (got {value})."),
        "outside": Message(
            id: "Desa {desa} tidak berada di kecamatan {kecamatan}.",
            en: "Desa {desa} is not in kecamatan {kecamatan}."),
        "invalid.desa": Message(
            id: "\"{value}\" bukan kode desa seperti {example}.",
            en: "\"{value}\" is not a desa code like {example}."),
        "invalid.date": Message(
            id: "\"{value}\" bukan tanggal seperti {example}.",
            en: "\"{value}\" is not a date like {example}."),
        "duplicate.pmks": Message(
            id: "Baris kedua untuk {category} di seluruh kecamatan (baris pertama {first}).",
            en: "A second line for {category} in the whole kecamatan (the first is {first})."),
        "duplicate.pmks_desa": Message(
            id: "Baris kedua untuk {category} di desa {desa} (baris pertama {first}).",
            en: "A second line for {category} in desa {desa} (the first is {first})."),
        "duplicate.psks": Message(
            id: "Jumlah kedua untuk {type} (yang pertama {first}).",
            en: "A second count for {type} (the first is {first})."),
        "outside_period": Message(
            id: "Tanggal {date} tidak berada dalam bulan laporan {period}.",
            en: "Date {date} is not in the report's month {period}."),
        "too_many_activities": Message(
            id: "Satu laporan memuat paling banyak {max} kegiatan (terisi {value}); gabungkan kegiatan yang serupa.",
            en: "A report holds at most {max} activities (got {value}); combine similar ones."),
        "content_too_large": Message(
            id: "Isi laporan paling besar {max_kib} KiB saat disimpan (terisi {kib} KiB); persingkat uraian dan catatan.",
            en: "A report's content may be at most {max_kib} KiB as stored (got {kib} KiB); shorten descriptions and notes."),
        // Quality warnings (never errors): read beside the numbers before verifying.
        "empty_report": Message(
            id: "Laporan kosong: tidak ada baris PMKS, jumlah PSKS, maupun kegiatan.",
            en: "The report is empty: no PMKS lines, no PSKS counts and no activities."),
        "desa_sum_mismatch": Message(
            id: "{category}: jumlah baris desa {desa}, sedangkan baris kecamatan {whole}.",
            en: "{category}: the desa lines add up to {desa}; the kecamatan line says {whole}."),
        "unusual_total": Message(
            id: "{category}: total {total} jauh dari biasanya {median} (median {months} bulan terakhir; z robust {z}).",
            en: "{category}: total {total} is far from the usual {median} (median of the last {months} months; robust z {z})."),
        "unusual_total.flat": Message(
            id: "{category}: total {total} jauh dari biasanya {median} (median {months} bulan terakhir yang selalu sama).",
            en: "{category}: total {total} is far from the usual {median} (median of the last {months} months; a flat history)."),
        "sudden_change.up": Message(
            id: "{category}: total {total} lebih dari {factor} kali {previous} pada {period}.",
            en: "{category}: total {total} is more than {factor} times the {previous} of {period}."),
        "sudden_change.down": Message(
            id: "{category}: total {total} kurang dari sepertiga {previous} pada {period}.",
            en: "{category}: total {total} is less than a third of the {previous} of {period}."),
    ]
}
