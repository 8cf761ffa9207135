//! The delivery task's command-line flags (flattened into `pt-server --help`).

use super::backoff::Backoff;
use super::email::{Mailer, SmtpConfig};
use super::webhook::WebhookSender;
use std::time::Duration;

#[derive(clap::Args, Debug, Clone)]
pub struct DeliveryArgs {
    /// Send notification emails through this SMTP server: smtp://host:port
    /// (STARTTLS with ?tls=required), smtps://host:port (TLS), credentials as
    /// smtp://user:password@host. Without it, email is off.
    #[arg(long, env = "PT_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of notification emails.
    #[arg(long, env = "PT_SMTP_FROM", default_value = "Production Tool <noreply@localhost>")]
    pub smtp_from: String,

    /// This server's address as users open it (for links in emails), e.g.
    /// https://pt.studio.example.
    #[arg(long, env = "PT_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Let webhooks call private, loopback and link-local addresses (a
    /// receiver on the same network, tests). Off: such targets are refused.
    #[arg(long, env = "PT_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,

    /// How long a webhook call may take, in seconds.
    #[arg(long, env = "PT_WEBHOOK_TIMEOUT_SECS", default_value_t = 10)]
    pub webhook_timeout_secs: u64,

    /// The first retry of a failed delivery waits this long (milliseconds);
    /// each later one about twice as long, plus jitter, up to an hour.
    #[arg(long, env = "PT_DELIVERY_RETRY_BASE_MS", default_value_t = 10_000)]
    pub delivery_retry_base_ms: u64,

    /// Tries per delivery before it is dead (a dead webhook delivery can be
    /// sent again from its subscription's delivery log).
    #[arg(long, env = "PT_DELIVERY_MAX_ATTEMPTS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=50))]
    pub delivery_max_attempts: u32,

    /// How often the outbox is looked at, in milliseconds.
    #[arg(long, env = "PT_DELIVERY_TICK_MS", default_value_t = 1_000)]
    pub delivery_tick_ms: u64,
}

impl DeliveryArgs {
    /// The mailer (`None`: email off); an unusable --smtp-url or --smtp-from is an error.
    pub fn mailer(&self) -> Result<Option<Mailer>, String> {
        let Some(url) = &self.smtp_url else { return Ok(None) };
        let config = SmtpConfig { url: url.clone(), from: self.smtp_from.clone(), public_url: self.public_url.clone() };
        Mailer::new(&config).map(Some)
    }

    pub fn webhooks(&self) -> WebhookSender {
        WebhookSender {
            allow_private: self.webhook_allow_private,
            timeout: Duration::from_secs(self.webhook_timeout_secs.max(1)),
        }
    }

    pub fn backoff(&self) -> Backoff {
        Backoff {
            base: Duration::from_millis(self.delivery_retry_base_ms.max(1)),
            cap: Duration::from_secs(3_600),
            max_attempts: self.delivery_max_attempts,
        }
    }

    pub fn tick(&self) -> Duration {
        Duration::from_millis(self.delivery_tick_ms.clamp(10, 60_000))
    }
}
