//! The TLS client configuration for `wss://`: rustls with the `ring` provider and the
//! platform's root certificates. Built explicitly (rather than through a process-wide default
//! provider) so nothing global is touched and the choice of crypto is visible in one place.

use std::sync::Arc;

use rustls::crypto::ring;
use rustls::{ClientConfig, RootCertStore};

/// A rustls configuration trusting the platform's roots, or a one-line reason it cannot be
/// made.
pub(crate) fn connector() -> Result<Arc<ClientConfig>, String> {
    let loaded = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(loaded.certs);
    if added == 0 {
        return Err(format!(
            "no usable platform root certificates for TLS ({} loading errors)",
            loaded.errors.len()
        ));
    }
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
