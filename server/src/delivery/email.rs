//! Email over SMTP (lettre): one message per notification that wants one,
//! with a plain-text and an HTML body from templates (`templates/`, HTML
//! auto-escaped by minijinja), and the delivery id as its `Message-ID` — the
//! idempotency key a receiver can deduplicate on.

use lettre::message::{Mailbox, MultiPart, header};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use minijinja::{Environment, context};
use pt_protocol::notification::Notification;

/// SMTP settings (`--smtp-url`, `--smtp-from`).
#[derive(Clone, Debug)]
pub struct SmtpConfig {
    /// `smtp://host:port` (plain, or STARTTLS with `?tls=required`),
    /// `smtps://host:port` (TLS), credentials as `user:password@`.
    pub url: String,
    /// The sender, e.g. `Production Tool <noreply@studio.example>`.
    pub from: String,
    /// The web app's address, for links to the booking (`None`: no links).
    pub public_url: Option<String>,
}

/// Sends emails; built once from [`SmtpConfig`].
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: Option<String>,
    templates: Environment<'static>,
}

/// Why an email was not sent, and whether trying again may help.
#[derive(Debug)]
pub struct SendError {
    pub message: String,
    /// The SMTP reply code, when the server answered.
    pub code: Option<u16>,
    pub permanent: bool,
}

impl Mailer {
    pub fn new(config: &SmtpConfig) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
            .map_err(|e| format!("--smtp-url: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = config.from.parse().map_err(|e| format!("--smtp-from: {e}"))?;
        let mut templates = Environment::new();
        templates
            .add_template("notification.txt", include_str!("templates/notification.txt"))
            .and_then(|()| templates.add_template("notification.html", include_str!("templates/notification.html")))
            .map_err(|e| format!("email templates: {e}"))?;
        Ok(Self { transport, from, public_url: config.public_url.clone(), templates })
    }

    /// The plain-text and HTML bodies for `n`.
    pub fn render(&self, n: &Notification, studio: &str) -> Result<(String, String), String> {
        let link = match (&self.public_url, n.booking_id) {
            (Some(base), Some(b)) => Some(format!("{}/#/board?booking={b}", base.trim_end_matches('/'))),
            _ => None,
        };
        let ctx = context! { title => &n.title, body => &n.body, link => link, studio => studio };
        let render = |name: &str| self.templates.get_template(name).and_then(|t| t.render(&ctx));
        let text = render("notification.txt").map_err(|e| e.to_string())?;
        let html = render("notification.html").map_err(|e| e.to_string())?;
        Ok((text, html))
    }

    /// The message for `n` to `to`, with `id` as its Message-ID.
    pub fn compose(&self, id: uuid::Uuid, n: &Notification, to: Mailbox, studio: &str) -> Result<Message, String> {
        let (text, html) = self.render(n, studio)?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&n.title)
            .message_id(Some(format!("<{id}@production-tool>")))
            .header(DeliveryHeader(id.to_string()))
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(|e| e.to_string())
    }

    pub async fn send(&self, message: Message) -> Result<Option<u16>, SendError> {
        match self.transport.send(message).await {
            Ok(resp) => Ok(Some(u16::from(resp.code()))),
            Err(e) => {
                Err(SendError { message: e.to_string(), code: e.status().map(u16::from), permanent: e.is_permanent() })
            }
        }
    }
}

/// `X-PT-Delivery`: the delivery id, as on webhook calls.
#[derive(Clone)]
struct DeliveryHeader(String);

impl header::Header for DeliveryHeader {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("X-PT-Delivery")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pt_protocol::notification::{NotificationId, NotificationKind};

    // The transport's connection pool lives on the Tokio runtime.
    #[tokio::test]
    async fn the_html_body_escapes_what_users_wrote() {
        let config = SmtpConfig {
            url: "smtp://127.0.0.1:2525".into(),
            from: "Production Tool <noreply@studio.example>".into(),
            public_url: Some("https://pt.example".into()),
        };
        let mailer = Mailer::new(&config).unwrap();
        let n = Notification {
            id: NotificationId::new(),
            user_id: pt_protocol::UserId::new(),
            kind: NotificationKind::BookingOffered,
            title: "New booking for you".into(),
            body: "“<script>alert(1)</script>” for Nova".into(),
            booking_id: Some(pt_protocol::BookingId::new()),
            artist_id: None,
            by: "user:x".into(),
            created_at: pt_protocol::Timestamp::now(),
            read_at: None,
            email: true,
        };
        let id = uuid::Uuid::now_v7();
        let to: Mailbox = "Aiko <aiko@studio.example>".parse().unwrap();
        let raw = String::from_utf8(mailer.compose(id, &n, to, "Northlight").unwrap().formatted()).unwrap();
        assert!(raw.contains(&format!("Message-ID: <{id}@production-tool>")), "{raw}");
        assert!(raw.contains(&format!("X-PT-Delivery: {id}")), "{raw}");
        let (text, html) = mailer.render(&n, "Northlight").unwrap();
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"), "escaped in HTML: {html}");
        assert!(text.contains("<script>"), "the plain text is as written: {text}");
        assert!(text.contains("https://pt.example/#/board?booking="), "{text}");
    }
}
