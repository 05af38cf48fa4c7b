//! Projects, survey versions, links and responses in memory: the items of
//! [`crate::store::surveys`] under the same keys, and `store_response` as
//! one step under the lock that applies the conditions of the adapter's
//! transaction and explains a refusal with `domain::submission`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::domain::budget::ItemRefusal;
use crate::domain::links::{Link, LinkKind};
use crate::domain::mail::normalise_email;
use crate::domain::metrics::{nps_group, NpsCounts, NpsGroup};
use crate::domain::project::Project;
use crate::domain::report::Contribution;
use crate::domain::response::Response;
use crate::domain::submission::{after_taken, refused, Refused, Taken};
use crate::domain::survey::{ids, Answer, Definition};
use crate::store::surveys::{LinkContext, ProjectSummary, Stored};
use crate::{Error, Result};

use super::{Memory, State, Table};

/// A link as the adapter stores it: the link and, once answered, when.
#[derive(Serialize, Deserialize)]
struct LinkItem {
    #[serde(flatten)]
    link: Link,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    responded_at: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct VersionItem {
    version: u32,
    definition: Definition,
    published_at: String,
}

/// The counters moved with each response, and the project's revision for
/// the submission's check (`None`: the project has not changed since it
/// was created).
#[derive(Default, Serialize, Deserialize)]
struct StatsItem {
    #[serde(default)]
    responses: u64,
    #[serde(default)]
    nps_promoters: u64,
    #[serde(default)]
    nps_passives: u64,
    #[serde(default)]
    nps_detractors: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_response_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revision: Option<u64>,
}

fn project_pk(id: &str) -> String {
    format!("PROJECT#{id}")
}

fn link_pk(link_id: &str) -> String {
    format!("LINK#{link_id}")
}

fn link_of(email_key: &str, link_id: &str) -> String {
    format!("LINKOF#{email_key}#{link_id}")
}

fn version_sk(v: u32) -> String {
    format!("VERSION#{v:06}")
}

fn response_sk(id: &str) -> String {
    format!("RESPONSE#{id}")
}

fn summary(p: &Project) -> ProjectSummary {
    ProjectSummary {
        id: p.id.clone(),
        organisation_name: p.settings.organisation_name.clone(),
        kind: p.kind,
        published_version: p.published_version,
        created_at: p.created_at.clone(),
    }
}

impl State {
    fn stats(&self, project_id: &str) -> StatsItem {
        self.get(Table::Core, &project_pk(project_id), "STATS").unwrap_or_default()
    }

    /// The project (conditional on its revision), its list entry and the
    /// revision on the counters item, as the adapter's `write_project`.
    fn write_project(&mut self, p: &Project, expected_revision: u64) -> Result<()> {
        let pk = project_pk(&p.id);
        let current: Option<Project> = self.get(Table::Core, &pk, "PROJECT");
        if current.is_none_or(|c| c.revision != expected_revision) {
            return Err(Error::Conflict(
                "the project was changed or published by someone else since it was read; read it again and repeat the change".into(),
            ));
        }
        self.put(Table::Core, &pk, "PROJECT", p);
        self.put(Table::Core, "PROJECTS", &pk, &summary(p));
        let mut stats = self.stats(&p.id);
        stats.revision = Some(p.revision);
        self.put(Table::Core, &pk, "STATS", &stats);
        Ok(())
    }
}

impl crate::ports::Projects for Memory {
    async fn create_project(&self, p: &Project, anonymous: &Link) -> Result<()> {
        let mut s = self.lock();
        let pk = project_pk(&p.id);
        if s.has(Table::Core, &pk, "PROJECT") || s.has(Table::Core, &link_pk(&anonymous.id), "LINK") {
            return Err(Error::Conflict("a project with this id already exists".into()));
        }
        s.put(Table::Core, &pk, "PROJECT", p);
        s.put(Table::Core, "PROJECTS", &pk, &summary(p));
        s.put(Table::Core, &link_pk(&anonymous.id), "LINK", &LinkItem { link: anonymous.clone(), responded_at: None });
        Ok(())
    }

    async fn get_project(&self, id: &str) -> Result<Option<Project>> {
        Ok(self.lock().get(Table::Core, &project_pk(id), "PROJECT"))
    }

