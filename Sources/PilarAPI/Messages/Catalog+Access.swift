import Foundation

// Tokens, roles and reach (PilarCore/Access), personal data (PilarCore/Privacy).
extension MessageCatalog {
    static let access: [String: Message] = [
        "outside_reach": Message(
            id: "Token {role} ini hanya menjangkau {reach}; {region} di luar jangkauan tersebut.",
            en: "This {role} token covers {reach}; {region} is outside it."),
        "role_not_allowed": Message(
            id: "Token {role} tidak berwenang {permission}; yang berwenang: {roles}.",
            en: "A {role} token may not {permission}; that needs: {roles}."),
        "role_not_grantable": Message(
            id: "Token {role} tidak boleh membuat token {wanted} (token tidak pernah memberi hak melebihi pemegangnya); yang boleh dibuat: {grantable}.",
            en: "A {role} token may not create {wanted} tokens (a token never grants more than its holder has); it may create: {grantable}."),
        "not_allowed": Message(
            id: "Token {role} tidak memiliki wilayah; kosongkan {field}.",
            en: "A {role} token has no region; leave {field} out."),
        "wrong_level": Message(
            id: "Wilayah token {role} harus {level}; {region} bukan {level}.",
            en: "A {role} token's region must be {level}; {region} is not."),
        "in_past": Message(
            id: "{field} harus waktu yang akan datang.",
            en: "{field} must be in the future."),
        "unknown_region": Message(
            id: "Wilayah {region} tidak ada dalam daftar wilayah; impor terlebih dahulu.",
            en: "Region {region} is not in the register; import it first."),
        "token_not_found": Message(
            id: "Tidak ada token dengan id {id}.",
            en: "No token with id {id}."),
        "revoke_outside_reach": Message(
            id: "Token {role} ini menjangkau {reach} dan hanya dapat mencabut token peran di bawahnya di wilayah itu.",
            en: "This {role} token covers {reach} and may revoke only lower roles' tokens there."),
        "reach.region": Message(
            id: "wilayah {region} dan di bawahnya",
            en: "region {region} and below"),
        "invalid_nik": Message(
            id: "{field} harus 16 digit NIK.",
            en: "{field} must be the person's 16 digits."),
        "window_empty": Message(
            id: "from harus sebelum until.",
            en: "from must be before until."),
        "breach_window_too_large": Message(
            id: "Lebih dari {max} orang dalam rentang waktu ini; bagi menjadi rentang yang lebih pendek.",
            en: "More than {max} people in this window; split it into shorter windows."),
    ]
}
