//! The automated B2B sync: a project's drop folder in the data bucket
//! (`sync/<project>/{accounts,contacts,team}/<file>`), its schedule, how the
//! files present make one run (accounts, then contacts, then team members),
//! the run's identity (the objects' ETags: the same files again are the same
//! run, which has ended) and the state a run ends in. Pure: the import
//! function lists the folder, claims the run and imports its files through
//! the manual imports' code.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::B2bKind;
use crate::domain::contacts::{RowError, Warning};
use crate::domain::imports::Counts;

/// Where drop folders live in the data bucket (see `template.yaml`).
pub const SYNC_PREFIX: &str = "sync/";

/// Runs the API and the console show, newest first.
pub const RUNS_SHOWN: usize = 20;

/// Where a sync takes its files from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncSource {
    /// Files written to `sync/<project>/…` of the data bucket.
    DropFolder,
    /// A Salesforce org's Account, Contact and AccountTeamMember objects
    /// (see [`super::salesforce`]).
    Salesforce,
}

/// When a sync runs with whatever files are present (a complete set of
/// three runs as soon as it is there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSchedule {
    pub every: Every,
    /// `HH:MM` in the project's time zone (daily only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The first day (`YYYY-MM-DD`, the project's time zone) it runs on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    /// At the start of every hour.
    Hourly,
    /// Once a day, at `at`.
    Daily,
}

/// What `PUT /admin/projects/{id}/b2b/sync` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSettings {
    pub source: SyncSource,
    /// None: only complete sets of three files run (as they arrive).
    #[serde(default)]
    pub schedule: Option<SyncSchedule>,
    /// Each run's new contacts make a mailing list of their own.
    #[serde(default = "yes")]
    pub new_list: bool,
    /// A run with new contacts starts a distribution to its list, with the
    /// messages of `settings.b2b_import.auto_distribution`.
    #[serde(default)]
    pub distribute: bool,
    /// Off: files stay in the folder and nothing runs.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The org, for the source `salesforce`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salesforce: Option<super::salesforce::SalesforceSettings>,
}

fn yes() -> bool {
    true
}

/// The stored sync of a project: its settings and the last scheduled slot
/// that was claimed (`YYYY-MM-DDTHH:MM`, local time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncConfig {
    pub project_id: String,
    #[serde(flatten)]
    pub settings: SyncSettings,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_slot: Option<String>,
    pub updated_at: String,
}

/// A time of day `HH:MM`.
pub fn parse_time_of_day(text: &str) -> Option<(i8, i8)> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some((h, m))
}

fn parse_day(text: &str) -> Option<jiff::civil::Date> {
    (text.len() == 10).then(|| text.parse::<jiff::civil::Date>().ok()).flatten()
}

