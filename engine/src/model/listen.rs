//! The `listen` address of a pool, read as FPM reads it (`fpm_sockets.c`).

/// Where a pool accepts `FastCGI` connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    Unix(String),
    Tcp { host: Option<String>, port: String },
}

impl Listen {
    /// A value with a `:` or made only of digits is TCP; anything else is a unix socket path.
    pub fn parse(value: &str) -> Self {
        let value = value.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return Self::Tcp {
                host: None,
                port: value.to_string(),
            };
        }
        match value.rfind(':') {
            Some(colon) => {
                let host = value.get(..colon).unwrap_or("");
                let port = value.get(colon + 1..).unwrap_or("");
                let host = host.trim_start_matches('[').trim_end_matches(']');
                Self::Tcp {
                    host: Some(host.to_string()),
                    port: port.to_string(),
                }
            }
            None => Self::Unix(value.to_string()),
        }
    }

    /// True for a bare port and the wildcard addresses, which FPM binds on every interface.
    pub fn is_all_interfaces(&self) -> bool {
        match self {
            Self::Unix(_) => false,
            Self::Tcp { host: None, .. } => true,
            Self::Tcp { host: Some(h), .. } => {
                matches!(h.as_str(), "" | "0.0.0.0" | "*" | "::" | "0:0:0:0:0:0:0:0")
            }
        }
    }

    pub fn is_loopback(&self) -> bool {
        match self {
            Self::Tcp { host: Some(h), .. } => {
                h == "localhost" || h == "::1" || h.starts_with("127.")
            }
            Self::Unix(_) | Self::Tcp { host: None, .. } => false,
        }
    }

    pub fn port(&self) -> Option<&str> {
        match self {
            Self::Tcp { port, .. } => Some(port),
            Self::Unix(_) => None,
        }
    }
}

/// Reads `listen.mode` as FPM does (`strtoul(value, NULL, 8)`): leading octal digits.
pub fn parse_mode(value: &str) -> u32 {
    let digits = value.trim_start();
    let end = digits
        .find(|c: char| !('0'..='7').contains(&c))
        .unwrap_or(digits.len());
    digits
        .get(..end)
        .and_then(|d| {
            if d.is_empty() {
                Some(0)
            } else {
                u32::from_str_radix(d, 8).ok()
            }
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_addresses_like_fpm() {
        assert!(Listen::parse("9000").is_all_interfaces());
        assert!(Listen::parse("0.0.0.0:9000").is_all_interfaces());
        assert!(Listen::parse("[::]:9000").is_all_interfaces());
        assert!(Listen::parse(":::9000").is_all_interfaces());
        assert!(!Listen::parse("127.0.0.1:9000").is_all_interfaces());
        assert!(Listen::parse("127.0.0.1:9000").is_loopback());
        assert_eq!(
            Listen::parse("/run/php/www.sock"),
            Listen::Unix("/run/php/www.sock".into())
        );
        assert_eq!(parse_mode("0666"), 0o666);
        assert_eq!(parse_mode("660"), 0o660);
        assert_eq!(parse_mode("rw"), 0);
    }
}
