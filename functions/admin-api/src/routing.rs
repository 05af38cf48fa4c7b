//! The machinery behind the one route declaration in `lib.rs`: the builder
//! that gives each route its required role (checked before the handler runs
//! and written into the OpenAPI document as `x-pulse-role`), the extractors
//! handlers take, and the way errors become the JSON errors of every Pulse
//! function (`{error, message, request_id[, field]}`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Extensions, Method, Uri};
use axum::middleware::Next;
use axum::response::IntoResponse;
use lambda_http::aws_lambda_events::query_map::QueryMap;
use lambda_http::request::RequestContext;
use lambda_http::{Body, RequestExt, Response};
use pulse_shared::domain::access::Role;
use pulse_shared::{http as web, App, Error};
use serde::de::DeserializeOwned;
use utoipa::openapi::extensions::Extensions as DocExtensions;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{OpenApi, Ref, RefOr};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter, UtoipaMethodRouterExt};

/// The OpenAPI extension naming the role an operation requires.
pub const ROLE_EXTENSION: &str = "x-pulse-role";

/// What a handler returns: a response, or an error [`crate::handle`] turns
/// into the JSON error response carrying the request id.
pub type Reply = Result<Response<Body>, Failure>;

/// An error on its way out of a handler or an extractor (`?` converts a
/// [`pulse_shared::Error`] into one).
#[derive(Debug)]
pub struct Failure(pub Error);

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure(e)
    }
}

/// The error a response stands for, kept in its extensions until
/// [`crate::handle`] writes it with the request id.
#[derive(Debug, Clone)]
pub(crate) struct Failed(pub Arc<Error>);

impl IntoResponse for Failure {
    fn into_response(self) -> axum::response::Response {
        let mut r = axum::response::Response::new(axum::body::Body::empty());
        r.extensions_mut().insert(Failed(Arc::new(self.0)));
        r
    }
}

/// The id of the invocation, put in each request by [`crate::handle`].
#[derive(Debug, Clone)]
pub(crate) struct RequestId(pub String);

/// The caller's role (none: the caller may use no route), put in each
/// request by [`crate::handle`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller(pub Option<Role>);

/// Who is calling, from API Gateway's authorizer context: an IAM-signed
/// request (a machine caller; the local stack's API key stands for it) acts
/// as admin; a signed-in user (JWT authorizer) has the strongest role among
/// their `cognito:groups`; anything else has no role.
pub(crate) fn caller_role(extensions: &Extensions) -> Option<Role> {
    let Some(RequestContext::ApiGatewayV2(context)) = extensions.request_context_ref() else {
        return None;
    };
    let authorizer = context.authorizer.as_ref()?;
    if authorizer.iam.is_some() {
        return Some(Role::Admin);
    }
    let groups = authorizer.jwt.as_ref()?.claims.get("cognito:groups")?;
    // API Gateway flattens a list claim to "[a b]"; a single group is "a".
    Role::strongest(groups.trim_matches(['[', ']']).split([' ', ',']).filter(|g| !g.is_empty()))
}

/// The path the router matches: `/admin/` and the `proxy` path parameter
/// API Gateway filled (decoded; each segment encoded again so that a segment
/// such as an email survives intact), or the request's own path when there is
/// no such parameter. Empty segments are dropped (`/admin/projects/` is
/// `/admin/projects`).
pub(crate) fn routed_uri(extensions: &Extensions, uri: &Uri) -> Uri {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'/')
        .add(b'%');
    let proxy = extensions.path_parameters_ref().and_then(|p| p.first("proxy"));
    let segments: Vec<String> = match proxy {
        Some(proxy) => std::iter::once("admin".to_string())
            .chain(proxy.split('/').filter(|s| !s.is_empty()).map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()))
            .collect(),
        None => uri.path().split('/').filter(|s| !s.is_empty()).map(str::to_string).collect(),
    };
    let path = format!("/{}", segments.join("/"));
    let path_and_query = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    path_and_query.parse().unwrap_or_else(|_| Uri::from_static("/"))
}

/// The [`App`] a handler works with: `Ctx(ref app): Ctx` binds `app` to the
/// process's `Arc<App>` (used as `&App`).
pub struct Ctx(pub Arc<App>);

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Failure> {
        Ok(Ctx(parts.extensions.get::<Arc<App>>().cloned().expect("handle() puts the App in every request")))
    }
}

