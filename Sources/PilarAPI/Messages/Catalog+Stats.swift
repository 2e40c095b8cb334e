import Foundation

// The dashboards' parameters (PilarCore/Stats): each refusal names the parameter and what it takes.
extension MessageCatalog {
    static let stats: [String: Message] = [
        "token_has_no_region": Message(id: "Token ini tidak memiliki wilayah.", en: "This token has no region."),
        "unknown_parameter.stats": Message(
            id: "Parameter \"{field}\" tidak dikenal; endpoint ini menerima: {allowed}.",
            en: "\"{field}\" is an unknown parameter; this endpoint takes {allowed}."),
        "repeated": Message(
            id: "Kirim {field} satu kali saja (parameter ini dikirim lebih dari sekali).",
            en: "Give {field} once (it was given more than once)."),
        "malformed_code.stats": Message(
            id: "{field} \"{value}\" bukan kode wilayah; tulis seperti 32, 32.74 atau 32.74.01.",
            en: "{field} \"{value}\" is not a region code; write it like 32, 32.74 or 32.74.01."),
        "too_deep": Message(
            id: "Dasbor menghitung sampai tingkat kecamatan; {region} adalah desa/kelurahan, gunakan kecamatannya {kecamatan}.",
            en: "Dashboards count down to kecamatan; region {region} is a desa/kelurahan, ask for its kecamatan {kecamatan}."),
        "before_period": Message(
            id: "{field} {value} lebih awal dari period {period}.",
            en: "{field} {value} is before period {period}."),
        "range_too_long": Message(
            id: "Rentang paling lama {max} bulan; {from} sampai {to} adalah {months} bulan.",
            en: "A range covers at most {max} months; {from} to {to} is {months}."),
        "unknown_status": Message(
            id: "{field} harus verified (bawaan) atau submitted (laporan yang dikirim dan yang diverifikasi), bukan \"{value}\".",
            en: "{field} must be verified (the default) or submitted (submitted and verified reports), not \"{value}\"."),
        "unknown_key": Message(
            id: "{field} berisi daftar yang dipisah koma dari: {allowed}; \"{value}\" tidak termasuk.",
            en: "{field} takes a comma-separated list of {allowed}; \"{value}\" is not one."),
        "no_lower_level": Message(
            id: "Wilayah {region} adalah kecamatan, tingkat terendah yang dihitung; hapus region dari {field}.",
            en: "Region {region} is a kecamatan, the lowest level counted; drop region from {field}."),
        "unknown_level.stats": Message(
            id: "{field} harus provinsi, kabkota atau kecamatan, bukan \"{value}\".",
            en: "{field} must be provinsi, kabkota or kecamatan, not \"{value}\"."),
        "needs_region_grouping": Message(
            id: "{field} memilih baris untuk by=region; tambahkan region pada by.",
            en: "{field} chooses the rows of by=region; add region to by."),
        "not_below_region": Message(
            id: "{field} {value} tidak berada di bawah wilayah {region}; pilih tingkat di bawahnya.",
            en: "{field} {value} is not below region {region}; choose a level under it."),
        "unknown_code": Message(id: "{field} \"{value}\" tidak dikenal.", en: "{field} \"{value}\" is not known."),
        "unknown_code.pmks": Message(
            id: "Kategori \"{value}\" bukan kategori PMKS; lihat GET /v1/catalog/pmks-categories.",
            en: "Category \"{value}\" is not a PMKS category; see GET /v1/catalog/pmks-categories."),
        "unknown_code.retired": Message(
            id: "Kategori {value} sudah tidak digunakan.",
            en: "Category {value} is retired."),
        "unknown_code.replaced": Message(
            id: "Kategori {value} sudah tidak digunakan; jumlahnya dilaporkan sebagai {replacement}.",
            en: "Category {value} is retired; its counts are reported as {replacement}."),
        "unknown_code.no_sex": Message(
            id: "Kategori {value} dihitung per {unit}, bukan per jiwa, sehingga tidak memiliki jenis kelamin; hapus sex dari by atau pilih kategori perseorangan.",
            en: "Category {value} is counted per {unit}, which has no sex; drop sex from by or choose person categories."),
        "unknown_code.psks": Message(
            id: "Jenis \"{value}\" bukan jenis PSKS; lihat GET /v1/catalog/psks-types.",
            en: "Type \"{value}\" is not a PSKS type; see GET /v1/catalog/psks-types."),
        "unknown_source": Message(
            id: "{field} harus registry (data aktif, bawaan) atau reports (jumlah yang dilaporkan TKSK), bukan \"{value}\".",
            en: "{field} must be registry (active records, the default) or reports (counts TKSK reported), not \"{value}\"."),
        "needs_period": Message(
            id: "Jumlah PSKS dihitung per bulan dan tidak dapat dijumlahkan antarbulan; tambahkan period pada {field} untuk rentang bulan.",
            en: "PSKS counts are per month and do not add up across months; add period to {field} for a range."),
        "needs_source_reports": Message(
            id: "{field} berlaku untuk jumlah yang dilaporkan TKSK; tambahkan source=reports (registry menghitung data aktif saat ini).",
            en: "{field} applies to counts reported by TKSK; add source=reports (the registry counts active records now)."),
        "unknown_value": Message(
            id: "{field} harus salah satu dari: {allowed}, bukan \"{value}\".",
            en: "{field} must be one of {allowed}, not \"{value}\"."),
        "malformed_year": Message(
            id: "{field} \"{value}\" bukan tahun dari {min} sampai {max}; tulis seperti 2026.",
            en: "{field} \"{value}\" is not a year from {min} to {max}; write it like 2026."),
    ]
}