fn local(now_ms: u64, tz: &str) -> jiff::civil::DateTime {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(now_ms as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_zoned(zone).datetime()
}

impl SyncSettings {
    /// Checks the settings against the project (`has_messages`: the
    /// automatic distribution's messages are set) on `now_ms` in `tz`; the
    /// error names the field.
    pub fn check(&self, has_messages: bool, now_ms: u64, tz: &str) -> Result<(), (String, String)> {
        self.check_with(&crate::domain::settings::B2bImportSettings::default(), has_messages, now_ms, tz, false)
    }

    /// [`Self::check`] against the project's import settings, with the
    /// Salesforce org's settings (`loopback_http`: the local stack).
    pub fn check_with(
        &self,
        imports: &crate::domain::settings::B2bImportSettings,
        has_messages: bool,
        now_ms: u64,
        tz: &str,
        loopback_http: bool,
    ) -> Result<(), (String, String)> {
        match (self.source, &self.salesforce) {
            (SyncSource::Salesforce, None) => {
                return Err(("salesforce".into(), "the source salesforce needs its org: {instance_url, auth: {flow}}".into()))
            }
            (SyncSource::Salesforce, Some(sf)) => sf.check(imports, loopback_http)?,
            (SyncSource::DropFolder, Some(_)) => {
                return Err(("salesforce".into(), "a drop-folder sync takes no Salesforce settings (or set source to salesforce)".into()))
            }
            (SyncSource::DropFolder, None) => {}
        }
        if let Some(s) = &self.schedule {
            match (s.every, &s.at) {
                (Every::Daily, None) => return Err(("schedule.at".into(), "a daily sync needs its time of day (HH:MM)".into())),
                (Every::Daily, Some(at)) if parse_time_of_day(at).is_none() => {
                    return Err(("schedule.at".into(), format!("{at:?} is not a time of day (HH:MM, 00:00 to 23:59)")))
                }
                (Every::Hourly, Some(_)) => {
                    return Err(("schedule.at".into(), "an hourly sync runs at the start of each hour: leave out the time".into()))
                }
                _ => {}
            }
            if let Some(from) = &s.from {
                let day = parse_day(from).ok_or_else(|| ("schedule.from".to_string(), format!("{from:?} is not a day (YYYY-MM-DD)")))?;
                let today = local(now_ms, tz).date();
                if day < today {
                    return Err(("schedule.from".into(), format!("{from} is in the past (today is {today} in {tz})")));
                }
            }
        }
        if self.distribute && !self.new_list {
            return Err((
                "distribute".into(),
                "the distribution goes to the run's list of new contacts: turn new_list on to distribute".into(),
            ));
        }
        if self.distribute && !has_messages {
            return Err(("distribute".into(), "set the messages in settings.b2b_import.auto_distribution first".into()));
        }
        Ok(())
    }
}

impl SyncSchedule {
    /// The schedule's latest slot at or before `now_ms` (local time
    /// `YYYY-MM-DDTHH:MM` in `tz`), or None before its first day.
    pub fn slot(&self, now_ms: u64, tz: &str) -> Option<String> {
        let now = local(now_ms, tz);
        let at = match self.every {
            Every::Hourly => now.date().at(now.hour(), 0, 0, 0),
            Every::Daily => {
                let (h, m) = parse_time_of_day(self.at.as_deref()?)?;
                let today = now.date().at(h, m, 0, 0);
                if today <= now {
                    today
                } else {
                    today.yesterday().ok()?
                }
            }
        };
        if let Some(from) = self.from.as_deref().and_then(parse_day) {
            if at.date() < from {
                return None;
            }
        }
        Some(at.strftime("%Y-%m-%dT%H:%M").to_string())
    }
}

/// Whether a scheduled run is due: the current slot is later than the one
/// claimed last (a first configuration claims the slot it is made in).
pub fn due_slot(schedule: &SyncSchedule, last: Option<&str>, now_ms: u64, tz: &str) -> Option<String> {
    let slot = schedule.slot(now_ms, tz)?;
    (last.is_none_or(|l| slot.as_str() > l)).then_some(slot)
}

/// A file of a drop folder, as its key names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropFile {
    pub project_id: String,
    pub kind: B2bKind,
    pub file_name: String,
}

/// A drop folder's sub-folder of a kind.
pub fn folder(kind: B2bKind) -> &'static str {
    match kind {
        B2bKind::Accounts => "accounts",
        B2bKind::Contacts => "contacts",
        B2bKind::TeamMembers => "team",
    }
}

/// Why a key of the drop folder is not a file a run takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DropKeyError {
    #[error("{0:?} is not of the form sync/<project>/<accounts|contacts|team>/<file name>")]
    Shape(String),
    #[error("{key:?}: the folder {folder:?} is not one of the drop folder's accounts, contacts and team")]
    UnknownFolder { key: String, folder: String },
    #[error("{key:?}: the file name {name:?} is unexpected; name it <something>.csv, .tsv or .txt")]
    Name { key: String, name: String },
}

