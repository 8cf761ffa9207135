//! The OpenAPI 3 document at `GET /api/v1/openapi.json`, generated from the
//! handlers' `#[utoipa::path]` annotations and the wire types.

use crate::AppState;
use crate::error::{ConflictDetails, ErrorBody};
use crate::routes::{artists, auth, bookings, studio};
use axum::Json;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Production Tool API", description = "Booking and scheduling for creative studios. \
        Every route but sign-up, login, refresh and invitation acceptance needs \
        `Authorization: Bearer <token>`: an access token from `/auth/login`, an API token (`pt_…`) \
        or a configured OIDC provider's JWT. The token picks the studio and the role; a missing \
        permission is 403 `forbidden` naming it, and another studio's ids are 404. Realtime: one WebSocket at `/api/v1/ws` with \
        binary MessagePack frames (see docs/protocol.md). Every route may answer 429 `rate_limited` \
        with `Retry-After`."),
    components(schemas(ErrorBody, ConflictDetails)),
    tags((name = "auth", description = "Sign-up, login, sessions and invitations"),
         (name = "studio", description = "Your studio: settings, members, API tokens"),
         (name = "artists", description = "The people a studio books"),
         (name = "bookings", description = "Holds, pencils and confirmed bookings"))
)]
struct ApiDoc;

/// Every documented route under `/api/v1`.
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
        .routes(routes!(studio::update_member))
        .routes(routes!(studio::invite))
        .routes(routes!(studio::create_api_token, studio::api_tokens))
        .routes(routes!(studio::revoke_api_token))
        .routes(routes!(artists::list, artists::create))
        .routes(routes!(artists::get, artists::update, artists::archive))
        .routes(routes!(artists::bookings))
        .routes(routes!(artists::availability))
        .routes(routes!(bookings::list, bookings::create))
        .routes(routes!(bookings::check))
        .routes(routes!(bookings::get, bookings::update, bookings::cancel))
        .routes(routes!(bookings::transition))
        .routes(routes!(bookings::respond))
        .routes(routes!(bookings::events))
}

/// Adds what every route may answer but no handler declares: `429 rate_limited`
/// (the edge rate limiter runs before any handler).
pub fn with_common_responses(mut spec: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, header::HeaderBuilder};
    let limited = ResponseBuilder::new()
        .description("Too many requests from this client (`rate_limited`); retry after `Retry-After` seconds.")
        .header("Retry-After", HeaderBuilder::new().description(Some("Seconds to wait before retrying.")).build())
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
        .build();
    for item in spec.paths.paths.values_mut() {
        for op in
            [&mut item.get, &mut item.post, &mut item.patch, &mut item.delete, &mut item.put].into_iter().flatten()
        {
            op.responses.responses.entry("429".into()).or_insert_with(|| limited.clone().into());
        }
    }
    spec
}

pub async fn serve(spec: Arc<utoipa::openapi::OpenApi>) -> Json<utoipa::openapi::OpenApi> {
    Json((*spec).clone())
}
