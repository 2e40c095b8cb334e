import Foundation

// Capacity building (PilarCore/Capacity, Domain/TrainingRules, Domain/AwardRules): training
// programmes and events, participants, awards, equipment aid, IPSM associations.
extension MessageCatalog {
    static let capacity: [String: Message] = [
        "training_not_found": Message(id: "Tidak ada pelatihan dengan id {id}.", en: "No training {id}."),
        "ipsm_not_found": Message(id: "Tidak ada IPSM dengan id {id}.", en: "No IPSM {id}."),
        "programme_not_found": Message(id: "Tidak ada program pelatihan {value}.", en: "No training programme {value}."),
        "ipsm_member_not_found": Message(
            id: "Data {psks_id} bukan anggota IPSM {id}.",
            en: "Record {psks_id} is not a member of IPSM {id}."),
        "records_not_found": Message(id: "{count} data PSKS tidak ditemukan.", en: "{count} PSKS records not found."),
        "training_cancelled": Message(
            id: "Pelatihan {id} dibatalkan; aktifkan kembali (PATCH status scheduled) sebelum mengubah pesertanya.",
            en: "Training {id} is cancelled; reinstate it (PATCH status scheduled) before changing its participants."),
        "has_completions": Message(
            id: "{count} peserta telah menyelesaikan pelatihan ini; {field} tidak boleh melewati hari ini ({today}).",
            en: "{count} participant(s) completed this training; {field} cannot be after today ({today})."),
        "duplicate_award": Message(
            id: "Data {id} sudah menerima {award} tingkat {level} tahun {year} (penghargaan {existing}); satu {award} per tingkat dan tahun.",
            en: "Record {id} already has {award} at {level} level for {year} (award {existing}); one {award} per level and year."),
        "ipsm_exists": Message(
            id: "Wilayah {region} sudah memiliki IPSM ({existing}); satu IPSM per wilayah.",
            en: "Region {region} already has its IPSM ({existing}); one IPSM per region."),
        "role_taken": Message(
            id: "Data {other} adalah {role} IPSM {id}; jadikan anggota terlebih dahulu (satu {role} per IPSM).",
            en: "Record {other} is the {role} of IPSM {id}; make them anggota first (one {role} per association)."),
        "duplicate_code": Message(
            id: "Program {value} sudah ada; ubah dengan PATCH /v1/training-programmes/{value}.",
            en: "Programme {value} exists; change it with PATCH /v1/training-programmes/{value}."),
        "unknown.award": Message(
            id: "Tidak ada penghargaan {value}; penghargaan yang ada: {allowed}.",
            en: "No award {value}; the awards are {allowed}."),
        "type_not_served": Message(
            id: "{field} tidak berlaku untuk jenis PSKS ini.",
            en: "{field} does not serve this PSKS type."),
        "type_not_served.award": Message(
            id: "{award} diberikan kepada {types}; data {id} adalah {type}.",
            en: "{award} is for {types}; record {id} is a {type}."),
        "retired": Message(id: "{field} \"{value}\" sudah tidak berlaku.", en: "{field} \"{value}\" is retired."),
        "retired.award": Message(id: "Penghargaan {value} tidak diberikan lagi.", en: "Award {value} is no longer given."),
        "in_future.aid": Message(
            id: "{field} {value} melewati hari ini ({today}); catat bantuan setelah diserahkan.",
            en: "{field} {value} is after today ({today}); record aid once it is given."),
        "immutable.members": Message(
            id: "{field} diisi oleh sistem; gunakan PUT /v1/ipsm/{id}/members/<psks_id>.",
            en: "{field} is kept by the service; use PUT /v1/ipsm/{id}/members/<psks_id>."),
        "immutable.path": Message(
            id: "{field} adalah data pada path ({value}).",
            en: "{field} is the record in the path ({value})."),
        "immutable.training": Message(
            id: "{field} pelatihan tidak dapat diubah; batalkan lalu buat pelatihan baru.",
            en: "{field} of a training does not change; cancel it and create a new one."),
        "immutable.programme": Message(
            id: "{field} program tidak dapat diubah; tambahkan program baru.",
            en: "{field} of a programme does not change; add a new programme instead."),
        "not_psm": Message(
            id: "Data {id} adalah {type}; anggota IPSM adalah PSM.",
            en: "Record {id} is a {type}; IPSM members are PSM."),
        "record_inactive": Message(
            id: "Data {id} tidak aktif; anggota IPSM adalah PSM yang aktif.",
            en: "Record {id} is inactive; members are active PSM."),
        "outside_region": Message(
            id: "Data {id} berada di {region}, di luar wilayah IPSM {ipsm_region}.",
            en: "Record {id} is in {region}, outside the association's region {ipsm_region}."),
        "unknown.programme": Message(
            id: "Tidak ada program pelatihan {value}; program yang ada: {allowed}.",
            en: "No training programme {value}; the programmes are {allowed}."),
        "retired.programme": Message(
            id: "Program {value} sudah tidak berlaku; pelatihan baru memerlukan program yang aktif.",
            en: "Programme {value} is retired; new events need an active programme."),
        "unknown_record": Message(id: "Tidak ada data PSKS dengan id {id}.", en: "no PSKS record {id}"),
        "not_a_participant": Message(
            id: "Data {id} bukan peserta pelatihan {training}.",
            en: "Record {id} is not a participant of training {training}."),
        "type_not_served.programme": Message(
            id: "Data {id} adalah {type}; program {programme} untuk {types}.",
            en: "Record {id} is a {type}; programme {programme} serves {types}."),
        "completed_needs_attended": Message(
            id: "Peserta yang menyelesaikan pelatihan pasti hadir; {field} tidak boleh false.",
            en: "A participant who completed the training attended it; {field} cannot be false."),
        "needs_completed": Message(
            id: "Sertifikat diberikan setelah pelatihan selesai; isi completed true bersama {field}.",
            en: "A certificate is given on completion; set completed true with {field}."),
        "unknown_field.participants": Message(
            id: "{field} tidak dikenal; kirim participants berisi daftar peserta, atau satu peserta saja.",
            en: "Unknown {field}; send either participants with a list or one participant."),
        "wrong_type.participants": Message(
            id: "{field} harus daftar berisi 1 sampai {max} objek, masing-masing dengan psks_id (misalnya \"psks_id\": 12).",
            en: "{field} must be a list of 1 to {max} objects, each with psks_id (e.g. \"psks_id\": 12)."),
        "wrong_type.participant": Message(
            id: "{field} harus objek dengan psks_id (misalnya \"psks_id\": 12).",
            en: "{field} must be an object with psks_id (e.g. \"psks_id\": 12)."),
        "invalid.programme_code": Message(
            id: "{field} \"{value}\" harus huruf kapital, angka dan _ (seperti PELATIHAN_DASAR_PSM), paling banyak {max} karakter.",
            en: "{field} \"{value}\" must be capital letters, digits and _ (like PELATIHAN_DASAR_PSM), at most {max}."),
        "required.psks_types": Message(
            id: "{field} wajib diisi: jenis PSKS yang dilayani, misalnya [\"PSM\"].",
            en: "{field} is required: the PSKS types it serves, like [\"PSM\"]."),
        "wrong_type.psks_types": Message(
            id: "{field} harus daftar kode jenis PSKS yang tidak kosong, misalnya [\"PSM\"].",
            en: "{field} must be a non-empty list of PSKS type codes, like [\"PSM\"]."),
        "unknown.psks_type_item": Message(
            id: "{field} bukan jenis PSKS; jenis yang ada: {allowed}.",
            en: "{field} is not a PSKS type; known types: {allowed}."),
        "wrong_type.criterion": Message(
            id: "{field} harus null atau salah satu dari: {allowed}.",
            en: "{field} must be null or one of {allowed}."),
        "unknown.criterion": Message(
            id: "Kriteria {value} tidak dapat dipenuhi melalui pelatihan; pilihan: {allowed}.",
            en: "Criterion {value} is not one a training can satisfy; one of {allowed}."),
        "type_not_served.criterion": Message(
            id: "Kriteria ini untuk {type}, sedangkan program melayani {types}.",
            en: "The criterion is a {type} criterion, but the programme serves {types}."),
        "not_applicable.nasional": Message(
            id: "Pelatihan tingkat nasional tidak memiliki wilayah; kosongkan {field}.",
            en: "A nasional event has no region; leave {field} out."),
        "required.kabkota_event": Message(
            id: "Pelatihan tingkat kabupaten/kota memerlukan {field} Dinas Sosial penyelenggaranya (kode kabupaten/kota seperti 32.74).",
            en: "A kabkota event needs the {field} of its Dinas Sosial (a kabupaten/kota like 32.74)."),
        "required.provinsi_event": Message(
            id: "Pelatihan tingkat provinsi memerlukan {field} Dinas Sosial penyelenggaranya (kode provinsi seperti 32).",
            en: "A provinsi event needs the {field} of its Dinas Sosial (a province like 32)."),
        "region_level.kabkota_event": Message(
            id: "Wilayah {region} tidak sesuai untuk pelatihan tingkat kabupaten/kota; gunakan kode kabupaten/kota seperti 32.74.",
            en: "Region {region} does not fit a kabkota event; it needs a kabupaten/kota code like 32.74."),
        "region_level.provinsi_event": Message(
            id: "Wilayah {region} tidak sesuai untuk pelatihan tingkat provinsi; gunakan kode provinsi seperti 32.",
            en: "Region {region} does not fit a provinsi event; it needs a province code like 32."),
        "region_level.ipsm": Message(
            id: "Wilayah {region} bukan provinsi atau kabupaten/kota; IPSM dibentuk satu per provinsi dan per kabupaten/kota.",
            en: "Region {region} is not a province or kabupaten/kota; an IPSM is one per province and per kabupaten/kota."),
        "before_start": Message(
            id: "{field} {value} lebih awal dari starts_on {starts_on}.",
            en: "{field} {value} is before starts_on {starts_on}."),
        "event_cancelled": Message(
            id: "Pelatihan dibatalkan; tidak ada peserta yang menyelesaikannya.",
            en: "The event was cancelled; nobody completed it."),
        "event_not_ended": Message(
            id: "Pelatihan berakhir pada {ends_on}; kelulusan dapat dicatat mulai hari itu (hari ini {today}).",
            en: "The event ends on {ends_on}; completion can be recorded from that day on (today is {today})."),
    ]
}