    async fn list_projects(&self) -> Result<Vec<ProjectSummary>> {
        let mut out: Vec<ProjectSummary> = self.lock().query(Table::Core, "PROJECTS", "PROJECT#").into_iter().map(|(_, s)| s).collect();
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    async fn update_project(&self, p: &Project, expected_revision: u64) -> Result<()> {
        self.lock().write_project(p, expected_revision)
    }

    async fn publish(&self, p: &Project, definition: &Definition, expected_revision: u64, now: &str) -> Result<()> {
        let mut s = self.lock();
        let (pk, sk) = (project_pk(&p.id), version_sk(definition.version));
        // the version's own condition fails the whole transaction as the
        // revision's does
        if s.has(Table::Core, &pk, &sk) {
            return Err(Error::Conflict(
                "the project was changed or published by someone else since it was read; read it again and repeat the change".into(),
            ));
        }
        s.write_project(p, expected_revision)?;
        s.put(
            Table::Core,
            &pk,
            &sk,
            &VersionItem { version: definition.version, definition: definition.clone(), published_at: now.to_string() },
        );
        Ok(())
    }

    async fn rotate_anonymous_link(&self, p: &Project, expected_revision: u64, old_link: &str, new_link: &Link) -> Result<()> {
        let mut s = self.lock();
        // the new link's condition fails the whole transaction as the
        // revision's does
        if s.has(Table::Core, &link_pk(&new_link.id), "LINK") {
            return Err(Error::Conflict("a link with this token already exists".into()));
        }
        s.write_project(p, expected_revision)?;
        s.put(Table::Core, &link_pk(&new_link.id), "LINK", &LinkItem { link: new_link.clone(), responded_at: None });
        s.delete(Table::Core, &link_pk(old_link), "LINK");
        Ok(())
    }

    async fn get_version(&self, project_id: &str, version: u32) -> Result<Option<Definition>> {
        Ok(self.lock().get::<VersionItem>(Table::Core, &project_pk(project_id), &version_sk(version)).map(|v| v.definition))
    }

    async fn published(&self, project_id: &str, version: u32) -> Result<Option<Arc<Definition>>> {
        Ok(self.get_version(project_id, version).await?.map(Arc::new))
    }
}

impl crate::ports::Links for Memory {
    async fn link_context(&self, link_id: &str, _freshness: crate::ports::Freshness) -> Result<Option<Arc<LinkContext>>> {
        let s = self.lock();
        let Some(item) = s.get::<LinkItem>(Table::Core, &link_pk(link_id), "LINK") else { return Ok(None) };
        let Some(project) = s.get::<Project>(Table::Core, &project_pk(&item.link.project_id), "PROJECT") else { return Ok(None) };
        Ok(Some(Arc::new(LinkContext::new(item.link, &project))))
    }

    async fn share_object(&self, token_hash: &str, key: &str, expires_s: u64) -> Result<()> {
        let share = serde_json::json!({ "key": key, "expires_at": expires_s });
        self.lock().put(Table::Core, &format!("SHARE#{token_hash}"), "SHARE", &share);
        Ok(())
    }

    async fn shared_object(&self, token_hash: &str, now_s: u64) -> Result<Option<String>> {
        let share: Option<serde_json::Value> = self.lock().get(Table::Core, &format!("SHARE#{token_hash}"), "SHARE");
        Ok(share.filter(|v| v["expires_at"].as_u64().unwrap_or(0) > now_s).and_then(|v| v["key"].as_str().map(str::to_string)))
    }

    /// The double never held a link in clear: there is nothing to re-key.
    async fn rekey_link(&self, _token: &str, _link_id: &str) -> Result<bool> {
        Ok(false)
    }

    /// Nothing is kept: every context is read from the state.
    fn forget_link(&self, _link_id: &str) {}

    async fn put_link(&self, link: &Link) -> Result<()> {
        let mut s = self.lock();
        let pk = link_pk(&link.id);
        if s.has(Table::Core, &pk, "LINK") {
            return Err(Error::Conflict("a link with this token already exists".into()));
        }
        s.put(Table::Core, &pk, "LINK", &LinkItem { link: link.clone(), responded_at: None });
        if let LinkKind::Personal { contact, .. } = &link.kind {
            let sk = link_of(&normalise_email(&contact.email), &link.id);
            s.put(Table::Contacts, &project_pk(&link.project_id), &sk, &serde_json::json!({}));
        }
        Ok(())
    }

    async fn erase_links(&self, project_id: &str, email_key: &str) -> Result<u64> {
        let derived = crate::store::distributions::invitation_link_ids(self, project_id, email_key).await?;
        let mut s = self.lock();
        let (pk, prefix) = (project_pk(project_id), link_of(email_key, ""));
        let mut erased = 0;
        for sk in s.keys(Table::Contacts, &pk, &prefix) {
            let Some(link_id) = sk.strip_prefix(&prefix) else { continue };
            s.delete(Table::Core, &link_pk(link_id), "LINK");
            s.delete(Table::Contacts, &pk, &sk);
            erased += 1;
        }
        for id in derived {
            erased += u64::from(s.delete(Table::Core, &link_pk(&id), "LINK"));
        }
        Ok(erased)
    }

