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
/// (defaults overridden as with `sam deploy --parameter-overrides`).
pub async fn provision(
    aws: &Clients,
    template: &Template,
    stack_name: &str,
    parameters: BTreeMap<String, String>,
) -> Result<Resolver, ProvisionError> {
    let mut resolver = Resolver { stack_name: stack_name.to_string(), parameters, resources: BTreeMap::new() };

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
    Ok(resolver)
}

/// Verifies the sender identity, as an operator does once in the SES console.
pub async fn verify_sender(aws: &Clients, sender: &str) -> Result<(), ProvisionError> {
    aws.ses.create_email_identity().email_identity(sender).send().await.map_err(fail("SES identity"))?;
    Ok(())
}
