//! Plan and account routes: plans with their monthly budgets, accounts on a
//! plan, plan changes (at once) and the budget view.

use pulse_shared::domain::budget::{
    billing_month, check_reserve, view as budget_view, Account, AccountRequest, BudgetError, PlanRequest, Usage,
};
use pulse_shared::domain::links::new_id;
#[allow(unused_imports)]
use pulse_shared::ports::*;
use pulse_shared::{http as web, App, Error};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::routing::{Ctx, Json, Path, Reply};

fn budget_error(e: BudgetError) -> Error {
    Error::bad_field(e.field, e.to_string())
}

/// The plan named `name`, or a 400 naming it and the plans there are.
async fn known_plan(app: &App, field: &str, name: &str) -> Result<pulse_shared::domain::budget::Plan, Error> {
    match app.aws.get_plan(name).await? {
        Some(p) => Ok(p),
        None => {
            let known: Vec<String> = app.aws.list_plans().await?.into_iter().map(|p| p.name).collect();
            Err(Error::bad_field(field, format!("{field}: unknown plan {name:?}; the plans are {}", known.join(", "))))
        }
    }
}

/// Create a plan with its monthly survey budget and optional lifetime cap.
#[utoipa::path(post, path = "/admin/plans", tag = "plans",
    request_body(content = Object, description = "{name, monthly_budget, lifetime_cap?}"),
    responses((status = 201, description = "The plan"), (status = 409, description = "A plan of that name exists")))]
pub async fn create_plan(Ctx(ref app): Ctx, Json(body): Json<PlanRequest>) -> Reply {
    let plan = body.check().map_err(budget_error)?;
    app.aws.create_plan(&plan, &app.clock.now()).await?;
    tracing::info!(plan = %plan.name, monthly_budget = plan.monthly_budget, "plan created");
    Ok(web::json(201, &plan))
}

/// Every plan, the built-in Starter plan (50 a month, 20,000 for life) first.
#[utoipa::path(get, path = "/admin/plans", tag = "plans", responses((status = 200, description = "{plans}")))]
pub async fn list_plans(Ctx(ref app): Ctx) -> Reply {
    Ok(web::json(200, &json!({ "plans": app.aws.list_plans().await? })))
}

async fn load(app: &App, id: &str) -> Result<Account, Error> {
    app.aws.get_account(id).await?.ok_or_else(|| Error::not_found(format!("account {id}")))
}

fn account_view(app: &App, a: &Account) -> serde_json::Value {
    json!({
        "id": a.id,
        "name": a.name,
        "plan": a.plan,
        "monthly_budget": a.monthly_budget,
        "lifetime_cap": a.lifetime_cap,
        "invitation_reserve": a.invitation_reserve,
        "time_zone": a.time_zone,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "budget": budget_view(a, app.clock.now_ms()),
    })
}

/// Create an account on a plan; projects name it in settings.account_id to count against its budget.
///
/// The plan is Starter unless named.
#[utoipa::path(post, path = "/admin/accounts", tag = "accounts",
    request_body(content = Object, description = "{name, plan?, time_zone?}"),
    responses((status = 201, description = "The account with its budget view")))]
pub async fn create(Ctx(ref app): Ctx, Json(body): Json<AccountRequest>) -> Reply {
    body.check().map_err(budget_error)?;
    let plan = known_plan(app, "plan", &body.plan).await?;
    let now_ms = app.clock.now_ms();
    let now = pulse_shared::clock::from_ms(now_ms);
    let account = Account {
        id: new_id(),
        name: body.name,
        plan: plan.name,
        monthly_budget: plan.monthly_budget,
        lifetime_cap: plan.lifetime_cap,
        invitation_reserve: 0,
        link_budget: None,
        usage: Usage { month: billing_month(now_ms, &body.time_zone), ..Default::default() },
        time_zone: body.time_zone,
        created_at: now.clone(),
        updated_at: now,
    };
    app.aws.create_account(&account).await?;
    tracing::info!(account_id = %account.id, plan = %account.plan, "account created");
    Ok(web::json(201, &account_view(app, &account)))
}

/// Every account.
#[utoipa::path(get, path = "/admin/accounts", tag = "accounts", responses((status = 200, description = "{accounts}")))]
pub async fn list(Ctx(ref app): Ctx) -> Reply {
    Ok(web::json(200, &json!({ "accounts": app.aws.list_accounts().await? })))
}

/// An account with its budget view.
#[utoipa::path(get, path = "/admin/accounts/{id}", tag = "accounts", params(("id" = String, Path, description = "The account")), responses((status = 200, description = "The account")))]
pub async fn get(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    let a = load(app, id).await?;
    Ok(web::json(200, &account_view(app, &a)))
}

/// The budget view: the billing month's budget, used, remaining, refused, last sync and last accepted record.
#[utoipa::path(get, path = "/admin/accounts/{id}/budget", tag = "accounts", params(("id" = String, Path, description = "The account")), responses((status = 200, description = "The budget view")))]
pub async fn budget(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    let a = load(app, id).await?;
    Ok(web::json(200, &budget_view(&a, app.clock.now_ms())))
}

/// Body of `PUT /admin/accounts/{id}/plan`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangePlan {
    /// The new plan's name.
    plan: String,
}

/// Upgrade or downgrade: the new plan applies to the current month's remaining budget at once.
#[utoipa::path(put, path = "/admin/accounts/{id}/plan", tag = "accounts", params(("id" = String, Path, description = "The account")), request_body = ChangePlan,
    responses((status = 200, description = "The account with its budget view")))]
pub async fn change_plan(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<ChangePlan>) -> Reply {
    let plan = known_plan(app, "plan", &body.plan).await?;
    if !app.aws.change_plan(id, &plan, &app.clock.now()).await? {
        return Err(Error::not_found(format!("account {id}")).into());
    }
    tracing::info!(account_id = id, plan = %plan.name, "plan changed");
    let a = load(app, id).await?;
    Ok(web::json(200, &account_view(app, &a)))
}

/// Body of `PUT /admin/accounts/{id}/reserve`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reserve {
    /// Records of each month kept for invitations and reminders (0 to the monthly budget): anonymous and minted links may use the rest.
    invitation_reserve: i64,
}

/// Reserve part of each month's budget for invitations, so that responses through links cannot use it all.
#[utoipa::path(put, path = "/admin/accounts/{id}/reserve", tag = "accounts", params(("id" = String, Path, description = "The account")), request_body = Reserve,
    responses((status = 200, description = "The account with its budget view")))]
pub async fn set_reserve(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<Reserve>) -> Reply {
    let a = load(app, id).await?;
    let reserve = check_reserve(body.invitation_reserve, a.monthly_budget).map_err(budget_error)?;
    if !app.aws.set_reserve(id, reserve, &app.clock.now()).await? {
        return Err(Error::not_found(format!("account {id}")).into());
    }
    tracing::info!(account_id = id, reserve, "invitation reserve set");
    let a = load(app, id).await?;
    Ok(web::json(200, &account_view(app, &a)))
}
