import Foundation

// The PSKS registry (PilarCore/Registry) and the region register (PilarCore/Regions): field
// rules of a record, uniqueness, imports. Field errors share their codes across features
// (`required`, `invalid`); an entry `code.variant` says one use of a code more precisely.
extension MessageCatalog {
    static let registry: [String: Message] = [
        "psks_record_not_found": Message(
            id: "Tidak ada data PSKS dengan id {id}.",
            en: "No PSKS record {id}."),
        "psks_record_inactive": Message(
            id: "Data PSKS {id} sudah tidak aktif sejak {ended_on}.",
            en: "Record {id} is already inactive since {ended_on}."),
        "cursor_other_search": Message(
            id: "Cursor ini milik pencarian lain; kirim next_cursor dengan filter yang sama.",
            en: "The cursor belongs to a different search; pass next_cursor with the same filters."),
        "read_only": Message(
            id: "{field} diisi oleh sistem; kosongkan.",
            en: "{field} is set by the service; leave it out."),
        "read_only.change": Message(
            id: "{field} diisi oleh sistem dan tidak dapat diubah.",
            en: "{field} is set by the service and cannot be changed."),
        "immutable": Message(
            id: "Jenis data tidak dapat diubah; akhiri data ini lalu daftarkan data baru.",
            en: "The type of a record does not change; end this record and register a new one."),
        "required.end_reason": Message(
            id: "Data yang berakhir memerlukan {field} (alasan berakhir), misalnya \"pindah domisili\".",
            en: "An ended record needs {field} (why it ended), e.g. \"moved away\"."),
        "required.one_of": Message(
            id: "{field} wajib diisi, salah satu dari: {allowed}.",
            en: "{field} is required: one of {allowed}."),
        "required.region": Message(
            id: "{field} wajib diisi dengan kode desa/kelurahan atau kecamatan.",
            en: "{field} is required: the code of the desa/kelurahan or kecamatan."),
        "required.nik": Message(
            id: "{type}: NIK wajib diisi untuk perseorangan.",
            en: "{type}: NIK is required for a person."),
        "unknown": Message(
            id: "{field} \"{value}\" tidak dikenal; pilihan: {allowed}.",
            en: "Unknown {field} \"{value}\"; one of {allowed}."),
        "invalid": Message(
            id: "{field} \"{value}\" bukan salah satu dari: {allowed}.",
            en: "{field} \"{value}\" is not one of {allowed}."),
        "invalid_number": Message(
            id: "{field} \"{value}\" bukan bilangan bulat.",
            en: "{field} \"{value}\" is not a whole number."),
        "invalid_boolean": Message(
            id: "{field} \"{value}\" harus true atau false (ya/tidak).",
            en: "{field} \"{value}\" must be true or false (ya/tidak)."),
        "invalid_date.iso": Message(
            id: "{field} \"{value}\" bukan tanggal dengan format TTTT-BB-HH, misalnya 2001-05-21.",
            en: "{field} \"{value}\" is not a date written YYYY-MM-DD, e.g. 2001-05-21."),
        "in_future": Message(
            id: "{field} {value} melewati hari ini ({today}).",
            en: "{field} {value} is after today ({today})."),
        "before_registration": Message(
            id: "{field} {value} lebih awal dari registered_on {registered_on}.",
            en: "{field} {value} is before registered_on {registered_on}."),
        "not_applicable": Message(
            id: "Data {type} tidak memiliki {field}; kosongkan.",
            en: "A {type} record has no {field}; leave it out."),
        "not_applicable.active": Message(
            id: "Data yang aktif tidak memiliki ended_on atau end_reason; ubah status menjadi inactive untuk mengakhirinya.",
            en: "An active record has no ended_on or end_reason; set status inactive to end it."),
        "region_level.psks": Message(
            id: "Data {type} memerlukan wilayah {needs}; {region} adalah {level}.",
            en: "A {type} record needs {needs}; {region} is {level}."),
        "possible_duplicate": Message(
            id: "Data {id} ({type}, {region}) memiliki nama dan tanggal lahir yang sama di {kabkota}.",
            en: "Record {id} ({type}, {region}) has the same name and birth date in {kabkota}."),
        "duplicate_nik": Message(
            id: "NIK {nik} sudah terdaftar sebagai {type} yang aktif (data {id}); akhiri atau perbarui data itu terlebih dahulu.",
            en: "NIK {nik} is already registered as an active {type} (record {id}); end that record first or update it."),
        "duplicate_nik.elsewhere": Message(
            id: "Orang ini tidak dapat didaftarkan sebagai {type} yang aktif dengan token ini; minta provinsi atau admin memeriksa register.",
            en: "This person cannot be registered as an active {type} from this token; ask the provinsi or admin to check the register."),
        "tksk_exists": Message(
            id: "Kecamatan {kecamatan} sudah memiliki TKSK yang aktif; satu kecamatan satu TKSK aktif (akhiri data itu terlebih dahulu).",
            en: "TKSK: kecamatan {kecamatan} already has an active TKSK; one active TKSK per kecamatan (end that record first)."),
        "tksk_exists.record": Message(
            id: "Kecamatan {kecamatan} sudah memiliki TKSK yang aktif (data {id}); satu kecamatan satu TKSK aktif (akhiri data itu terlebih dahulu).",
            en: "TKSK: kecamatan {kecamatan} already has an active TKSK (record {id}); one active TKSK per kecamatan (end that record first)."),
        "duplicate_name": Message(
            id: "{type} \"{name}\" sudah terdaftar di {region} (data {id}).",
            en: "{type} \"{name}\" is already registered in {region} (record {id})."),
        "duplicate_in_file": Message(
            id: "baris {first} dan baris {row} adalah data yang sama ({same} sama); gabungkan menjadi satu baris.",
            en: "Rows {first} and {row} are the same record (same {same}); merge them into one row."),
        "type_mismatch": Message(
            id: "Jenis pada baris ini {value}, bukan {expected} seperti pada ?type=.",
            en: "The row's type {value} is not {expected} as ?type= says."),
        // The rejected-rows file's error column (Sheets/RejectedRows.swift).
        "refused_with_others": Message(
            id: "laporan ini ditolak karena baris lain; kirim baris ini lagi bersama baris yang diperbaiki",
            en: "the report was refused for another of its rows: send this row again with the fixed ones"),
        "outside_scope": Message(
            id: "Wilayah {region} di luar jangkauan token ini ({reach}).",
            en: "Region {region} is outside this token's reach ({reach})."),
    ]

