//! Plan and account routes: plans with their monthly budgets, accounts on a
//! plan, plan changes (at once) and the budget view.

use lambda_http::{Body, Request, Response};
use pulse_shared::domain::budget::{billing_month, view as budget_view, Account, AccountRequest, BudgetError, PlanRequest, Usage};
use pulse_shared::domain::links::new_id;
use pulse_shared::{http as web, App, Error};
use serde::Deserialize;
use serde_json::json;

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

/// `POST /admin/plans`.
pub async fn create_plan(app: &App, req: &Request) -> Result<Response<Body>, Error> {
    let body: PlanRequest = web::json_body(req)?;
    let plan = body.check().map_err(budget_error)?;
    app.aws.create_plan(&plan, &app.clock.now()).await?;
    tracing::info!(plan = %plan.name, monthly_budget = plan.monthly_budget, "plan created");
    Ok(web::json(201, &plan))
}

/// `GET /admin/plans`.
pub async fn list_plans(app: &App) -> Result<Response<Body>, Error> {
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
        "time_zone": a.time_zone,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "budget": budget_view(a, app.clock.now_ms()),
    })
}

/// `POST /admin/accounts`: an account on a plan (Starter unless named).
pub async fn create(app: &App, req: &Request) -> Result<Response<Body>, Error> {
    let body: AccountRequest = web::json_body(req)?;
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
        usage: Usage { month: billing_month(now_ms, &body.time_zone), ..Default::default() },
        time_zone: body.time_zone,
        created_at: now.clone(),
        updated_at: now,
    };
    app.aws.create_account(&account).await?;
    tracing::info!(account_id = %account.id, plan = %account.plan, "account created");
    Ok(web::json(201, &account_view(app, &account)))
}

/// `GET /admin/accounts`.
pub async fn list(app: &App) -> Result<Response<Body>, Error> {
    Ok(web::json(200, &json!({ "accounts": app.aws.list_accounts().await? })))
}

/// `GET /admin/accounts/{id}`: the account with its budget view.
pub async fn get(app: &App, id: &str) -> Result<Response<Body>, Error> {
    let a = load(app, id).await?;
    Ok(web::json(200, &account_view(app, &a)))
}

/// `GET /admin/accounts/{id}/budget`: the budget of the billing month.
pub async fn budget(app: &App, id: &str) -> Result<Response<Body>, Error> {
    let a = load(app, id).await?;
    Ok(web::json(200, &budget_view(&a, app.clock.now_ms())))
}

/// Body of `PUT /admin/accounts/{id}/plan`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangePlan {
    plan: String,
}

/// `PUT /admin/accounts/{id}/plan`: an upgrade or downgrade, applied to the
/// current month's remaining budget at once.
pub async fn change_plan(app: &App, id: &str, req: &Request) -> Result<Response<Body>, Error> {
    let body: ChangePlan = web::json_body(req)?;
    let plan = known_plan(app, "plan", &body.plan).await?;
    if !app.aws.change_plan(id, &plan, &app.clock.now()).await? {
        return Err(Error::not_found(format!("account {id}")));
    }
    tracing::info!(account_id = id, plan = %plan.name, "plan changed");
    let a = load(app, id).await?;
    Ok(web::json(200, &account_view(app, &a)))
}

/// Checks that a project's account exists (400 naming the field if not).
pub async fn check_project_account(app: &App, account_id: Option<&str>) -> Result<(), Error> {
    let Some(id) = account_id else { return Ok(()) };
    if app.aws.get_account(id).await?.is_none() {
        return Err(Error::bad_field("settings.account_id", format!("settings.account_id: no account {id:?}; create one with POST /admin/accounts")));
    }
    Ok(())
}