    async fn link_answered(&self, link_id: &str) -> Result<bool> {
        Ok(self.lock().get::<LinkItem>(Table::Core, &link_pk(link_id), "LINK").is_some_and(|i| i.responded_at.is_some()))
    }

    async fn links_of(&self, project_id: &str, email_key: &str) -> Result<Vec<(Link, Option<String>)>> {
        let derived = crate::store::distributions::invitation_link_ids(self, project_id, email_key).await?;
        let s = self.lock();
        let (pk, prefix) = (project_pk(project_id), link_of(email_key, ""));
        let mut ids: Vec<String> =
            s.keys(Table::Contacts, &pk, &prefix).iter().filter_map(|sk| sk.strip_prefix(&prefix)).map(str::to_string).collect();
        ids.extend(derived);
        ids.sort();
        ids.dedup();
        let mut links: Vec<(Link, Option<String>)> =
            ids.iter().filter_map(|id| s.get::<LinkItem>(Table::Core, &link_pk(id), "LINK")).map(|i| (i.link, i.responded_at)).collect();
        links.sort_by(|a, b| a.0.created_at.cmp(&b.0.created_at));
        Ok(links)
    }

    async fn get_link(&self, link_id: &str) -> Result<Option<Link>> {
        Ok(self.lock().get::<LinkItem>(Table::Core, &link_pk(link_id), "LINK").map(|i| i.link))
    }
}

impl crate::ports::Responses for Memory {
    /// The adapter's transaction: its items' conditions are checked on the
    /// state as it is, in the adapter's order (response, counters with the
    /// revision, link mark, aggregates, charge); if one fails nothing is
    /// written and `domain::submission` explains the refusal.
    async fn store_response(
        &self,
        r: &Response,
        personal_link: Option<&str>,
        project_revision: u64,
        contribution: Option<&Contribution>,
        gate: crate::store::surveys::Gate<'_>,
    ) -> Result<Stored> {
        let charge = gate.charge;
        let mut s = self.lock();
        let pk = project_pk(&r.project_id);
        let sk = response_sk(&r.response_id);
        let refusal = |failed: bool| if failed { ItemRefusal::ConditionFailed } else { ItemRefusal::None };
        let mut refusals = vec![refusal(s.has(Table::Responses, &pk, &sk))];
        let mut stats = s.stats(&r.project_id);
        refusals.push(refusal(stats.revision.is_some_and(|rev| rev != project_revision)));
        // the daily cap, spread with the aggregates: this shard's counter and share
        let shard = crate::domain::shard::pick(&r.response_id, gate.shards);
        let cap = gate.daily_cap.filter(|_| personal_link.is_none()).map(|(day, limit)| {
            let (slot, share) = crate::domain::submission::daily_cap_slot(limit, gate.shards, shard);
            (crate::domain::shard::key(&pk, slot), crate::store::surveys::daily_cap_sk(day), share)
        });
        if let Some((cap_pk, sk, share)) = &cap {
            let n: u64 = s.get(Table::Core, cap_pk, sk).unwrap_or(0);
            refusals.push(refusal(n >= u64::from(*share)));
        }
        let link = personal_link.map(|token| s.get::<LinkItem>(Table::Core, &link_pk(token), "LINK"));
        if let Some(link) = &link {
            refusals.push(refusal(link.as_ref().is_none_or(|l| l.responded_at.is_some())));
        }
        if gate.distribution.is_some() {
            // the distribution's responses counter has no condition
            refusals.push(ItemRefusal::None);
        }
        if let Some(c) = contribution {
            // the aggregates' updates have no condition
            refusals.extend(std::iter::repeat_n(ItemRefusal::None, 1 + c.segments.len() + c.texts.len()));
        }
        if let Some(c) = charge {
            refusals.push(refusal(!super::budgets::may_charge(&s, c)));
        }
        if refusals.contains(&ItemRefusal::ConditionFailed) {
            return match refused(&refusals, charge.is_some(), cap.is_some()) {
                Refused::ProjectChanged => Ok(Stored::ProjectChanged),
                Refused::DailyCap => Ok(Stored::DailyCap),
                Refused::OverBudget => {
                    if let Some(c) = charge {
                        super::budgets::count_refusal(&mut s, c);
                    }
                    Ok(Stored::OverBudget)
                }
                Refused::Taken => {
                    let existing: Option<Response> = s.get(Table::Responses, &pk, &sk);
                    let link_exists = match (&existing, &link) {
                        (None, Some(link)) => Some(link.is_some()),
                        _ => None,
                    };
                    match (after_taken(existing.is_some(), link_exists), existing) {
                        (Taken::AlreadyThere, Some(existing)) => Ok(Stored::AlreadyThere(Box::new(existing))),
                        (Taken::LinkGone, _) => Ok(Stored::LinkGone),
                        _ => Err(Error::Conflict("this link is being answered right now".into())),
                    }
                }
                Refused::Other => Err(Error::Conflict("the response's transaction was refused".into())),
            };
        }
        s.put(Table::Responses, &pk, &sk, r);
        if let Some(dist_id) = gate.distribution {
            let (dpk, dsk) = crate::store::distributions::responses_key(dist_id);
            let n: u64 = s.get(Table::Core, &dpk, dsk).unwrap_or(0);
            s.put(Table::Core, &dpk, dsk, &(n + 1));
        }
        stats.responses += 1;
        if let Some(Answer::Number(n)) = r.answers.get(ids::NPS) {
            match nps_group(*n) {
                Some(NpsGroup::Promoter) => stats.nps_promoters += 1,
                Some(NpsGroup::Passive) => stats.nps_passives += 1,
                Some(NpsGroup::Detractor) => stats.nps_detractors += 1,
                None => {}
            }
        }
        stats.last_response_at = Some(r.submitted_at.clone());
        s.put(Table::Core, &pk, "STATS", &stats);
        if let (Some(token), Some(Some(mut link))) = (personal_link, link) {
            link.responded_at = Some(r.submitted_at.clone());
            s.put(Table::Core, &link_pk(token), "LINK", &link);
        }
        if let Some(c) = contribution {
            let nps = match r.answers.get(ids::NPS) {
                Some(Answer::Number(n)) => Some(*n),
                _ => None,
            };
            super::reports::add_contribution(&mut s, &r.project_id, &r.response_id, &r.submitted_at, nps, c);
        }
        if let Some(c) = charge {
            super::budgets::charge(&mut s, c);
        }
        if let Some((cap_pk, sk, _)) = &cap {
            let n: u64 = s.get(Table::Core, cap_pk, sk).unwrap_or(0);
            s.put(Table::Core, cap_pk, sk, &(n + 1));
        }
        Ok(Stored::New)
    }