impl DropFile {
    /// Reads a decoded object key; `Ok(None)`: a folder marker (a key
    /// ending in `/`, as some tools write), which is no file at all.
    pub fn from_key(key: &str) -> Result<Option<DropFile>, DropKeyError> {
        let shape = || DropKeyError::Shape(key.to_string());
        let rest = key.strip_prefix(SYNC_PREFIX).ok_or_else(shape)?;
        if rest.ends_with('/') {
            return Ok(None);
        }
        let parts: Vec<&str> = rest.split('/').collect();
        let [project_id, folder_name, name] = parts[..] else { return Err(shape()) };
        if project_id.is_empty() || folder_name.is_empty() {
            return Err(shape());
        }
        let kind = [B2bKind::Accounts, B2bKind::Contacts, B2bKind::TeamMembers]
            .into_iter()
            .find(|k| folder(*k) == folder_name)
            .ok_or_else(|| DropKeyError::UnknownFolder { key: key.to_string(), folder: folder_name.to_string() })?;
        let lower = name.to_ascii_lowercase();
        let stem_ok = lower.rsplit_once('.').is_some_and(|(stem, ext)| !stem.is_empty() && matches!(ext, "csv" | "tsv" | "txt"));
        if name.starts_with('.') || !stem_ok || name.chars().any(char::is_control) {
            return Err(DropKeyError::Name { key: key.to_string(), name: name.to_string() });
        }
        Ok(Some(DropFile { project_id: project_id.to_string(), kind, file_name: name.to_string() }))
    }

    /// The project a key of the drop folder belongs to, if it names one.
    pub fn project_of(key: &str) -> Option<&str> {
        key.strip_prefix(SYNC_PREFIX)?.split('/').next().filter(|p| !p.is_empty())
    }
}

/// An object of a drop folder, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub key: String,
    pub etag: String,
}

/// A file a run imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub kind: B2bKind,
    pub key: String,
    pub file_name: String,
    pub etag: String,
}

/// A key of the folder a run leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ignored {
    pub key: String,
    pub reason: String,
}

/// What the files present come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Derived from the files' keys and ETags: the same files, the same run.
    pub id: String,
    /// In import order: accounts, contacts, team members.
    pub files: Vec<Planned>,
    pub ignored: Vec<Ignored>,
}

impl Plan {
    /// All three kinds are there.
    pub fn complete(&self) -> bool {
        self.files.len() == 3
    }
}

/// A run's id from what it is made of.
pub fn run_id(parts: &[(&str, &str)]) -> String {
    let mut h = Sha256::new();
    for (key, etag) in parts {
        h.update(key.as_bytes());
        h.update([0]);
        h.update(etag.trim_matches('"').as_bytes());
        h.update([0]);
    }
    h.finalize().iter().take(10).map(|b| format!("{b:02x}")).collect()
}

/// Plans a run of `project_id`'s folder from its listing. Keys that are no
/// file of a run are ignored with their reason; two files of one kind are
/// an error (which one is meant cannot be told).
pub fn plan(project_id: &str, listing: &[Listed]) -> Result<Plan, String> {
    let mut files: Vec<Planned> = Vec::new();
    let mut ignored = Vec::new();
    for l in listing {
        match DropFile::from_key(&l.key) {
            Ok(None) => {}
            Ok(Some(f)) if f.project_id == project_id => {
                files.push(Planned { kind: f.kind, key: l.key.clone(), file_name: f.file_name, etag: l.etag.clone() })
            }
            Ok(Some(_)) => ignored.push(Ignored { key: l.key.clone(), reason: format!("not in the folder of project {project_id}") }),
            Err(e) => ignored.push(Ignored { key: l.key.clone(), reason: e.to_string() }),
        }
    }
    files.sort_by(|a, b| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
    for kind in [B2bKind::Accounts, B2bKind::Contacts, B2bKind::TeamMembers] {
        let of: Vec<&str> = files.iter().filter(|f| f.kind == kind).map(|f| f.file_name.as_str()).collect();
        if of.len() > 1 {
            return Err(format!(
                "sync/{project_id}/{}/ holds {} files ({}); a run takes one file per folder: remove all but one",
                folder(kind),
                of.len(),
                of.join(", ")
            ));
        }
    }
    let id = run_id(&files.iter().map(|f| (f.key.as_str(), f.etag.as_str())).collect::<Vec<_>>());
    Ok(Plan { id, files, ignored })
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Running,
    /// Every file imported, no row rejected.
    Done,
    /// Some of it: a file failed or rows were rejected.
    Partial,
    /// Nothing was imported.
    Failed,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Partial => "partial",
            RunState::Failed => "failed",
        }
    }
}

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The third file of a set arrived (or a bad file did).
    Drop,
    /// The schedule's time came.
    Schedule,
    /// Someone asked for it (the console's or the API's "run now").
    Manual,
}