/// The path parameters of the route, percent-decoded (`Path(ref id): Path<String>`,
/// `Path((ref id, ref sub)): Path<(String, String)>`).
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(e) => Err(Failure(Error::bad_request(e.body_text()))),
        }
    }
}

/// The query string parameters as API Gateway parsed them (`first` of a
/// repeated one is its first value).
pub struct Query(pub QueryMap);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Failure> {
        Ok(Query(parts.query_string_parameters()))
    }
}

/// A JSON body parsed into `T`: more than [`web::MAX_BODY_BYTES`] is a 413,
/// anything else wrong a 400 naming the field (as [`web::parse_json`]).
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| Failure(Error::bad_request(e.body_text())))?;
        Ok(Json(web::parse_json(checked(&bytes)?)?))
    }
}

/// The body, refused over [`web::MAX_BODY_BYTES`] (as [`web::body_bytes`]).
pub fn checked(bytes: &[u8]) -> Result<&[u8], Error> {
    if bytes.len() > web::MAX_BODY_BYTES {
        return Err(Error::PayloadTooLarge { size: bytes.len(), limit: web::MAX_BODY_BYTES });
    }
    Ok(bytes)
}

/// A route as declared: method, path template and the role it requires.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Declared {
    pub method: String,
    pub path: String,
    pub role: Role,
}

/// The routes being declared, each with the role it requires.
pub struct Routes {
    router: OpenApiRouter,
    declared: Vec<Declared>,
}

/// The routes declared, ready to serve.
pub struct Api {
    /// Dispatches a request (after [`routed_uri`]) to its handler.
    pub router: axum::Router,
    /// The OpenAPI document (JSON) of exactly these routes.
    pub document: String,
    /// Every route as declared (the order of the declaration).
    pub declared: Vec<Declared>,
}

impl Routes {
    /// No routes yet; `doc` holds what the document says besides its paths.
    pub fn new(doc: OpenApi) -> Self {
        Routes { router: OpenApiRouter::with_openapi(doc), declared: Vec::new() }
    }

    /// Routes (one path, from `routes!`) any caller with a role may use: reads.
    pub fn viewer(self, routes: UtoipaMethodRouter) -> Self {
        self.add(Role::Viewer, routes)
    }

    /// Routes that change projects, contacts, distributions and reports.
    pub fn editor(self, routes: UtoipaMethodRouter) -> Self {
        self.add(Role::Editor, routes)
    }

    /// Routes that manage plans and accounts or send test email.
    pub fn admin(self, routes: UtoipaMethodRouter) -> Self {
        self.add(Role::Admin, routes)
    }

    fn add(mut self, role: Role, routes: UtoipaMethodRouter) -> Self {
        let (schemas, mut paths, method_router) = routes;
        // `routes!` serves every handler it is given on every path it names.
        assert_eq!(paths.paths.len(), 1, "one path per routes!(…): {:?}", paths.paths.keys().collect::<Vec<_>>());
        for (path, item) in paths.paths.iter_mut() {
            for (method, op) in operations(item) {
                let mut ext = DocExtensions::default();
                ext.insert(ROLE_EXTENSION.to_string(), role.as_str().into());
                op.extensions.get_or_insert_with(DocExtensions::default).merge(ext);
                op.operation_id = Some(operation_id(method, path));
                op.responses.responses.insert("403".to_string(), RefOr::Ref(Ref::from_response_name("Forbidden")));
                op.responses.responses.insert("default".to_string(), RefOr::Ref(Ref::from_response_name("Error")));
                self.declared.push(Declared { method: method.to_string(), path: path.clone(), role });
            }
        }
        let template: Arc<str> = paths.paths.keys().next().map(String::as_str).unwrap_or_default().into();
        let method_router = (schemas, paths, method_router)
            .map(|m| m.route_layer(axum::middleware::from_fn(move |req: Request, next: Next| require(role, template.clone(), req, next))));
        self.router = self.router.routes(method_router);
        self
    }