    async fn get_response(&self, project_id: &str, response_id: &str) -> Result<Option<Response>> {
        Ok(self.lock().get(Table::Responses, &project_pk(project_id), &response_sk(response_id)))
    }

    /// A page ends with its last sort key when it is full (as DynamoDB's
    /// `Limit`: a full page may be followed by an empty one).
    async fn list_responses(&self, project_id: &str, after: Option<&str>, limit: i32) -> Result<(Vec<Response>, Option<String>)> {
        let s = self.lock();
        let pk = project_pk(project_id);
        let after = after.map(response_sk);
        let limit = usize::try_from(limit).unwrap_or(0).max(1);
        let page: Vec<(String, Response)> = s
            .query(Table::Responses, &pk, "RESPONSE#")
            .into_iter()
            .filter(|(sk, _)| after.as_ref().is_none_or(|a| sk > a))
            .take(limit)
            .collect();
        let next =
            if page.len() == limit { page.last().and_then(|(sk, _)| sk.strip_prefix("RESPONSE#").map(str::to_string)) } else { None };
        Ok((page.into_iter().map(|(_, r)| r).collect(), next))
    }

    async fn replace_response(&self, r: &Response) -> Result<()> {
        let mut s = self.lock();
        let (pk, sk) = (project_pk(&r.project_id), response_sk(&r.response_id));
        if !s.has(Table::Responses, &pk, &sk) {
            return Err(Error::not_found(format!("response {} of project {}", r.response_id, r.project_id)));
        }
        s.put(Table::Responses, &pk, &sk, r);
        Ok(())
    }

    async fn project_stats(&self, project: &Project) -> Result<(u64, NpsCounts)> {
        Ok(self.stats_of(&project.id))
    }

    async fn response_count(&self, project_id: &str) -> Result<u64> {
        Ok(self.stats_of(project_id).0)
    }
}

impl Memory {
    fn stats_of(&self, project_id: &str) -> (u64, NpsCounts) {
        let stats = self.lock().stats(project_id);
        (stats.responses, NpsCounts { promoters: stats.nps_promoters, passives: stats.nps_passives, detractors: stats.nps_detractors })
    }
}