    static let regions: [String: Message] = [
        "region_not_found": Message(
            id: "Tidak ada wilayah dengan kode {region}.",
            en: "No region with code {region}."),
        "region_search_text": Message(
            id: "q harus {min} sampai {max} karakter dari nama wilayah, misalnya kejaksan.",
            en: "q must be {min} to {max} characters of a region's name, e.g. kejaksan."),
        "out_of_range.length": Message(
            id: "{field} berisi {length} karakter; harus {min} sampai {max}.",
            en: "{field} has {length} characters; it must have {min} to {max}."),
        "bad_name": Message(
            id: "{field} wajib diisi, paling banyak {max} karakter.",
            en: "{field} is required, at most {max} characters."),
        "unknown_level": Message(
            id: "{field} \"{value}\" bukan salah satu dari: {allowed}.",
            en: "{field} \"{value}\" is not one of {allowed}."),
        "level_mismatch": Message(
            id: "Kode dengan {depth} bagian adalah {allowed}, bukan {value}.",
            en: "A code with {depth} part(s) is {allowed}, not {value}."),
        "parent_mismatch": Message(
            id: "Induk {region} adalah {parent}.",
            en: "The parent of {region} is {parent}."),
        "parent_mismatch.provinsi": Message(
            id: "Provinsi tidak memiliki induk; kosongkan {field}.",
            en: "A provinsi has no parent; leave {field} empty."),
        "unknown_parent": Message(
            id: "Induk {parent} belum ada dalam daftar wilayah; tulis baris induk sebelum baris anaknya.",
            en: "Parent {parent} is not in the register; list parents before their children."),
    ]
}