/// One file of a run and what its import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunFile {
    pub kind: B2bKind,
    pub key: String,
    pub file_name: String,
    pub etag: String,
    /// The import's id (`GET /admin/projects/{id}/uploads/{upload_id}`).
    pub upload_id: String,
    /// `done` or `failed` once imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default)]
    pub counts: Counts,
    /// Accounts or team members stored; for contacts, the new ones.
    #[serde(default)]
    pub written: u64,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    #[serde(default)]
    pub first_rejections: Vec<RowError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_rows_csv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl RunFile {
    /// A file of run `run_id`, not imported yet; its import is
    /// `sync-<run>-<folder>`.
    pub fn new(kind: B2bKind, key: String, file_name: String, etag: String, run_id: &str) -> Self {
        RunFile {
            kind,
            key,
            file_name,
            etag,
            upload_id: format!("sync-{run_id}-{}", folder(kind)),
            state: None,
            counts: Counts::default(),
            written: 0,
            warnings: Vec::new(),
            first_rejections: Vec::new(),
            rejected_rows_csv: None,
            error: None,
        }
    }
}

/// A run of a project's sync: its files, what each import did, and what
/// came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRun {
    pub project_id: String,
    pub id: String,
    pub trigger: Trigger,
    pub state: RunState,
    /// Why nothing was imported (a failed run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub files: Vec<RunFile>,
    #[serde(default)]
    pub ignored: Vec<Ignored>,
    #[serde(default)]
    pub new_contacts: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution_id: Option<String>,
    pub new_list: bool,
    pub distribute: bool,
    pub started_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// A running run belongs to the invocation that claimed it until then
    /// (ms since the epoch); later, another may take it over.
    #[serde(default)]
    pub lease_until_ms: u64,
    /// A Salesforce run: what it asked for and fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salesforce: Option<super::salesforce::SalesforceRun>,
}

impl SyncRun {
    /// A run that failed before importing anything, for `reason`.
    pub fn refused(project_id: &str, id: String, trigger: Trigger, reason: String, ignored: Vec<Ignored>, now: &str) -> SyncRun {
        SyncRun {
            project_id: project_id.to_string(),
            id,
            trigger,
            state: RunState::Failed,
            reason: Some(reason),
            files: Vec::new(),
            ignored,
            new_contacts: 0,
            list_id: None,
            distribution_id: None,
            new_list: false,
            distribute: false,
            started_at: now.to_string(),
            finished_at: Some(now.to_string()),
            lease_until_ms: 0,
            salesforce: None,
        }
    }

    /// The state the run ends in, from its files.
    pub fn outcome(&self) -> RunState {
        let imported = self.files.iter().filter(|f| f.state.as_deref() == Some("done")).count();
        if imported == 0 {
            RunState::Failed
        } else if imported < self.files.len() || self.files.iter().any(|f| f.counts.rejected > 0) {
            RunState::Partial
        } else {
            RunState::Done
        }
    }

    /// The reason of a run that ended failed: its files' errors.
    pub fn failure(&self) -> Option<String> {
        let errors: Vec<String> = self.files.iter().filter_map(|f| f.error.as_ref().map(|e| format!("{}: {e}", f.key))).collect();
        (!errors.is_empty()).then(|| errors.join("; "))
    }
}

