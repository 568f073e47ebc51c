//! `GET /api/health`: the health of every service of the deployment.

use crate::PortalState;
use actix_web::web;
use mrdp_globus::health::probe;
use mrdp_service::health::HealthProbe;
use mrdp_shared::{HealthReport, ServiceName};

/// Probes the portal's own store and every upstream service concurrently.
pub(crate) async fn get_health(
    state: web::Data<PortalState>,
    own: web::Data<HealthProbe>,
) -> web::Json<HealthReport> {
    let upstreams = &state.upstreams;
    let (portal, idp, transfer, data, graph) = tokio::join!(
        own.check(),
        probe(&state.http, ServiceName::Idp, &upstreams.idp),
        probe(&state.http, ServiceName::Transfer, &upstreams.transfer),
        probe(&state.http, ServiceName::Data, &upstreams.data),
        probe(&state.http, ServiceName::Graph, &upstreams.graph),
    );
    web::Json(HealthReport::from_services(vec![
        portal, idp, transfer, data, graph,
    ]))
}
