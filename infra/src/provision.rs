//! Creates the template's tables, bucket and queues on the emulator, with the
//! same key schemas, streams, TTLs and redrive policies, and returns what
//! `Ref` and `Fn::GetAtt` resolve to for each.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, StreamSpecification, StreamViewType,
    TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;
use pulse_shared::store::Clients;

use crate::template::{Physical, Resolver, Template, ACCOUNT_ID, REGION};

/// A resource that could not be created.
#[derive(Debug, thiserror::Error)]
#[error("creating {resource} on the emulator failed: {message}")]
pub struct ProvisionError {
    pub resource: String,
    pub message: String,
}

fn fail<E: std::error::Error + 'static>(resource: &str) -> impl FnOnce(E) -> ProvisionError + '_ {
    move |e| ProvisionError { resource: resource.to_string(), message: pulse_shared::error::chain(&e) }
}

/// Creates every resource; `parameters` are the parameter values in force
/// (defaults overridden as with `sam deploy --parameter-overrides`), and
/// `api_endpoint` is where the local stack serves the template's HTTP API
/// (its `ApiEndpoint`).
pub async fn provision(
    aws: &Clients,
    template: &Template,
    stack_name: &str,
    parameters: BTreeMap<String, String>,
    api_endpoint: &str,
) -> Result<Resolver, ProvisionError> {
    let mut resolver =
        Resolver { stack_name: stack_name.to_string(), parameters, resources: BTreeMap::new(), conditions: template.conditions.clone() };
    for id in &template.http_apis {
        let attributes = [("ApiEndpoint".to_string(), api_endpoint.to_string())].into();
        resolver.resources.insert(id.clone(), Physical { reference: format!("{stack_name}-{id}"), attributes });
    }

    for t in &template.tables {
        let name = format!("{stack_name}-{}", t.logical_id);
        let mut req = aws.dynamodb.create_table().table_name(&name).billing_mode(BillingMode::PayPerRequest);
        for (attr, ty) in &t.attributes {
            req = req.attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(attr)
                    .attribute_type(ScalarAttributeType::from(ty.as_str()))
                    .build()
                    .map_err(fail(&t.logical_id))?,
            );
        }
        for (attr, ty) in &t.key_schema {
            req = req.key_schema(
                KeySchemaElement::builder()
                    .attribute_name(attr)
                    .key_type(KeyType::from(ty.as_str()))
                    .build()
                    .map_err(fail(&t.logical_id))?,
            );
        }
        if let Some(view) = &t.stream_view_type {
            req = req.stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::from(view.as_str()))
                    .build()
                    .map_err(fail(&t.logical_id))?,
            );
        }
        let out = req.send().await.map_err(fail(&t.logical_id))?;
        let desc = out
            .table_description
            .ok_or_else(|| ProvisionError { resource: t.logical_id.clone(), message: "CreateTable returned no description".into() })?;
        if let Some(attr) = &t.ttl_attribute {
            aws.dynamodb
                .update_time_to_live()
                .table_name(&name)
                .time_to_live_specification(
                    TimeToLiveSpecification::builder().attribute_name(attr).enabled(true).build().map_err(fail(&t.logical_id))?,
                )
                .send()
                .await
                .map_err(fail(&t.logical_id))?;
        }
        let mut attributes = BTreeMap::new();
        attributes.insert("Arn".to_string(), desc.table_arn.unwrap_or_default());
        if let Some(stream) = desc.latest_stream_arn {
            attributes.insert("StreamArn".to_string(), stream);
        }
        resolver.resources.insert(t.logical_id.clone(), Physical { reference: name, attributes });
    }

    for b in &template.buckets {
        let name = match &b.name {
            Some(v) => resolver.resolve(v, &format!("{}.BucketName", b.logical_id)).map_err(fail(&b.logical_id))?,
            None => format!("{stack_name}-{}", b.logical_id).to_lowercase(),
        };
        aws.s3.create_bucket().bucket(&name).send().await.map_err(fail(&b.logical_id))?;
        if b.versioned {
            let on =
                aws_sdk_s3::types::VersioningConfiguration::builder().status(aws_sdk_s3::types::BucketVersioningStatus::Enabled).build();
            aws.s3.put_bucket_versioning().bucket(&name).versioning_configuration(on).send().await.map_err(fail(&b.logical_id))?;
        }
        if !b.cors.is_empty() {
            let rules = b.cors.iter().map(|r| {
                aws_sdk_s3::types::CorsRule::builder()
                    .set_allowed_methods(Some(r.methods.clone()))
                    .set_allowed_origins(Some(r.origins.clone()))
                    .set_allowed_headers(Some(r.headers.clone()))
                    .set_max_age_seconds(r.max_age)
                    .build()
            });
            let rules = rules.collect::<Result<Vec<_>, _>>().map_err(fail(&b.logical_id))?;
            let cors = aws_sdk_s3::types::CorsConfiguration::builder().set_cors_rules(Some(rules)).build().map_err(fail(&b.logical_id))?;
            aws.s3.put_bucket_cors().bucket(&name).cors_configuration(cors).send().await.map_err(fail(&b.logical_id))?;
        }
        let attributes = [("Arn".to_string(), format!("arn:aws:s3:::{name}"))].into();
        resolver.resources.insert(b.logical_id.clone(), Physical { reference: name, attributes });
    }

    // Dead-letter queues first, so a redrive policy can name them.
    let mut queues = template.queues.clone();
    queues.sort_by_key(|q| q.dead_letter_target.is_some());
    for q in &queues {
        let name = format!("{stack_name}-{}", q.logical_id);
        let mut req = aws.sqs.create_queue().queue_name(&name);
        if let Some(v) = q.visibility_timeout {
            req = req.attributes(QueueAttributeName::VisibilityTimeout, v.to_string());
        }
        if let Some(v) = q.retention_period {
            req = req.attributes(QueueAttributeName::MessageRetentionPeriod, v.to_string());
        }
        if let Some(dlq) = &q.dead_letter_target {
            let arn = resolver
                .resources
                .get(dlq)
                .and_then(|p| p.attributes.get("Arn").cloned())
                .ok_or_else(|| ProvisionError { resource: q.logical_id.clone(), message: format!("dead-letter queue {dlq} is unknown") })?;
            let policy = serde_json::json!({ "deadLetterTargetArn": arn, "maxReceiveCount": q.max_receive_count.unwrap_or(5) });
            req = req.attributes(QueueAttributeName::RedrivePolicy, policy.to_string());
        }
        let out = req.send().await.map_err(fail(&q.logical_id))?;
        let url = out.queue_url.unwrap_or_default();
        let attributes = [
            ("Arn".to_string(), format!("arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{name}")),
            ("QueueName".to_string(), name.clone()),
            ("QueueUrl".to_string(), url.clone()),
        ]
        .into();
        resolver.resources.insert(q.logical_id.clone(), Physical { reference: url, attributes });
    }

    for (id, name) in &template.configuration_sets {
        let name = match name {
            Some(v) => resolver.resolve(v, &format!("{id}.Name")).map_err(fail(id))?,
            None => format!("{stack_name}-{id}"),
        };
        aws.ses.create_configuration_set().configuration_set_name(&name).send().await.map_err(fail(id))?;
        resolver.resources.insert(id.clone(), Physical { reference: name, attributes: BTreeMap::new() });
    }
    for id in &template.keys {
        let out = aws.kms.create_key().description(format!("{stack_name} {id}")).send().await.map_err(fail(id))?;
        let meta =
            out.key_metadata.ok_or_else(|| ProvisionError { resource: id.clone(), message: "CreateKey returned no metadata".into() })?;
        let attributes = [("Arn".to_string(), meta.arn.unwrap_or_default())].into();
        resolver.resources.insert(id.clone(), Physical { reference: meta.key_id, attributes });
    }
    for id in &template.roles {
        let attributes = [("Arn".to_string(), format!("arn:aws:iam::{ACCOUNT_ID}:role/{stack_name}-{id}"))].into();
        resolver.resources.insert(id.clone(), Physical { reference: format!("{stack_name}-{id}"), attributes });
    }
    for (id, condition) in &template.transfer_servers {
        if let Some(c) = condition {
            if !resolver.condition(c, id).map_err(fail(id))? {
                continue;
            }
        }
        let out = aws
            .transfer
            .create_server()
            .domain(aws_sdk_transfer::types::Domain::S3)
            .protocols(aws_sdk_transfer::types::Protocol::Sftp)
            .identity_provider_type(aws_sdk_transfer::types::IdentityProviderType::ServiceManaged)
            .send()
            .await
            .map_err(fail(id))?;
        let attributes = [("ServerId".to_string(), out.server_id.clone())].into();
        resolver.resources.insert(id.clone(), Physical { reference: out.server_id, attributes });
    }
    for (id, name, value) in &template.ssm_parameters {
        let name = resolver.resolve(name, &format!("{id}.Name")).map_err(fail(id))?;
        let value = resolver.resolve(value, &format!("{id}.Value")).map_err(fail(id))?;
        aws.ssm
            .put_parameter()
            .name(&name)
            .value(&value)
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .overwrite(true)
            .send()
            .await
            .map_err(fail(id))?;
        resolver.resources.insert(id.clone(), Physical { reference: name, attributes: BTreeMap::new() });
    }
    cognito(aws, template, &mut resolver).await?;
    Ok(resolver)
}

