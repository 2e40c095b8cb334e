import Foundation

// The command line's messages (Sources/pilar, `say`): Indonesian unless LANGUAGE, LC_ALL or
// LANG starts with en, or `--lang en`. Log lines (JSON on standard error) stay as they are.
extension MessageCatalog {
    static let cli: [String: Message] = [
        "cli.env_not_integer": Message(
            id: "PILAR_{name}={value} bukan bilangan bulat.",
            en: "PILAR_{name}={value} is not a whole number."),
        "cli.env_not_seconds": Message(
            id: "PILAR_{name}={value} bukan jumlah detik.",
            en: "PILAR_{name}={value} is not a number of seconds."),
        "cli.db_created": Message(
            id: "basis data baru dibuat di {path}",
            en: "created a new database at {path}"),
        "cli.no_database": Message(
            id: "tidak ada basis data di {path}; berikan path yang benar dengan --db (atau PILAR_DB), atau jalankan `pilar serve` untuk membuatnya",
            en: "no database at {path}; give the right path with --db (or PILAR_DB), or start `pilar serve` to create one"),
        "cli.cannot_open": Message(
            id: "{path} tidak dapat dibuka: {reason}",
            en: "cannot open {path}: {reason}"),
        "cli.port_range": Message(
            id: "port harus dari 0 sampai 65535, bukan {port}",
            en: "the port must be from 0 to 65535, not {port}"),
        "cli.due_day_range": Message(
            id: "--due-day harus dari 1 sampai 28",
            en: "--due-day must be from 1 to 28"),
        "cli.write_wait_range": Message(
            id: "--write-wait harus dari 0 sampai 600 detik",
            en: "--write-wait must be from 0 to 600 seconds"),
        "cli.workers_range": Message(
            id: "--workers harus dari 1 sampai 1024",
            en: "--workers must be from 1 to 1024"),
        "cli.demo_loaded": Message(
            id: "Data demo Kota Cirebon (32.74) sudah dimuat.",
            en: "Demo data for Kota Cirebon (32.74) is loaded."),
        "cli.admin_token": Message(
            id: "Token admin (hanya ditampilkan sekali): {token}",
            en: "Admin token (shown once): {token}"),
        "cli.try_curl": Message(
            id: "Coba: curl -H 'Authorization: Bearer {token}' http://{address}/v1/me",
            en: "Try: curl -H 'Authorization: Bearer {token}' http://{address}/v1/me"),
        "cli.expires_at_invalid": Message(
            id: "--expires-at {value} bukan tanggal (2027-06-30) maupun waktu (2027-06-30T17:00:00Z)",
            en: "--expires-at {value} is neither a day (2027-06-30) nor a timestamp (2027-06-30T17:00:00Z)"),
        "cli.role_invalid": Message(
            id: "--role harus admin, provinsi, kabkota, tksk atau viewer",
            en: "--role must be admin, provinsi, kabkota, tksk or viewer"),
        "cli.region_invalid": Message(
            id: "--region {value} bukan kode wilayah",
            en: "--region {value} is not a region code"),
        "cli.token_created": Message(
            id: "token {id} dibuat ({role}, {name})",
            en: "created token {id} ({role}, {name})"),
        "cli.token_revoked": Message(
            id: "token {id} ({name}) dicabut",
            en: "revoked token {id} ({name})"),
        "cli.backup_exists": Message(
            id: "{path} sudah ada; berikan nama file baru (cadangan tidak pernah menimpa file)",
            en: "{path} already exists; give a new file name (a backup never overwrites)"),
        "cli.backup_written": Message(
            id: "cadangan ditulis ke {path}",
            en: "backup written to {path}"),
        "cli.older_than_invalid": Message(
            id: "--older-than harus jumlah tahun, bulan atau hari: 5y, 18m atau 400d",
            en: "--older-than must be a number of years, months or days: 5y, 18m or 400d"),
        "cli.purged_records": Message(
            id: "{count} data orang yang berakhir sebelum {before} dihapus data pribadinya (nama menjadi inisial; NIK, tanggal lahir, telepon, alamat, catatan dihapus)",
            en: "purged {count} person records ended before {before} (name to initials; NIK, birth date, phone, address, notes removed)"),
        "cli.would_purge_records": Message(
            id: "{count} data orang yang berakhir sebelum {before} akan dihapus data pribadinya (nama menjadi inisial; NIK, tanggal lahir, telepon, alamat, catatan dihapus)",
            en: "would purge {count} person records ended before {before} (name to initials; NIK, birth date, phone, address, notes removed)"),
        "cli.purged_access_log": Message(
            id: "{count} catatan log akses yang melewati masa simpan dihapus",
            en: "purged {count} access-log entries older than the kept period"),
        "cli.would_purge_access_log": Message(
            id: "{count} catatan log akses yang melewati masa simpan akan dihapus",
            en: "would purge {count} access-log entries older than the kept period"),
    ]
}
