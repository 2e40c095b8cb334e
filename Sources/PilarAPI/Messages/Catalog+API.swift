import Foundation

// The HTTP layer's messages: routes, tokens in headers, bodies, query parameters, limits.
// Indonesian as a Dinas Sosial writes it: formal and short. See MessageCatalog.
extension MessageCatalog {
    static let api: [String: Message] = [
        "no_route": Message(
            id: "Tidak ada sumber daya di {path}; daftar rute ada di /openapi.yaml.",
            en: "No resource at {path}; see /openapi.yaml for the routes."),
        "method_not_allowed": Message(
            id: "Metode {method} tidak diizinkan pada {path}; yang diizinkan: {allowed}.",
            en: "{method} is not allowed on {path}; allowed: {allowed}."),
        "token_missing": Message(
            id: "Kirim token: Authorization: Bearer <token>.",
            en: "Send a token: Authorization: Bearer <token>."),
        "authorization_malformed": Message(
            id: "Header Authorization harus berbentuk: Bearer <token>.",
            en: "The Authorization header must be: Bearer <token>."),
        "token_invalid": Message(
            id: "Token tidak sah (tidak dikenal, rusak, atau sudah dicabut).",
            en: "The token is not valid (unknown, malformed or revoked)."),
        "body_too_large": Message(
            id: "Isi permintaan melebihi batas {max_bytes} byte.",
            en: "The body is larger than the limit of {max_bytes} bytes."),
        "import_too_large": Message(
            id: "File impor melebihi batas {max_bytes} byte; bagi menjadi beberapa file.",
            en: "The import file is larger than the limit of {max_bytes} bytes; split it into several files."),
        "body_not_allowed": Message(
            id: "{method} {route} tidak menerima isi permintaan; kirim tanpa isi.",
            en: "{method} {route} takes no request body; send it without one."),
        "body_unreadable": Message(
            id: "Isi permintaan tidak dapat dibaca ({reason}).",
            en: "The request body could not be read ({reason})."),
        "database_busy": Message(
            id: "Basis data sedang sibuk; coba lagi sebentar lagi.",
            en: "The database is busy; retry shortly."),
        "writer_busy": Message(
            id: "Basis data sedang sibuk menyimpan data lain ({writes_ahead} antrean di depan permintaan Anda); tidak ada yang disimpan. Kirim permintaan yang sama lagi setelah Retry-After detik.",
            en: "The database is busy with other writes ({writes_ahead} ahead of yours); nothing was saved. Send the same request again after Retry-After seconds."),
        "internal_error": Message(
            id: "Terjadi kesalahan internal; nomor permintaan: {request_id}.",
            en: "Internal error; the request id is {request_id}."),
        "role_may_not_send": Message(
            id: "Token {role} tidak boleh mengirim ke {method} {route}; yang boleh: {roles}.",
            en: "A {role} token may not send to {method} {route}; that needs: {roles}."),
        "too_many_uploads": Message(
            id: "Token ini sudah memiliki {limit} {what} yang sedang berjalan; coba lagi setelah salah satunya selesai.",
            en: "This token already has {limit} {what} in flight; retry when one has finished."),
        "too_many_exports": Message(
            id: "Token ini sudah menjalankan {limit} ekspor; tunggu salah satunya selesai (paling banyak {limit} sekaligus per token).",
            en: "This token already has {limit} exports running; wait for one to finish (at most {limit} at a time per token)."),
        "too_many_import_jobs": Message(
            id: "Token ini sudah menjalankan {limit} impor sebagai tugas; tunggu sampai selesai (alamat statusnya ada di Location jawaban 202).",
            en: "This token already runs {limit} import job; wait for it to finish (its status URL is the Location of the 202 answer)."),
        "import_jobs_busy": Message(
            id: "Sedang berjalan {running} impor sebagai tugas di server ini; coba lagi setelah Retry-After detik, atau kirim tanpa Prefer: respond-async.",
            en: "{running} import jobs are running on this server; retry after Retry-After seconds, or send without Prefer: respond-async."),
        "import_job_interrupted": Message(
            id: "Layanan dimulai ulang saat impor ini berjalan. Impor semua-atau-tidak-sama-sekali tidak menyimpan apa pun; impor dengan on_error=skip menyimpan kelompok baris yang selesai sebelumnya. Kirim file yang sama lagi: baris yang sudah tersimpan menjadi unchanged.",
            en: "The service restarted while this import ran. An all-or-nothing import saved nothing; an on_error=skip import kept the batches of rows done before. Send the same file again: rows already saved come back unchanged."),
        "import_job_not_found": Message(
            id: "Tidak ada tugas impor {id} untuk token ini.",
            en: "No import job {id} for this token."),
        "rejected_rows_not_found": Message(
            id: "Tidak ada file baris ditolak {id} untuk token ini; file disimpan {minutes} menit dan hilang saat layanan dimulai ulang. Kirim impornya lagi dengan ?dry_run=true untuk membuatnya lagi.",
            en: "No rejected-rows file {id} for this token; files are kept {minutes} minutes and lost when the service restarts. Send the import again with ?dry_run=true to make it again."),
        "exports_busy": Message(
            id: "Sedang berjalan {running} ekspor di server ini; coba lagi beberapa detik lagi.",
            en: "{running} exports are running on this server; retry in a few seconds."),
        "import_refused": Message(
            id: "Tidak ada yang disimpan: {rejected} baris melanggar aturan dan impor ini berlaku seluruhnya atau tidak sama sekali ({accepted} baris dapat diterima). Perbaiki baris pada errors lalu kirim ulang seluruh file, atau tambahkan ?on_error=skip untuk menyimpan baris yang benar saja (?dry_run=true untuk mencoba tanpa menyimpan).",
            en: "Nothing was saved: {rejected} rows break the rules and this import is all or nothing ({accepted} would have been accepted). Fix the rows listed in errors and send the whole file again, or add ?on_error=skip to save the good rows and skip the bad ones (?dry_run=true tries without saving)."),
        "region_code_malformed": Message(
            id: "\"{value}\" bukan kode wilayah; tulis seperti 32, 32.74, 32.74.01 atau 3274.",
            en: "\"{value}\" is not a region code; write it like 32, 32.74, 32.74.01 or 3274."),
        "malformed_code": Message(
            id: "{field} \"{value}\" bukan kode wilayah Kemendagri seperti 32, 32.74, 32.74.01 atau 32.74.01.1001.",
            en: "{field} \"{value}\" is not a Kemendagri region code such as 32, 32.74, 32.74.01 or 32.74.01.1001."),
        "id_malformed": Message(
            id: "{name} harus bilangan bulat positif, bukan \"{value}\".",
            en: "{name} must be a positive whole number, not \"{value}\"."),
        "unknown_parameter_in_query": Message(
            id: "Parameter \"{name}\" tidak dikenal; endpoint ini menerima: {allowed}.",
            en: "Unknown parameter \"{name}\"; this endpoint takes {allowed}."),
        "unknown_parameter": Message(
            id: "{field} bukan parameter endpoint ini.",
            en: "{field} is not a parameter of this endpoint."),
        "query_number_out_of_range": Message(
            id: "{name} harus bilangan bulat dari {min} sampai {max}, bukan \"{value}\".",
            en: "{name} must be a whole number from {min} to {max}, not \"{value}\"."),
        "out_of_range": Message(
            id: "{field} harus bilangan bulat dari {min} sampai {max}, bukan {value}.",
            en: "{field} must be a whole number from {min} to {max}, not {value}."),
        "query_not_boolean": Message(
            id: "{name} harus true atau false, bukan \"{value}\".",
            en: "{name} must be true or false, not \"{value}\"."),
        "query_not_a_choice": Message(
            id: "{name} harus salah satu dari {allowed}, bukan \"{value}\".",
            en: "{name} must be one of {allowed}, not \"{value}\"."),
        "query_too_long": Message(
            id: "{name} lebih dari {max} karakter.",
            en: "{name} is longer than {max} characters."),
        "query_control_character": Message(
            id: "{name} tidak boleh berisi karakter kendali.",
            en: "{name} may not contain control characters."),
        "control_character": Message(
            id: "{field} berisi karakter kendali.",
            en: "{field} contains a control character."),
        "query_not_a_time": Message(
            id: "{name} harus waktu RFC 3339, misalnya 2026-11-01T00:00:00Z.",
            en: "{name} must be an RFC 3339 time such as 2026-11-01T00:00:00Z."),
        "query_not_a_date_or_time": Message(
            id: "{name} harus tanggal (2026-10-01) atau waktu RFC 3339 (2026-10-01T00:00:00Z), bukan \"{value}\".",
            en: "{name} must be a date (2026-10-01) or an RFC 3339 time (2026-10-01T00:00:00Z), not \"{value}\"."),
        "cursor_invalid": Message(
            id: "Cursor tidak sah; kirim next_cursor persis seperti yang diberikan halaman sebelumnya.",
            en: "The cursor is not valid; pass next_cursor exactly as a previous page gave it."),
        "body_not_json": Message(
            id: "Kirim isi permintaan sebagai JSON dengan Content-Type: application/json (yang diterima: {media_type}).",
            en: "Send the body as JSON with Content-Type: application/json (got {media_type})."),
        "body_required": Message(
            id: "Permintaan ini memerlukan isi berupa objek JSON.",
            en: "The request needs a JSON object body."),
        "body_invalid_json": Message(
            id: "Isi permintaan bukan JSON yang sah: {reason} pada byte {offset}.",
            en: "The body is not valid JSON: {reason} at byte {offset}."),
        "body_not_object": Message(
            id: "Isi permintaan harus objek JSON, bukan {found}.",
            en: "The body must be a JSON object, not {found}."),
        "import_media_type": Message(
            id: "Kirim file dengan Content-Type: text/csv, {xlsx_type} (.xlsx) atau application/x-ndjson, misalnya curl --data-binary @file.csv -H 'Content-Type: text/csv'.",
            en: "Send the file with Content-Type: text/csv, {xlsx_type} (.xlsx) or application/x-ndjson, e.g. curl --data-binary @file.csv -H 'Content-Type: text/csv'."),
        "if_match_malformed": Message(
            id: "If-Match harus * atau ETag yang Anda baca, lengkap dengan tanda kutip (misalnya If-Match: \"psks-42-v1\").",
            en: "If-Match must be * or the ETag you read, quotes included (e.g. If-Match: \"psks-42-v1\")."),
        "malformed_etag": Message(
            id: "{field} bukan entity-tag.",
            en: "{field} is not an entity-tag."),
        "if_none_match_star_only": Message(
            id: "If-None-Match pada penulisan hanya menerima * (buat hanya jika belum ada).",
            en: "If-None-Match on a write takes only * (create only if it does not exist yet)."),
        "version_exists": Message(
            id: "{what} {id} sudah ada; permintaan ini hanya membuat bila belum ada (If-None-Match: *).",
            en: "{what} {id} exists already; it was to be created only if absent (If-None-Match: *)."),
        "version_missing": Message(
            id: "{what} {id} belum ada, jadi belum ada versi yang berlaku.",
            en: "{what} {id} does not exist yet, so no version of it can be current."),
        "version_changed": Message(
            id: "{what} {id} sudah berubah sejak versi itu dibaca; baca lagi lalu terapkan ulang perubahan Anda.",
            en: "{what} {id} changed since that version was read; read it again and reapply your change."),
        "idempotency_key_length": Message(
            id: "Idempotency-Key harus 1 sampai {max} karakter (UUID adalah kunci yang baik).",
            en: "Idempotency-Key must be 1 to {max} characters (a UUID is a good key)."),
        "link_base_invalid": Message(
            id: "Alamat dasar tautan \"{base}\" harus alamat http(s) tanpa ? atau #, seperti https://pilar.dinsos.example/.",
            en: "The link base \"{base}\" must be an http(s) address without ? or #, like https://pilar.dinsos.example/."),
        "asset_not_found": Message(
            id: "Tidak ada aset {name}; halaman menyebutkan aset yang berlaku.",
            en: "No asset {name}; the page names the current ones."),
        "unknown_field": Message(
            id: "Isian {field} tidak dikenal; isian yang diterima: {allowed}.",
            en: "Unknown field {field}; the fields here are {allowed}."),
        "wrong_type": Message(
            id: "{field} harus berupa {expected}, bukan {found}.",
            en: "{field} must be {expected}, not {found}."),
        "required": Message(
            id: "{field} wajib diisi.",
            en: "{field} is required."),
        "too_long": Message(
            id: "{field} berisi {length} karakter; paling banyak {max}.",
            en: "{field} has {length} characters; at most {max}."),
        "invalid_timestamp": Message(
            id: "{field} harus waktu RFC 3339, misalnya 2027-01-31T00:00:00Z.",
            en: "{field} must be an RFC 3339 time such as 2027-01-31T00:00:00Z."),
        "invalid_fields": Message(
            id: "{count} isian tidak memenuhi aturan; lihat errors.",
            en: "{count} fields break the rules; see errors."),
        "unknown_role": Message(
            id: "{field} harus salah satu dari {allowed}.",
            en: "{field} must be one of {allowed}."),
        "token_id_required": Message(
            id: "token_id harus nomor token (bilangan bulat mulai dari 1).",
            en: "token_id must be the id of the token (a whole number from 1)."),
        "programme_code_malformed": Message(
            id: "\"{value}\" bukan kode program seperti PELATIHAN_DASAR_PSM.",
            en: "\"{value}\" is not a programme code like PELATIHAN_DASAR_PSM."),
        "unknown_psks_type": Message(
            id: "Jenis PSKS \"{value}\" tidak dikenal; pilih salah satu: {allowed}.",
            en: "Unknown PSKS type \"{value}\"; choose one of {allowed}."),
        "not_a_kecamatan": Message(
            id: "{region} bukan kode kecamatan; laporan dibuat per kecamatan, seperti 32.74.01.",
            en: "{region} is not a kecamatan code; reports are per kecamatan, like 32.74.01."),
        "region_level": Message(
            id: "{field} harus kode kecamatan.",
            en: "{field} must be a kecamatan code."),
    ]