/// The user pools, their app clients and groups.
async fn cognito(aws: &Clients, template: &Template, resolver: &mut Resolver) -> Result<(), ProvisionError> {
    use aws_sdk_cognitoidentityprovider::types::{
        AdminCreateUserConfigType, ExplicitAuthFlowsType, PasswordPolicyType, UserPoolMfaType, UserPoolPolicyType, UsernameAttributeType,
        VerifiedAttributeType,
    };
    let c = &template.cognito;
    for p in &c.pools {
        let name = match &p.name {
            Some(v) => resolver.resolve(v, &format!("{}.UserPoolName", p.logical_id)).map_err(fail(&p.logical_id))?,
            None => format!("{}-{}", resolver.stack_name, p.logical_id),
        };
        let flag = |k: &str| p.password_policy.get(k).is_some_and(|v| matches!(v, serde_norway::Value::Bool(true)));
        let num = |k: &str| p.password_policy.get(k).and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok())).map(|n| n as i32);
        let policy = PasswordPolicyType::builder()
            .set_minimum_length(num("MinimumLength"))
            .require_lowercase(flag("RequireLowercase"))
            .require_uppercase(flag("RequireUppercase"))
            .require_numbers(flag("RequireNumbers"))
            .require_symbols(flag("RequireSymbols"))
            .set_temporary_password_validity_days(num("TemporaryPasswordValidityDays"))
            .build();
        let out = aws
            .cognito
            .create_user_pool()
            .pool_name(&name)
            .set_username_attributes(Some(p.username_attributes.iter().map(|a| UsernameAttributeType::from(a.as_str())).collect()))
            .set_auto_verified_attributes(Some(
                p.auto_verified_attributes.iter().map(|a| VerifiedAttributeType::from(a.as_str())).collect(),
            ))
            .admin_create_user_config(AdminCreateUserConfigType::builder().allow_admin_create_user_only(p.admin_create_only).build())
            .policies(UserPoolPolicyType::builder().password_policy(policy).build())
            .set_mfa_configuration(p.mfa.as_deref().map(UserPoolMfaType::from))
            .send()
            .await
            .map_err(fail(&p.logical_id))?;
        let pool = out.user_pool.ok_or_else(|| ProvisionError { resource: p.logical_id.clone(), message: "no pool returned".into() })?;
        let id = pool.id.unwrap_or_default();
        let attributes = [
            ("Arn".to_string(), pool.arn.unwrap_or_default()),
            ("ProviderName".to_string(), format!("cognito-idp.{REGION}.amazonaws.com/{id}")),
            ("ProviderURL".to_string(), format!("https://cognito-idp.{REGION}.amazonaws.com/{id}")),
        ]
        .into();
        resolver.resources.insert(p.logical_id.clone(), Physical { reference: id, attributes });
    }
    for client in &c.clients {
        let out = aws
            .cognito
            .create_user_pool_client()
            .user_pool_id(pool_id(resolver, &client.pool)?)
            .client_name(client.name.clone().unwrap_or_else(|| client.logical_id.clone()))
            .generate_secret(false)
            .set_explicit_auth_flows(Some(client.auth_flows.iter().map(|f| ExplicitAuthFlowsType::from(f.as_str())).collect()))
            .send()
            .await
            .map_err(fail(&client.logical_id))?;
        let id = out.user_pool_client.and_then(|c| c.client_id).unwrap_or_default();
        resolver.resources.insert(client.logical_id.clone(), Physical { reference: id, attributes: BTreeMap::new() });
    }
    for g in &c.groups {
        let name = resolver.resolve(&g.name, &format!("{}.GroupName", g.logical_id)).map_err(fail(&g.logical_id))?;
        aws.cognito
            .create_group()
            .user_pool_id(pool_id(resolver, &g.pool)?)
            .group_name(&name)
            .set_precedence(g.precedence.map(|p| p as i32))
            .set_description(g.description.clone())
            .send()
            .await
            .map_err(fail(&g.logical_id))?;
        resolver.resources.insert(g.logical_id.clone(), Physical { reference: name, attributes: BTreeMap::new() });
    }
    Ok(())
}

