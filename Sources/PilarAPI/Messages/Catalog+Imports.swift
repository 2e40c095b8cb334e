import Foundation

// Reading an import file (PilarCore/CSV): the upload, the header, CSV and NDJSON syntax, limits.
extension MessageCatalog {
    static let imports: [String: Message] = [
        "import_too_many_rows": Message(
            id: "File berisi {count} baris data atau lebih; satu impor paling banyak {max} baris: bagi menjadi beberapa file.",
            en: "The file has {count} or more data rows; one import takes at most {max}: split it into smaller files."),
        "upload_not_stored": Message(
            id: "Unggahan tidak dapat disimpan ({reason}).",
            en: "The upload could not be stored ({reason})."),
        "file_empty": Message(
            id: "File kosong; baris pertama harus berisi nama kolom: {required}.",
            en: "The file is empty; its first row must name the columns: {required}."),
        "duplicate_column": Message(
            id: "Kolom \"{first}\" dan \"{second}\" sama-sama berarti {field}; hapus salah satunya.",
            en: "Columns \"{first}\" and \"{second}\" both mean {field}; remove one of them."),
        "missing_column": Message(
            id: "Kolom {field} atau {header} tidak ada pada baris judul.",
            en: "The header has no column {field} (or {header})."),
        "unknown_column": Message(
            id: "Kolom {field} tidak dikenal.",
            en: "Unknown column {field}."),
        "unknown_column.import": Message(
            id: "Kolom {field} tidak dikenal; kolom yang diterima: {allowed} (atau nama Indonesianya).",
            en: "Unknown column {field}; the columns are {allowed} (or their Indonesian names)."),
        "header_columns": Message(
            id: "Baris judul harus berisi kolom {allowed}; nama kolom dalam bahasa Indonesia juga diterima.",
            en: "The header must name the columns {allowed}; Indonesian names are accepted too."),
        "column_count": Message(
            id: "Baris ini berisi {count} kolom; baris judul berisi {header}.",
            en: "The row has {count} fields; the header has {header}."),
        "csv_syntax": Message(
            id: "Baris CSV ini tidak dapat dibaca.",
            en: "This CSV row cannot be read."),
        "csv_syntax.bad_start": Message(
            id: "File tidak diawali UTF-8 yang sah; simpan sebagai CSV UTF-8.",
            en: "The file does not start with valid UTF-8; save it as CSV UTF-8."),
        "csv_syntax.control_character": Message(
            id: "Kolom ke-{column} berisi karakter kendali {byte}; hapus karakter itu.",
            en: "Field {column} contains the control character {byte}; remove it."),
        "csv_syntax.not_utf8": Message(
            id: "Kolom ke-{column} bukan UTF-8 yang sah; simpan file sebagai CSV UTF-8.",
            en: "Field {column} is not valid UTF-8; save the file as CSV UTF-8."),
        "csv_syntax.unclosed_quote": Message(
            id: "Ada kolom bertanda kutip yang tidak ditutup sampai akhir file.",
            en: "A quoted field is not closed before the end of the file."),
        "csv_syntax.record_too_long": Message(
            id: "Baris lebih panjang dari {max} byte.",
            en: "The record is longer than {max} bytes."),
        "csv_syntax.stray_quote": Message(
            id: "Ada tanda kutip di dalam kolom ke-{column} yang tidak dikutip; kutip seluruh isinya dan gandakan tanda kutip di dalamnya.",
            en: "A quote inside an unquoted field in column {column}; quote the whole field and double the inner quotes."),
        "csv_syntax.text_after_quote": Message(
            id: "Ada teks sesudah tanda kutip penutup di kolom ke-{column}.",
            en: "Text after a closing quote in column {column}."),
        // COMPATIBILITY: Sheets still says which workbook problem in its own words (legacy).
        "unreadable_workbook": Message(
            id: "Buku kerja tidak dapat dibaca; simpan ulang sebagai .xlsx.",
            en: "The workbook cannot be read; save it again as .xlsx."),
        "read_failed": Message(
            id: "File tidak dapat dibaca ({reason}).",
            en: "The file could not be read ({reason})."),
        "json_syntax": Message(
            id: "Baris {row} bukan satu objek JSON.",
            en: "Line {row} is not one JSON object."),
        "wrong_type.import_cell": Message(
            id: "{field} harus teks atau angka.",
            en: "{field} must be a string or a number."),
        "constraint": Message(
            id: "Baris ini melanggar aturan basis data ({reason}).",
            en: "The row breaks a rule of the database ({reason})."),
    ]
}