/// A Salesforce sync's watermark: the start of the newest Salesforce run that fetched and loaded every
/// object (rows rejected by the rules do not hold it back; a failed run
/// does): the next run asks for what changed after it. `runs` newest first.
pub fn watermark(runs: &[SyncRun]) -> Option<String> {
    runs.iter()
        .filter(|r| r.salesforce.is_some())
        .find(|r| matches!(r.state, RunState::Done | RunState::Partial) && r.files.iter().all(|f| f.state.as_deref() == Some("done")))
        .map(|r| r.started_at.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_780_304_400_000; // 2026-06-01T09:00:00Z (12:00 in Helsinki)

    fn listed(key: &str, etag: &str) -> Listed {
        Listed { key: key.into(), etag: etag.into() }
    }

    #[test]
    fn keys_of_the_drop_folder_are_read_or_refused_by_name() {
        let f = DropFile::from_key("sync/p1/team/AccountTeamMember.csv").unwrap().unwrap();
        assert_eq!((f.project_id.as_str(), f.kind, f.file_name.as_str()), ("p1", B2bKind::TeamMembers, "AccountTeamMember.csv"));
        assert_eq!(DropFile::from_key("sync/p1/contacts/").unwrap(), None, "a folder marker");
        let e = DropFile::from_key("sync/p1/widgets/a.csv").unwrap_err().to_string();
        assert!(e.contains("\"widgets\"") && e.contains("accounts, contacts and team"), "{e}");
        assert!(matches!(DropFile::from_key("sync/p1/accounts/a.xlsx"), Err(DropKeyError::Name { .. })));
        assert!(matches!(DropFile::from_key("sync/p1/accounts/.hidden.csv"), Err(DropKeyError::Name { .. })));
        assert!(matches!(DropFile::from_key("sync/p1/accounts/deeper/a.csv"), Err(DropKeyError::Shape(_))));
        assert!(matches!(DropFile::from_key("sync/p1/a.csv"), Err(DropKeyError::Shape(_))));
        assert_eq!(DropFile::project_of("sync/p1/widgets/a.csv"), Some("p1"));
    }

    #[test]
    fn a_plan_orders_the_files_and_is_named_by_their_etags() {
        let listing = [
            listed("sync/p/team/t.csv", "\"3\""),
            listed("sync/p/contacts/c.csv", "\"2\""),
            listed("sync/p/accounts/a.csv", "\"1\""),
            listed("sync/p/misc/x.csv", "\"4\""),
        ];
        let p = plan("p", &listing).unwrap();
        assert!(p.complete());
        assert_eq!(p.files.iter().map(|f| f.kind).collect::<Vec<_>>(), [B2bKind::Accounts, B2bKind::Contacts, B2bKind::TeamMembers]);
        assert_eq!(p.ignored.len(), 1);
        assert_eq!(plan("p", &listing[..3]).unwrap().id, p.id, "an ignored key does not change the run");
        let mut changed = listing.clone();
        changed[1].etag = "\"9\"".into();
        assert_ne!(plan("p", &changed).unwrap().id, p.id, "another contacts file is another run");
        assert!(!plan("p", &listing[1..]).unwrap().complete());
        let two = [listed("sync/p/accounts/a.csv", "1"), listed("sync/p/accounts/b.csv", "2")];
        let e = plan("p", &two).unwrap_err();
        assert!(e.contains("a.csv, b.csv") && e.contains("one file per folder"), "{e}");
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let daily = |at: Option<&str>, from: Option<&str>| SyncSettings {
            source: SyncSource::DropFolder,
            schedule: Some(SyncSchedule { every: Every::Daily, at: at.map(Into::into), from: from.map(Into::into) }),
            new_list: true,
            distribute: false,
            enabled: true,
            salesforce: None,
        };
        assert_eq!(daily(Some("06:30"), Some("2026-06-01")).check(false, NOW, "Europe/Helsinki"), Ok(()));
        assert_eq!(daily(Some("24:00"), None).check(false, NOW, "UTC").unwrap_err().0, "schedule.at");
        assert_eq!(daily(Some("6:30"), None).check(false, NOW, "UTC").unwrap_err().0, "schedule.at");
        assert_eq!(daily(None, None).check(false, NOW, "UTC").unwrap_err().0, "schedule.at");
        let past = daily(Some("06:00"), Some("2026-05-31")).check(false, NOW, "UTC").unwrap_err();
        assert!(past.0 == "schedule.from" && past.1.contains("in the past"), "{past:?}");
        assert_eq!(daily(Some("06:00"), Some("31.12.2026")).check(false, NOW, "UTC").unwrap_err().0, "schedule.from");
        let mut s = daily(Some("06:00"), None);
        s.distribute = true;
        assert_eq!(s.check(false, NOW, "UTC").unwrap_err().0, "distribute", "no messages");
        assert_eq!(s.check(true, NOW, "UTC"), Ok(()));
        s.new_list = false;
        assert_eq!(s.check(true, NOW, "UTC").unwrap_err().0, "distribute", "no list to send to");
    }

    #[test]
    fn slots_follow_the_local_clock() {
        let daily = SyncSchedule { every: Every::Daily, at: Some("11:30".into()), from: None };
        assert_eq!(daily.slot(NOW, "Europe/Helsinki").as_deref(), Some("2026-06-01T11:30"));
        assert_eq!(daily.slot(NOW, "UTC").as_deref(), Some("2026-05-31T11:30"), "09:00 UTC: yesterday's slot");
        let hourly = SyncSchedule { every: Every::Hourly, at: None, from: None };
        assert_eq!(hourly.slot(NOW + 59 * 60_000, "UTC").as_deref(), Some("2026-06-01T09:00"));
        assert_eq!(due_slot(&daily, Some("2026-06-01T11:30"), NOW, "Europe/Helsinki"), None, "claimed already");
        assert_eq!(due_slot(&daily, Some("2026-05-31T11:30"), NOW, "Europe/Helsinki").as_deref(), Some("2026-06-01T11:30"));
        let later = SyncSchedule { from: Some("2026-06-02".into()), ..daily };
        assert_eq!(later.slot(NOW, "Europe/Helsinki"), None, "before its first day");
    }

    fn file(state: &str, rejected: u64) -> RunFile {
        RunFile {
            kind: B2bKind::Accounts,
            key: "k".into(),
            file_name: "f".into(),
            etag: "e".into(),
            upload_id: "u".into(),
            state: Some(state.into()),
            counts: Counts { rejected, ..Counts::default() },
            written: 0,
            warnings: vec![],
            first_rejections: vec![],
            rejected_rows_csv: None,
            error: (state == "failed").then(|| "bad header".to_string()),
        }
    }

    #[test]
    fn a_run_ends_done_partial_or_failed() {
        let mut run = SyncRun::refused("p", "r".into(), Trigger::Drop, String::new(), vec![], "t");
        run.files = vec![file("done", 0), file("done", 0)];
        assert_eq!(run.outcome(), RunState::Done);
        run.files[1] = file("done", 2);
        assert_eq!(run.outcome(), RunState::Partial, "rejected rows");
        run.files[1] = file("failed", 0);
        assert_eq!(run.outcome(), RunState::Partial, "a failed file");
        run.files[0] = file("failed", 0);
        assert_eq!(run.outcome(), RunState::Failed);
        assert_eq!(run.failure().unwrap(), "k: bad header; k: bad header");
    }

    #[test]
    fn the_watermark_is_the_start_of_the_last_run_that_loaded_everything() {
        use super::super::salesforce::{soql_datetime, SalesforceRun};
        let run = |at: &str, state: RunState| {
            let mut r = SyncRun::refused("p", at.into(), Trigger::Schedule, String::new(), vec![], at);
            r.state = state;
            r.salesforce = Some(SalesforceRun::default());
            r
        };
        let runs = [run("2026-06-03T00:00:00.000Z", RunState::Failed), run("2026-06-02T00:00:00.000Z", RunState::Done)];
        assert_eq!(watermark(&runs).as_deref(), Some("2026-06-02T00:00:00.000Z"), "a failed run does not move it");
        assert_eq!(watermark(&runs[..1]), None);
        assert_eq!(soql_datetime("2026-06-02T00:00:00.999Z"), "2026-06-02T00:00:00Z");
    }
}
