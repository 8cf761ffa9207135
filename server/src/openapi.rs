//! The OpenAPI 3.1 document at `GET /api/v1/openapi.json`: the contract of the
//! REST API, checked against the live server by `scripts/schemathesis.sh`.
//!
//! Handlers declare their own successes and the errors only they give
//! (`#[utoipa::path]` in `routes/`). What every operation of a kind may answer
//! is added here once, by [`finish`], from what the layers around a handler do:
//! * the bearer extractors ([`crate::extract::Auth`], [`crate::extract::Caller`])
//!   answer `401` (with `WWW-Authenticate: Bearer`), and a role without the
//!   permission `403` — so every operation but [`PUBLIC`] gets the `bearer`
//!   security requirement and those two answers;
//! * the input extractors ([`crate::extract`]) answer `400` for a bad path,
//!   query or body, and for a JSON body also `413` (too large) and `415`
//!   (not `application/json`);
//! * an `Idempotency-Key` reused for another request is `422`;
//! * the edge limiter ([`crate::edge`]) answers `429` with `Retry-After`;
//! * an unreachable store or a full write-behind buffer is `503` with
//!   `Retry-After`, and a bug `500`.

use crate::AppState;
use crate::error::{ConflictDetails, ErrorBody, UnavailableDetails};
use crate::routes::{
    artists, auth, bookings, feeds, job_alerts, job_board, jobs, milestones, notifications, phases, profiles, projects,
    reports, studio, time_off, transfer, webhooks,
};
use axum::Json;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, header::HeaderBuilder, server::Server};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where the documented paths live; also the document's `servers` entry
/// (relative, so it holds behind any host or proxy).
pub const BASE_PATH: &str = "/api/v1";

/// The name of the security scheme every protected operation requires.
pub const BEARER: &str = "bearer";

/// Operations that take no bearer token: they are how one gets a token.
pub const PUBLIC: [&str; 5] = ["signUp", "logIn", "refreshSession", "acceptInvitation", "getCalendarFeed"];

/// Protected operations no role is refused: any valid token may call them.
const NO_PERMISSION: [&str; 3] = ["getCurrentUser", "logOut", "getStudio"];

#[derive(OpenApi)]
#[openapi(
    info(title = "Production Tool API", description = "Booking and scheduling for creative studios. \
        Every operation but sign-up, login, refresh and invitation acceptance needs \
        `Authorization: Bearer <token>`: an access token from `/auth/login`, an API token (`pt_…`) \
        or a configured OIDC provider's JWT. The token picks the studio and the role; a missing \
        permission is 403 `forbidden` naming it, and another studio's ids are 404. Errors share one \
        body, `ErrorBody`, whose `code` is stable. Realtime: one WebSocket at `/api/v1/ws` with \
        binary MessagePack frames (see docs/protocol.md). Every operation may answer 429 \
        `rate_limited` with `Retry-After`."),
    components(schemas(ErrorBody, ConflictDetails, UnavailableDetails, crate::transfer::report::ImportReport)),
    tags((name = "auth", description = "Sign-up, login, sessions and invitations"),
         (name = "studio", description = "Your studio: settings, members, invitations, API tokens, calendar feeds"),
         (name = "artists", description = "The people a studio books"),
         (name = "bookings", description = "Holds, pencils and confirmed bookings"),
         (name = "projects", description = "Projects, their phases, dependencies and milestones; schedules and allocation. \
            Dates are `YYYY-MM-DD`; every range is half-open: `endDate` is the first day after it."),
         (name = "notifications", description = "My notifications: what I was told about changes that concern me"),
         (name = "webhooks", description = "Signed calls to the studio's own URLs for its events (owners)"),
         (name = "reports", description = "Utilization and allocation, computed from memory; JSON or CSV"))
)]
struct ApiDoc;

/// Every documented route under [`BASE_PATH`].
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::signup))
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::accept_invitation))
        .routes(routes!(auth::me))
        .routes(routes!(studio::get, studio::update))
        .routes(routes!(studio::members))
        .routes(routes!(studio::update_member, studio::remove_member))
        .routes(routes!(studio::invite, studio::invitations))
        .routes(routes!(studio::revoke_invitation))
        .routes(routes!(feeds::create, feeds::list))
        .routes(routes!(feeds::revoke))
        .routes(routes!(feeds::get))
        .routes(routes!(studio::create_api_token, studio::api_tokens))
        .routes(routes!(studio::revoke_api_token))
        .routes(routes!(artists::list, artists::create))
        .routes(routes!(artists::get, artists::update, artists::archive))
        .routes(routes!(artists::bookings))
        .routes(routes!(artists::availability))
        .routes(routes!(profiles::search))
        .routes(routes!(profiles::get, profiles::update))
        .routes(routes!(time_off::request))
        .routes(routes!(time_off::list))
        .routes(routes!(time_off::decide))
        .routes(routes!(time_off::cancel))
        .routes(routes!(bookings::list, bookings::create))
        .routes(routes!(bookings::check))
        .routes(routes!(bookings::get, bookings::update, bookings::cancel))
        .routes(routes!(bookings::transition))
        .routes(routes!(bookings::respond))
        .routes(routes!(bookings::challenge))
        .routes(routes!(bookings::events))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::read))
        .routes(routes!(notifications::read_all))
        .routes(routes!(notifications::preferences, notifications::update_preferences))
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::delete))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::redeliver))
        .routes(routes!(jobs::list, jobs::create))
        .routes(routes!(job_board::board))
        .routes(routes!(job_board::saved))
        .routes(routes!(jobs::get, jobs::update, jobs::delete))
        .routes(routes!(jobs::apply))
        .routes(routes!(job_board::save, job_board::unsave))
        .routes(routes!(job_board::candidates))
        .routes(routes!(job_board::invite))
        .routes(routes!(job_board::applications))
        .routes(routes!(jobs::transition))
        .routes(routes!(job_alerts::get, job_alerts::set))
        .routes(routes!(projects::list, projects::create))
        .routes(routes!(projects::get, projects::update, projects::archive))
        .routes(routes!(projects::bookings))
        .routes(routes!(projects::schedule))
        .routes(routes!(phases::list, phases::create))
        .routes(routes!(phases::update, phases::delete))
        .routes(routes!(phases::preview))
        .routes(routes!(phases::add_dependency))
        .routes(routes!(phases::remove_dependency))
        .routes(routes!(milestones::list, milestones::create))
        .routes(routes!(milestones::update, milestones::delete))
        .routes(routes!(reports::allocation))
        .routes(routes!(reports::utilization))
        // CSV import (issue 15; the export is the list routes with Accept: text/csv).
        .routes(routes!(transfer::import_artists))
        .routes(routes!(transfer::import_bookings))
}

