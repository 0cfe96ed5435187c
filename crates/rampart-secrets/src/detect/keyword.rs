//! Context keys (`secrets.md` §5.3): split a key, flag or variable name into words and decide
//! whether it names a credential, a setting about one, or something entropy must not judge.

/// What a context key says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClass {
    /// Names a credential (`DB_PASSWORD`, `clientSecret`, `api-key`).
    Keyword,
    /// Names a credential's setting (`PASSWORD_FILE`, `SECRET_NAME`, `tokenTTL`): no rule fires.
    Setting,
    /// Names a digest, id, certificate or salt (`checksum/secret`, `caBundle`): no rule fires.
    NotSecret,
    /// Says nothing: only the entropy rule may fire.
    Neutral,
}

/// Words after which a key names a property of a secret, not the secret itself.
const SETTINGS: &[&str] = &[
    "file",
    "files",
    "path",
    "paths",
    "dir",
    "name",
    "names",
    "ref",
    "refs",
    "id",
    "ids",
    "class",
    "length",
    "len",
    "min",
    "max",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "seconds",
    "header",
    "enabled",
    "required",
    "policy",
    "algorithm",
    "alg",
    "type",
    "format",
    "version",
    "count",
    "regex",
    "pattern",
    "url",
    "uri",
    "endpoint",
    "size",
    "mode",
    "hint",
    "description",
    "label",
    "labels",
    "selector",
    "mount",
    "volume",
    "provider",
    "kind",
    "store",
    "field",
    "interval",
    "duration",
    "rotation",
    "template",
    "prefix",
    "suffix",
    "location",
    "namespace",
    "annotation",
    "env",
    "encryption",
    "hashing",
    "method",
    "scheme",
    "strategy",
    "mtime",
    "timestamp",
    "updated",
    "created",
];

/// Words that make a key about digests, identifiers or public material (§5.4 exclusions).
const NOT_SECRET: &[&str] = &[
    "checksum",
    "digest",
    "hash",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "fingerprint",
    "etag",
    "uid",
    "nonce",
    "salt",
    "ca",
    "bundle",
    "cert",
    "crt",
    "pub",
    "public",
    "commit",
    "revision",
    "integrity",
];

/// Single words that are keywords on their own.
const SOLO: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "authorization",
    "bearer",
    "contrasena",
    "secretkey",
    "accesskey",
    "privatekey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "sessionkey",
    "clientsecret",
    "accesstoken",
    "authtoken",
    "apitoken",
    "secrettoken",
];

/// Words that, followed by `key`, make a keyword (`api key`, `private key`, …).
const BEFORE_KEY: &[&str] = &[
    "api",
    "access",
    "private",
    "secret",
    "signing",
    "encryption",
    "master",
    "session",
    "auth",
];

/// Splits on `-`, `_`, `.`, `/`, `:`, spaces and camelCase boundaries (`AWSSecret` → aws, secret).
pub fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = key.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = (c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            }))
            // `password1`, `sha256`: a number after a word is a word of its own.
            || (c.is_ascii_digit() && prev.is_some_and(char::is_alphabetic));
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_keyword_word(w: &str) -> bool {
    SOLO.contains(&w)
        // Compound words such as `pgpassword`, `dbpassword`, `clientsecret`.
        || (w.len() > 8 && (w.ends_with("password") || w.ends_with("passwd")))
        || (w.len() > 6 && w.ends_with("secret"))
        || (w.len() > 5 && w.ends_with("token"))
}

/// Keys naming an identifier (`SENTINEL_ID_0`, `clusterid`, `install-strategy-identifier`):
/// random-looking values under them are ids, not secrets (entropy rule only).
pub fn names_an_id(key: &str) -> bool {
    words(key).iter().any(|w| {
        matches!(w.as_str(), "id" | "ids" | "identifier" | "uuid" | "guid")
            || (w.len() > 2 && w.len() <= 12 && w.ends_with("id") && !w.ends_with("aid"))
    })
}

