//! `rampart webhook …`: serve the validating admission webhook, print its deployment
//! manifests, create a development certificate authority. A thin shell over `rampart-webhook`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use rampart_webhook::manifests::{self, ManifestOptions};
use rampart_webhook::run::{self, ServeOptions};
use rampart_webhook::TlsFiles;

use crate::common::EXIT_OK;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Serve `POST /validate` (admission.k8s.io/v1 AdmissionReview) over HTTPS, plus
    /// `/healthz`, `/readyz` and `/metrics`. Stops cleanly on SIGTERM or SIGINT.
    Serve(ServeArgs),
    /// Print the Namespace, RBAC, ConfigMap, Deployment, PodDisruptionBudget, Service and
    /// ValidatingWebhookConfiguration that run the webhook.
    Manifests(ManifestArgs),
    /// Create a CA and a serving certificate for tests and development clusters.
    Certs(CertArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 0.0.0.0:8443.
    #[arg(long, value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Serving certificate chain (PEM); reloaded when the file changes.
    #[arg(long, value_name = "FILE")]
    pub tls_cert: PathBuf,
    /// Private key of the serving certificate (PEM).
    #[arg(long, value_name = "FILE")]
    pub tls_key: PathBuf,
    /// Require client certificates signed by this CA (kube-apiserver client authentication).
    #[arg(long, value_name = "FILE")]
    pub client_ca: Option<PathBuf>,
    /// PodSecurityConfiguration (defaults and exemptions); reloaded when it changes.
    #[arg(long, value_name = "FILE")]
    pub admission_config: Option<PathBuf>,
    /// Namespace (and Pod) objects to use instead of watching the cluster.
    #[arg(long, value_name = "FILE")]
    pub namespaces: Option<PathBuf>,
    /// Rampart rule actions and server limits; reloaded when it changes.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ManifestArgs {
    /// Namespace the webhook runs in (excluded from its own webhooks).
    #[arg(long, default_value = "rampart-system")]
    pub namespace: String,
    /// Container image of rampart.
    #[arg(long, default_value = "ghcr.io/rampart/rampart:latest")]
    pub image: String,
    /// PEM file of the CA that signed the serving certificate (the caBundle).
    #[arg(long, value_name = "FILE")]
    pub ca_bundle: Option<PathBuf>,
    /// Webhook timeoutSeconds (1-30).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub timeout_seconds: u32,
    /// Deployment replicas.
    #[arg(long, default_value_t = 2)]
    pub replicas: u32,
}

#[derive(Debug, clap::Args)]
pub struct CertArgs {
    /// Directory to write ca.crt, ca.key, tls.crt and tls.key into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// subjectAltNames of the serving certificate (repeatable; IP addresses allowed). Default:
    /// the Service names in --namespace, plus localhost and 127.0.0.1.
    #[arg(long = "dns", value_name = "NAME")]
    pub dns: Vec<String>,
    /// Namespace used for the default Service names.
    #[arg(long, default_value = "rampart-system")]
    pub namespace: String,
    /// Validity of the serving certificate in days.
    #[arg(long, default_value_t = 365)]
    pub days: i64,
}

pub fn run(cmd: Command) -> anyhow::Result<u8> {
    match cmd {
        Command::Serve(a) => serve(a),
        Command::Manifests(a) => manifests(&a),
        Command::Certs(a) => certs(&a),
    }
}

/// JSON log lines on stderr (one object per line: timestamp, level, message and the event's
/// fields flattened), filtered by `RUST_LOG` (default `info`). A second call is a no-op.
fn init_json_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn serve(a: ServeArgs) -> anyhow::Result<u8> {
    init_json_logs();
    let opts = ServeOptions {
        listen: a.listen,
        tls: TlsFiles {
            cert: a.tls_cert,
            key: a.tls_key,
            client_ca: a.client_ca,
        },
        admission_config: a.admission_config,
        namespaces: a.namespaces,
        config: a.config,
    };
    run::serve_blocking(&opts)?;
    Ok(EXIT_OK)
}

fn manifests(a: &ManifestArgs) -> anyhow::Result<u8> {
    let ca_bundle_pem = match &a.ca_bundle {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
        }
        None => String::new(),
    };
    if !ca_bundle_pem.is_empty() && !ca_bundle_pem.contains("-----BEGIN CERTIFICATE-----") {
        anyhow::bail!(
            "{}: not a PEM certificate",
            a.ca_bundle
                .as_deref()
                .unwrap_or_else(|| std::path::Path::new(""))
                .display()
        );
    }
    let text = manifests::render(&ManifestOptions {
        namespace: a.namespace.clone(),
        image: a.image.clone(),
        ca_bundle_pem,
        replicas: a.replicas,
        timeout_seconds: a.timeout_seconds,
    });
    print!("{text}");
    Ok(EXIT_OK)
}

fn certs(a: &CertArgs) -> anyhow::Result<u8> {
    let names = if a.dns.is_empty() {
        let mut n = rampart_webhook::certs::service_names(manifests::SERVICE, &a.namespace);
        n.push("localhost".into());
        n.push("127.0.0.1".into());
        n
    } else {
        a.dns.clone()
    };
    let b = rampart_webhook::certs::generate(&names, a.days)?;
    std::fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    for (file, text, secret) in [
        ("ca.crt", &b.ca_cert, false),
        ("ca.key", &b.ca_key, true),
        ("tls.crt", &b.cert, false),
        ("tls.key", &b.key, true),
    ] {
        let path = a.out.join(file);
        write_file(&path, text, secret).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "wrote ca.crt, ca.key, tls.crt, tls.key to {} (serving names: {})",
        a.out.display(),
        names.join(", ")
    );
    Ok(EXIT_OK)
}

/// Private keys are written readable by the owner only.
fn write_file(path: &std::path::Path, text: &str, secret: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    if secret {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        return f.write_all(text.as_bytes());
    }
    let _ = secret;
    std::fs::write(path, text)
}
