//! The OpenAPI 3 document at `GET /api/v1/openapi.json`, generated from the
//! handlers' `#[utoipa::path]` annotations and the wire types.

use crate::AppState;
use crate::error::{ConflictDetails, ErrorBody};
use crate::routes::{artists, bookings};
use axum::Json;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Production Tool API", description = "Booking and scheduling for creative studios. \
        Until authentication lands, the tenant (studio) is chosen with the `X-Tenant-Id` header; \
        without it, requests go to the demo studio."),
    components(schemas(ErrorBody, ConflictDetails)),
    tags((name = "artists", description = "The people a studio books"),
         (name = "bookings", description = "Holds, pencils and confirmed bookings"))
)]
struct ApiDoc;

/// Every documented route under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(artists::list, artists::create))
        .routes(routes!(artists::get, artists::update, artists::archive))
        .routes(routes!(artists::bookings))
        .routes(routes!(artists::availability))
        .routes(routes!(bookings::list, bookings::create))
        .routes(routes!(bookings::check))
        .routes(routes!(bookings::get, bookings::update, bookings::cancel))
        .routes(routes!(bookings::transition))
        .routes(routes!(bookings::events))
}

pub async fn serve(spec: Arc<utoipa::openapi::OpenApi>) -> Json<utoipa::openapi::OpenApi> {
    Json((*spec).clone())
}