/// The physical id of the user pool `logical` (created above).
fn pool_id(resolver: &Resolver, logical: &str) -> Result<String, ProvisionError> {
    resolver
        .resources
        .get(logical)
        .map(|p| p.reference.clone())
        .ok_or_else(|| ProvisionError { resource: logical.to_string(), message: "the user pool is unknown".into() })
}

/// A console user the template creates, with the temporary password the
/// local stack gave them (deployed, Cognito emails one).
#[derive(Debug, Clone)]
pub struct SeededUser {
    pub username: String,
    pub temporary_password: String,
    pub groups: Vec<String>,
}

/// Creates the template's users (`AWS::Cognito::UserPoolUser`) with a fresh
/// temporary password each, and puts them in their groups, as
/// CloudFormation does; the invitation email is left out (the local stack
/// prints the sign-in instead).
pub async fn seed_users(aws: &Clients, template: &Template, resolver: &mut Resolver) -> Result<Vec<SeededUser>, ProvisionError> {
    use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
    let mut seeded = Vec::new();
    for u in &template.cognito.users {
        let pool = pool_id(resolver, &u.pool)?;
        let username = resolver.resolve(&u.username, &format!("{}.Username", u.logical_id)).map_err(fail(&u.logical_id))?;
        let mut attributes = Vec::new();
        for (name, value) in &u.attributes {
            let value = resolver.resolve(value, &format!("{}.UserAttributes.{name}", u.logical_id)).map_err(fail(&u.logical_id))?;
            attributes.push(AttributeType::builder().name(name).value(value).build().map_err(fail(&u.logical_id))?);
        }
        // meets any Cognito password policy: upper, lower, digits, a symbol, 20+ characters
        let temporary_password = format!("Pulse-{}-9a!", uuid::Uuid::new_v4().simple().to_string().get(..12).unwrap_or_default());
        aws.cognito
            .admin_create_user()
            .user_pool_id(&pool)
            .username(&username)
            .set_user_attributes(Some(attributes))
            .temporary_password(&temporary_password)
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .map_err(fail(&u.logical_id))?;
        resolver.resources.insert(u.logical_id.clone(), Physical { reference: username.clone(), attributes: BTreeMap::new() });
        seeded.push(SeededUser { username, temporary_password, groups: Vec::new() });
    }
    for m in &template.cognito.memberships {
        let pool = pool_id(resolver, &m.pool)?;
        let group = resolver.resolve(&m.group, &format!("{}.GroupName", m.logical_id)).map_err(fail(&m.logical_id))?;
        let username = resolver.resolve(&m.username, &format!("{}.Username", m.logical_id)).map_err(fail(&m.logical_id))?;
        aws.cognito
            .admin_add_user_to_group()
            .user_pool_id(pool)
            .username(&username)
            .group_name(&group)
            .send()
            .await
            .map_err(fail(&m.logical_id))?;
        if let Some(s) = seeded.iter_mut().find(|s| s.username == username) {
            s.groups.push(group);
        }
    }
    Ok(seeded)
}

/// Creates a schedule's EventBridge rule as the stack has it, `enabled`
/// when it fires on its own here, so that the console's status page reads
/// the local schedules through the same `DescribeRule` as a deployed stack's.
pub async fn schedule_rule(aws: &Clients, name: &str, expression: &str, enabled: bool) -> Result<(), ProvisionError> {
    use aws_sdk_eventbridge::types::RuleState;
    let state = if enabled { RuleState::Enabled } else { RuleState::Disabled };
    aws.events.put_rule().name(name).schedule_expression(expression).state(state).send().await.map_err(fail("EventBridge rule"))?;
    Ok(())
}

/// Verifies the sender identity, as an operator does once in the SES console.
pub async fn verify_sender(aws: &Clients, sender: &str) -> Result<(), ProvisionError> {
    aws.ses.create_email_identity().email_identity(sender).send().await.map_err(fail("SES identity"))?;
    Ok(())
}