/// A cheap, allocation-free pre-test: false means [`classify`] cannot return `Keyword`.
pub fn may_be_keyword(key: &str) -> bool {
    const FRAGMENTS: &[&[u8]] = &[
        b"pass",
        b"pwd",
        b"secret",
        b"token",
        b"key",
        b"auth",
        b"bearer",
        b"credential",
        b"contrasena",
    ];
    let k = key.as_bytes();
    FRAGMENTS
        .iter()
        .any(|f| k.windows(f.len()).any(|w| w.eq_ignore_ascii_case(f)))
}

/// Classifies a context key.
pub fn classify(key: &str) -> KeyClass {
    let w = words(key);
    if w.is_empty() {
        return KeyClass::Neutral;
    }
    if w.iter().any(|x| NOT_SECRET.contains(&x.as_str())) {
        return KeyClass::NotSecret;
    }
    let last = w.last().map_or("", String::as_str);
    let mut keyword = w.iter().any(|x| is_keyword_word(x));
    keyword |= last == "pass";
    keyword |= w
        .windows(2)
        .any(|p| p[1] == "key" && BEFORE_KEY.contains(&p[0].as_str()));
    keyword |= w.windows(2).any(|p| p[0] == "client" && p[1] == "secret");
    // `auth` only as the whole key or with `token`/`key`.
    keyword |= w.len() == 1 && w[0] == "auth";
    if !keyword {
        return KeyClass::Neutral;
    }
    // `api-key` ends in `key` yet names the credential: only a setting word after the
    // credential word makes it a setting.
    let credential_last = last == "key" && w.len() >= 2;
    if SETTINGS.contains(&last) && !credential_last {
        return KeyClass::Setting;
    }
    if w.iter().any(|x| x == "existing") || w.last().is_some_and(|l| l.ends_with("ref")) {
        // `existingSecret`, `passwordSecretRef`: references to a Secret.
        return KeyClass::Setting;
    }
    KeyClass::Keyword
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        assert_eq!(
            words("AWSSecretAccessKey"),
            ["aws", "secret", "access", "key"]
        );
        assert_eq!(
            words("spring.datasource.password"),
            ["spring", "datasource", "password"]
        );
        assert_eq!(words("checksum/secret"), ["checksum", "secret"]);
        assert_eq!(words("PASSWORD1"), ["password", "1"]);
        assert_eq!(
            words("accessKeyIDSecretRef"),
            ["access", "key", "id", "secret", "ref"]
        );
    }

    #[test]
    fn classifies_keys() {
        use KeyClass::*;
        let cases = [
            ("DB_PASSWORD", Keyword),
            ("JWT_SECRET", Keyword),
            ("api-key", Keyword),
            ("STRIPE_API_KEY", Keyword),
            ("clientSecret", Keyword),
            ("_auth", Keyword),
            ("PGPASSWORD", Keyword),
            ("DB_PASS", Keyword),
            ("Authorization", Keyword),
            ("PASSWORD_MIN_LENGTH", Setting),
            ("PASSWORD_FILE", Setting),
            ("SECRET_NAME", Setting),
            ("API_KEY_HEADER", Setting),
            ("TOKEN_TTL_SECONDS", Setting),
            ("password-reset-url", Setting),
            ("secretPath", Setting),
            ("existingSecret", Setting),
            ("passwordSecretRef", Setting),
            ("AZURE_FEDERATED_TOKEN_FILE", Setting),
            ("checksum/secret", NotSecret),
            ("caBundle", NotSecret),
            ("seed-material", Neutral),
            ("key", Neutral),
            ("PASSWORD_REQUIRE_SYMBOL", Keyword),
            ("secretKey", Keyword),
            ("passport", Neutral),
            ("ADMIN_PASSWORD2", Keyword),
            ("sha256sum", NotSecret),
        ];
        for (k, want) in cases {
            assert_eq!(classify(k), want, "{k}");
            if want == Keyword {
                assert!(may_be_keyword(k), "{k}");
            }
        }
    }
}