    /// The router (unknown routes: 404, a known path with another method:
    /// 405 naming the allowed ones) and its document.
    pub fn finish(self) -> Api {
        let (router, doc) = self.router.split_for_parts();
        let router = router
            .method_not_allowed_fallback(|method: Method, uri: Uri| async move {
                // `allowed` is filled from the Allow header in `crate::handle`
                Failure(Error::MethodNotAllowed { method: method.to_string(), path: uri.path().to_string(), allowed: String::new() })
            })
            .fallback(|method: Method, uri: Uri| async move { Failure(Error::not_found(format!("route {method} {}", uri.path()))) })
            // the whole body is in the Lambda event already; routes set their own limits
            .layer(DefaultBodyLimit::disable());
        let document = doc.to_pretty_json().expect("the OpenAPI document serialises");
        Api { router, document, declared: self.declared }
    }
}

/// The operations of a path item with their methods (upper case).
fn operations(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("GET", item.get.as_mut()),
        ("PUT", item.put.as_mut()),
        ("POST", item.post.as_mut()),
        ("DELETE", item.delete.as_mut()),
        ("OPTIONS", item.options.as_mut()),
        ("HEAD", item.head.as_mut()),
        ("PATCH", item.patch.as_mut()),
        ("TRACE", item.trace.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
}

/// A unique operation id from method and path: `GET /admin/projects/{id}`
/// is `get_projects_id`.
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> =
        path.trim_start_matches("/admin").split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    format!("{}_{}", method.to_lowercase(), words.join("_"))
}

/// The template of the route that answered (`/admin/projects/{id}`), put
/// in its response's extensions: what a kept error names instead of the
/// raw path.
#[derive(Debug, Clone)]
pub(crate) struct RouteTemplate(pub String);

/// Runs the route's handler only for a caller whose role allows `required`;
/// others get 403 `{error: "forbidden", message, request_id}`.
async fn require(required: Role, template: Arc<str>, req: Request, next: Next) -> axum::response::Response {
    let caller = req.extensions().get::<Caller>().and_then(|c| c.0);
    if caller.is_some_and(|r| r.allows(required)) {
        let mut response = next.run(req).await;
        response.extensions_mut().insert(RouteTemplate(template.to_string()));
        return response;
    }
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_else(|| "unknown".to_string());
    let message = match caller {
        Some(r) => format!("{} {} needs the {} role; the caller is {}", req.method(), req.uri().path(), required.as_str(), r.as_str()),
        None => format!("{} {} needs the {} role; the caller has none", req.method(), req.uri().path(), required.as_str()),
    };
    tracing::info!(request_id, message = %pulse_shared::domain::mail::mask_addresses(&message), "request refused");
    let body = serde_json::json!({ "error": "forbidden", "message": message, "request_id": request_id });
    (axum::http::StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// The router's response as the Lambda response: an error (see [`Failure`])
/// written with the request id, any other body as text (or binary when it is
/// not UTF-8).
pub(crate) async fn into_lambda(response: axum::response::Response, request_id: &str) -> Response<Body> {
    if let Some(Failed(err)) = response.extensions().get::<Failed>() {
        if let Error::MethodNotAllowed { method, path, .. } = err.as_ref() {
            let allow = response.headers().get(header::ALLOW).and_then(|v| v.to_str().ok()).unwrap_or_default();
            let allowed: Vec<&str> = allow.split(',').map(str::trim).filter(|m| !m.is_empty() && *m != "HEAD").collect();
            let err = Error::MethodNotAllowed { method: method.clone(), path: path.clone(), allowed: allowed.join(", ") };
            let mut r = web::error_response(&err, request_id);
            if let Ok(v) = header::HeaderValue::from_str(&allowed.join(", ")) {
                r.headers_mut().insert(header::ALLOW, v);
            }
            return r;
        }
        return web::error_response(err, request_id);
    }
    let (parts, body) = response.into_parts();
    let bytes = match http_body_util::BodyExt::collect(body).await {
        Ok(c) => c.to_bytes(),
        Err(e) => {
            let err = Error::Aws { operation: "admin-api response", source: e.into() };
            return web::error_response(&err, request_id);
        }
    };
    let body = if bytes.is_empty() {
        Body::Empty
    } else {
        match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Body::Text(text),
            Err(e) => Body::Binary(e.into_bytes()),
        }
    };
    Response::from_parts(parts, body)
}