/// Completes the generated document: `servers`, the bearer scheme, and on
/// each operation its security and the answers the layers around its handler
/// give (see the module header). A status a handler declared keeps the
/// handler's description.
pub fn finish(mut spec: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    spec.servers = Some(vec![Server::new(BASE_PATH)]);
    let bearer = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some(
            "An access token from `POST /auth/login` (or sign-up, refresh, invitation acceptance), \
             an API token `pt_…`, or a configured OIDC provider's JWT.",
        ))
        .build();
    spec.components.get_or_insert_with(Default::default).add_security_scheme(BEARER, SecurityScheme::Http(bearer));
    for item in spec.paths.paths.values_mut() {
        for op in
            [&mut item.get, &mut item.post, &mut item.patch, &mut item.delete, &mut item.put].into_iter().flatten()
        {
            complete(op);
        }
    }
    spec
}

fn complete(op: &mut Operation) {
    let id = op.operation_id.clone().unwrap_or_default();
    let params = op.parameters.iter().flatten().filter_map(|p| match p {
        RefOr::T(p) => Some(p),
        RefOr::Ref(_) => None,
    });
    let has_input = op.request_body.is_some() || params.clone().any(|p| p.parameter_in != ParameterIn::Header);
    let idempotent = params.clone().any(|p| p.name.eq_ignore_ascii_case(crate::extract::IDEMPOTENCY_HEADER));
    let mut add = |status: &str, description: &str| {
        op.responses.responses.entry(status.into()).or_insert_with(|| error_response(status, description).into());
    };
    if has_input || idempotent {
        add(
            "400",
            "`invalid`: a malformed or out-of-range path, query, header or body; `details.fields` names each field and why.",
        );
    }
    if op.request_body.is_some() {
        add("413", "`payload_too_large`: the body is larger than the server accepts.");
        add("415", "`invalid`: the body is not `Content-Type: application/json`.");
    }
    if idempotent {
        add("422", "`idempotency_key_reused`: this `Idempotency-Key` was used for a different request.");
    }
    if !PUBLIC.contains(&id.as_str()) {
        op.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
        add("401", "`unauthenticated`: no token, or a malformed, expired or revoked one; `details.reason` says which.");
        if !NO_PERMISSION.contains(&id.as_str()) {
            add("403", "`forbidden`: the token's role lacks a permission; `details.missing` names it.");
        }
    }
    add("429", "`rate_limited`: too many requests from this client; retry after `Retry-After` seconds.");
    add("500", "`internal`: a bug; the details are in the server log.");
    add(
        "503",
        "`unavailable` (the store is unreachable) or `overloaded` (writes are backing up); retry after `Retry-After` seconds.",
    );
    // A status a handler declared itself still gets the headers the server sets on it.
    for (status, res) in op.responses.responses.iter_mut() {
        if let RefOr::T(res) = res {
            for (name, header) in error_response(status, "").headers {
                res.headers.entry(name).or_insert(header);
            }
        }
    }
}

/// An error answer: the [`ErrorBody`] envelope, and the headers the server
/// sets on that status ([`crate::error::ApiError`]'s `into_response`).
fn error_response(status: &str, description: &str) -> utoipa::openapi::Response {
    let integer = utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .minimum(Some(1));
    let mut res = ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build());
    match status {
        "429" | "503" => {
            let retry =
                HeaderBuilder::new().schema(Some(integer)).description(Some("Seconds to wait before retrying."));
            res = res.header("Retry-After", retry.build());
        }
        "401" => {
            let challenge = HeaderBuilder::new().description(Some("`Bearer`: send a bearer token."));
            res = res.header("WWW-Authenticate", challenge.build());
        }
        _ => {}
    }
    res.build()
}

pub async fn serve(spec: Arc<utoipa::openapi::OpenApi>) -> Json<utoipa::openapi::OpenApi> {
    Json((*spec).clone())
}