    /// The problem titles, one per kind (the `type` URI says the kind).
    static let titles: [String: Message] = [
        "title.badRequest": Message(id: "Permintaan tidak dapat dibaca", en: "Bad Request"),
        "title.unauthorized": Message(id: "Token diperlukan", en: "Unauthorized"),
        "title.forbidden": Message(id: "Tidak berwenang", en: "Forbidden"),
        "title.notFound": Message(id: "Tidak ditemukan", en: "Not Found"),
        "title.methodNotAllowed": Message(id: "Metode tidak diizinkan", en: "Method Not Allowed"),
        "title.conflict": Message(id: "Bertentangan dengan keadaan data", en: "Conflict"),
        "title.preconditionFailed": Message(id: "Prasyarat tidak terpenuhi", en: "Precondition Failed"),
        "title.payloadTooLarge": Message(id: "Isi permintaan terlalu besar", en: "Content Too Large"),
        "title.unsupportedMediaType": Message(id: "Jenis isi tidak didukung", en: "Unsupported Media Type"),
        "title.unprocessable": Message(id: "Melanggar aturan", en: "Unprocessable Content"),
        "title.tooManyRequests": Message(id: "Terlalu banyak permintaan", en: "Too Many Requests"),
        "title.unavailable": Message(id: "Layanan sedang sibuk", en: "Service Unavailable"),
        "title.internalError": Message(id: "Kesalahan internal", en: "Internal Server Error"),
    ]
}
